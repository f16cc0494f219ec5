//! Windows: Windows tells a window registered with `WTSRegisterSessionNotification` about its
//! session through `WM_WTSSESSION_CHANGE`; `WTS_SESSION_LOCK` is the lock (Win+L, the lock
//! screen, a screen saver that locks, a remote session locked). The window is message-only
//! (`HWND_MESSAGE`: never shown, no taskbar entry) on a thread of its own with its own message
//! loop, so Tauri's windows and event loop are left alone.
//!
//! Written against `windows-sys` 0.61's API (its sources read for each signature and the
//! features each item needs); not compiled on the Linux machine that tests this project (see
//! `screen_lock.rs`).

use std::future::Future;
use std::sync::{Arc, OnceLock};

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{
    WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DispatchMessageW, GetMessageW, RegisterClassW, HWND_MESSAGE,
    MSG, WM_WTSSESSION_CHANGE, WNDCLASSW, WTS_SESSION_LOCK,
};

/// What the window procedure runs on a lock. Set once, before the window exists: the
/// procedure is a plain function and cannot carry it.
static ON_LOCK: OnceLock<Box<dyn Fn() + Send + Sync>> = OnceLock::new();

pub fn watch<F, Fut>(on_lock: Arc<F>)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let run = Box::new(move || {
        tauri::async_runtime::spawn(on_lock());
    });
    if ON_LOCK.set(run).is_err() {
        return; // Already listening.
    }
    let listening = std::thread::Builder::new()
        .name("screen-lock".into())
        .spawn(|| {
            if let Err(call) = listen() {
                tracing::warn!(call, "screen locks unheard");
            }
        });
    if let Err(error) = listening {
        tracing::warn!(%error, "screen locks unheard: no thread");
    }
}

/// Creates the window, registers it for this session's notifications, and runs its message
/// loop for the rest of the app's run. `Err` names the call that failed.
fn listen() -> Result<(), &'static str> {
    let class: Vec<u16> = "MfaDeskScreenLock\0".encode_utf16().collect();
    // SAFETY: plain Win32 calls with arguments that outlive them: `class` lives until this
    // function returns, which is after the message loop ends; the window class's other
    // fields are zero (no icon, cursor, brush or menu), which Win32 accepts.
    unsafe {
        let instance = GetModuleHandleW(std::ptr::null());
        let window_class = WNDCLASSW {
            lpfnWndProc: Some(window_proc),
            hInstance: instance,
            lpszClassName: class.as_ptr(),
            ..WNDCLASSW::default()
        };
        if RegisterClassW(&window_class) == 0 {
            return Err("RegisterClassW");
        }
        let window = CreateWindowExW(
            0,
            class.as_ptr(),
            std::ptr::null(),
            0,
            0,
            0,
            0,
            0,
            HWND_MESSAGE,
            std::ptr::null_mut(),
            instance,
            std::ptr::null(),
        );
        if window.is_null() {
            return Err("CreateWindowExW");
        }
        if WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) == 0 {
            return Err("WTSRegisterSessionNotification");
        }
        let mut message = MSG::default();
        // 0 is WM_QUIT, -1 an error: either way nothing more will come.
        while GetMessageW(&mut message, std::ptr::null_mut(), 0, 0) > 0 {
            DispatchMessageW(&message);
        }
    }
    Ok(())
}

/// The window's procedure: a lock of this session runs `ON_LOCK`; everything else gets
/// Windows' default handling.
unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if message == WM_WTSSESSION_CHANGE && wparam == WTS_SESSION_LOCK as WPARAM {
        tracing::info!("Windows locked the session");
        if let Some(on_lock) = ON_LOCK.get() {
            on_lock();
        }
        return 0;
    }
    // SAFETY: the arguments Windows passed to this procedure, handed back unchanged.
    unsafe { DefWindowProcW(window, message, wparam, lparam) }
}
