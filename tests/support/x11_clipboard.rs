//! The system clipboard as another program sees it (X11, as under Xvfb): what it holds, and
//! the types its owner offers, which is how a clipboard manager learns that a copy is a
//! secret to leave out of its history. Shared by `tests/clipboard.rs` and the end-to-end tests.

/// The types the clipboard's owner offers, as a clipboard manager asks for them: the X11
/// `TARGETS` of the `CLIPBOARD` selection, through a connection of its own.
pub fn clipboard_types() -> Vec<String> {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ConnectionExt, CreateWindowAux, EventMask, WindowClass};
    use x11rb::protocol::Event;

    let (x, screen) = x11rb::connect(None).expect("an X display");
    let root = x.setup().roots[screen].root;
    let window = x.generate_id().unwrap();
    x.create_window(
        0,
        window,
        root,
        0,
        0,
        1,
        1,
        0,
        WindowClass::INPUT_ONLY,
        0,
        &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
    )
    .unwrap();
    let atom = |name: &str| {
        x.intern_atom(false, name.as_bytes())
            .unwrap()
            .reply()
            .unwrap()
            .atom
    };
    let (clipboard, targets, property) = (atom("CLIPBOARD"), atom("TARGETS"), atom("MFA_TEST"));
    x.convert_selection(window, clipboard, targets, property, x11rb::CURRENT_TIME)
        .unwrap();
    x.flush().unwrap();
    loop {
        if let Event::SelectionNotify(notify) = x.wait_for_event().unwrap() {
            if notify.property == x11rb::NONE {
                return Vec::new();
            }
            break;
        }
    }
    let reply = x
        .get_property(
            true,
            window,
            property,
            x11rb::protocol::xproto::AtomEnum::ATOM,
            0,
            1024,
        )
        .unwrap()
        .reply()
        .unwrap();
    reply
        .value32()
        .into_iter()
        .flatten()
        .map(|atom| {
            let name = x.get_atom_name(atom).unwrap().reply().unwrap().name;
            String::from_utf8_lossy(&name).into_owned()
        })
        .collect()
}

/// The clipboard as another program sees it.
pub fn clipboard_text() -> String {
    arboard::Clipboard::new()
        .and_then(|mut clipboard| clipboard.get_text())
        .unwrap_or_default()
}
