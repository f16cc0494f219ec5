//! Shared test helpers: the databases, the local Auth0 and the service over real HTTP.
#![allow(dead_code)]

pub mod db;
pub mod service;
