//! Linux: the desktop's screen saver saying it became active (`ActiveChanged(true)` of
//! `org.freedesktop.ScreenSaver`, and of `org.gnome.ScreenSaver`, on the session bus), and
//! logind's `Lock` signal for this login session (system bus), which `loginctl lock-session`
//! and most lock screens send. Any of them ends the session. Without a bus (a bare X server,
//! a container) there is nothing to hear and the other limits still hold. Tested end to end
//! on the test's private session bus (`tests/e2e/helpdesk.rs`).

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;

use zbus::export::futures_core::Stream;
use zbus::message::Type;
use zbus::{Connection, MatchRule, Message, MessageStream};

/// The screen savers' interfaces whose `ActiveChanged(true)` means "locked".
const SCREEN_SAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

pub fn watch<F, Fut>(on_lock: Arc<F>)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let session_bus = on_lock.clone();
    tauri::async_runtime::spawn(async move {
        match Connection::session().await {
            Ok(bus) => screen_savers(&bus, session_bus).await,
            Err(error) => tracing::info!(%error, "no session bus: screen locks unheard"),
        }
    });
    tauri::async_runtime::spawn(async move {
        match Connection::system().await {
            Ok(bus) => logind(&bus, on_lock).await,
            Err(error) => tracing::info!(%error, "no system bus: logind locks unheard"),
        }
    });
}

async fn screen_savers<F, Fut>(bus: &Connection, on_lock: Arc<F>)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut streams = Vec::new();
    for interface in SCREEN_SAVERS {
        match signals(bus, interface, "ActiveChanged", None).await {
            Ok(stream) => streams.push(stream),
            Err(error) => tracing::warn!(%error, interface, "screen saver not watched"),
        }
    }
    loop {
        let Some(message) = next_of_any(&mut streams).await else {
            return;
        };
        if message.body().deserialize::<bool>().unwrap_or(false) {
            tracing::info!("the screen saver is active");
            on_lock().await;
        }
    }
}

async fn logind<F, Fut>(bus: &Connection, on_lock: Arc<F>)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    let ours: zbus::Result<zbus::zvariant::OwnedObjectPath> = async {
        let reply = bus
            .call_method(
                Some("org.freedesktop.login1"),
                "/org/freedesktop/login1",
                Some("org.freedesktop.login1.Manager"),
                "GetSessionByPID",
                &(std::process::id()),
            )
            .await?;
        reply.body().deserialize()
    }
    .await;
    let session = match ours {
        Ok(path) => path,
        Err(error) => {
            tracing::info!(%error, "no logind session: its locks unheard");
            return;
        }
    };
    let stream = signals(
        bus,
        "org.freedesktop.login1.Session",
        "Lock",
        Some(session.as_str()),
    );
    let Ok(stream) = stream.await else { return };
    let mut streams = vec![stream];
    while next_of_any(&mut streams).await.is_some() {
        tracing::info!("logind locked the session");
        on_lock().await;
    }
}

async fn signals(
    bus: &Connection,
    interface: &'static str,
    member: &'static str,
    path: Option<&str>,
) -> zbus::Result<MessageStream> {
    let mut rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .interface(interface)?
        .member(member)?;
    if let Some(path) = path {
        rule = rule.path(path.to_owned())?;
    }
    MessageStream::for_match_rule(rule.build(), bus, None).await
}

/// The next message of any stream; `None` once all have ended.
async fn next_of_any(streams: &mut Vec<MessageStream>) -> Option<Message> {
    poll_fn(|cx| {
        let mut i = 0;
        while i < streams.len() {
            match Pin::new(&mut streams[i]).poll_next(cx) {
                std::task::Poll::Ready(Some(Ok(message))) => {
                    return std::task::Poll::Ready(Some(message))
                }
                // A message that could not be read: poll the same stream again.
                std::task::Poll::Ready(Some(Err(_))) => {}
                std::task::Poll::Ready(None) => {
                    drop(streams.remove(i));
                }
                std::task::Poll::Pending => i += 1,
            }
        }
        if streams.is_empty() {
            std::task::Poll::Ready(None)
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}
