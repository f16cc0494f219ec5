//! Every helpdesk command through the helpdesk service, as the signed-in agent.

mod act;
mod approvals;
mod audit;
mod lookup;
mod playbook;
mod read;
mod secure;
mod verify;

use mfa_core::helpdesk_service::ServiceAction as A;

use self::act::Extra;
use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::report::Report;

pub async fn run(cli: &Cli) -> Result<Report, Failure> {
    match &cli.command {
        Command::Login => crate::account::login(cli).await,
        Command::Logout => crate::account::logout(cli).await,
        Command::Whoami => crate::account::whoami(cli).await,
        Command::Find { email } => read::find(cli, email).await,
        Command::Methods { user } => read::methods(cli, user).await,
        Command::Events { user } => read::events(cli, user).await,
        Command::Verify { user, how } => verify::verify(cli, user, how).await,
        Command::Remove {
            user,
            method_id,
            change,
        } => {
            let extra = Extra {
                method_id: Some(method_id.clone()),
                ..Extra::default()
            };
            act::run(cli, user, change, A::RemoveMethod, extra).await
        }
        Command::Reset { user, change } => {
            act::run(cli, user, change, A::Reset, Extra::default()).await
        }
        Command::RecoveryCode {
            user,
            replace,
            change,
        } => {
            let extra = Extra {
                replace: *replace,
                ..Extra::default()
            };
            act::run(cli, user, change, A::IssueRecoveryCode, extra).await
        }
        Command::Ticket {
            user,
            locale,
            change,
            ..
        } => {
            let extra = Extra {
                locale: locale.clone(),
                ..Extra::default()
            };
            act::run(cli, user, change, A::SendEnrollmentTicket, extra).await
        }
        Command::ForgetBrowsers { user, change } => {
            act::run(cli, user, change, A::ForgetBrowsers, Extra::default()).await
        }
        Command::EndSessions { user, change } => {
            act::run(cli, user, change, A::EndSessions, Extra::default()).await
        }
        Command::Unblock { user, change } => {
            act::run(cli, user, change, A::Unblock, Extra::default()).await
        }
        Command::Secure {
            user,
            secure,
            change,
        } => secure::run(cli, user, secure, change).await,
        Command::Approvals => approvals::list(cli).await,
        Command::Approve { approval_id } => approvals::approve(cli, approval_id).await,
        Command::Refuse {
            approval_id,
            reason,
        } => approvals::refuse(cli, approval_id, reason).await,
        Command::Audit { user } => audit::run(cli, user.as_deref()).await,
    }
}
