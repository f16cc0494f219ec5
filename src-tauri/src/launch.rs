//! Which tenant the app talks to: the embedded emulator (demo mode) or a real tenant given
//! on the command line. Managed configuration files come on top of this (see settings).

use std::net::SocketAddr;

use mfa_core::model::FactorKind;

/// How the app was asked to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Demo tenant with the demo inbox: the emulator started in-process on loopback, or one
    /// already running at `emulator` (end-to-end tests start their own to inject faults).
    Demo { emulator: Option<String> },
    /// A tenant given explicitly (used by tests and by IT when trying a tenant out).
    Tenant {
        url: String,
        client_id: String,
        realm: Option<String>,
    },
    /// Neither: read the managed configuration.
    Configured,
}

impl Launch {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        let mut args = args.into_iter();
        let (mut demo, mut url, mut client_id, mut realm) = (false, None, None, None);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--demo" => demo = true,
                "--tenant" => url = args.next(),
                "--client-id" => client_id = args.next(),
                "--realm" => realm = args.next(),
                _ => {}
            }
        }
        match (demo, url, client_id) {
            (true, emulator, _) => Self::Demo { emulator },
            (false, Some(url), Some(client_id)) => Self::Tenant {
                url,
                client_id,
                realm,
            },
            _ => Self::Configured,
        }
    }
}

/// The demo tenant's public client, as the emulator's built-in tenant defines it.
pub const DEMO_CLIENT_ID: &str = "mfa-desk-demo";

pub fn demo_listen_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub const ALL_FACTORS: [FactorKind; 5] = [
    FactorKind::Otp,
    FactorKind::Sms,
    FactorKind::Voice,
    FactorKind::Email,
    FactorKind::Push,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(args: &[&str]) -> Launch {
        Launch::from_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn reads_the_command_line() {
        assert_eq!(
            launch(&["mfa-desk", "--demo"]),
            Launch::Demo { emulator: None }
        );
        assert_eq!(
            launch(&["mfa-desk", "--demo", "--tenant", "http://127.0.0.1:9"]),
            Launch::Demo {
                emulator: Some("http://127.0.0.1:9".into())
            }
        );
        assert_eq!(launch(&["mfa-desk"]), Launch::Configured);
        assert_eq!(
            launch(&[
                "mfa-desk",
                "--tenant",
                "http://127.0.0.1:9",
                "--client-id",
                "abc"
            ]),
            Launch::Tenant {
                url: "http://127.0.0.1:9".into(),
                client_id: "abc".into(),
                realm: None
            }
        );
    }
}
