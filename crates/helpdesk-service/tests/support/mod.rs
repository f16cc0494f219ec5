//! Shared test helpers: the databases, and (for the HTTP tests) the local Auth0 and the
//! service over real HTTP.
#![allow(dead_code)]

pub mod db;
