//! macOS: the lock screen posts the distributed notification `com.apple.screenIsLocked` (its
//! pair, `com.apple.screenIsUnlocked`, is not needed: the session is over by then). It is not
//! in Apple's documented API but has been posted by every macOS since 10.x and is what other
//! apps observe; `NSWorkspaceSessionDidResignActiveNotification` (fast user switching) is not
//! a lock. The observer's block runs on the main operation queue, which Tauri's event loop
//! drives.
//!
//! Written against `objc2-foundation` 0.3 and `block2` 0.6 (their sources read for each
//! signature, safety requirement and feature); not compiled on the Linux machine that tests
//! this project (see `screen_lock.rs`).

use std::future::Future;
use std::ptr::NonNull;
use std::sync::Arc;

use block2::RcBlock;
use objc2_foundation::{
    ns_string, NSDistributedNotificationCenter, NSNotification, NSOperationQueue,
};

pub fn watch<F, Fut>(on_lock: Arc<F>)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let block: RcBlock<dyn Fn(NonNull<NSNotification>)> =
        RcBlock::new(move |_notification: NonNull<NSNotification>| {
            tracing::info!("macOS locked the screen");
            tauri::async_runtime::spawn(on_lock());
        });
    let center = NSDistributedNotificationCenter::defaultCenter();
    let main_queue = NSOperationQueue::mainQueue();
    // SAFETY: what the method asks of its caller: there is no sender filter (so no object of
    // a wrong type), the main queue is safe to deliver on, and the block is sendable (it
    // holds only the `Send + Sync` callback and never keeps the notification it is passed).
    let observer = unsafe {
        center.addObserverForName_object_queue_usingBlock(
            Some(ns_string!("com.apple.screenIsLocked")),
            None,
            Some(&main_queue),
            &block,
        )
    };
    // Observed for the app's whole run: the observer is never removed, so its token is kept.
    std::mem::forget(observer);
}
