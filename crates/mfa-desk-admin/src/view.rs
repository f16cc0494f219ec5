//! How users and methods read in a terminal, the same in both paths (service and direct).

use mfa_core::management::{AuthenticationMethod, User};

use crate::table::Table;

/// "ana@example.com (auth0|5f1c…)".
pub fn describe(user: &User) -> String {
    match &user.email {
        Some(email) => format!("{email} ({})", user.user_id),
        None => user.user_id.clone(),
    }
}

pub fn users_table(users: &[User]) -> String {
    let mut table = Table::new(&["USER ID", "EMAIL", "NAME", "CONNECTION", "LAST LOGIN"]);
    for user in users {
        table.row(vec![
            Some(user.user_id.clone()),
            user.email.clone(),
            user.name.clone(),
            user.identities.first().and_then(|i| i.connection.clone()),
            user.last_login.clone(),
        ]);
    }
    table.render()
}

pub fn methods_table(methods: &[AuthenticationMethod]) -> String {
    let mut table = Table::new(&["ID", "TYPE", "DETAIL", "CONFIRMED", "CREATED", "LAST USED"]);
    for method in methods {
        table.row(vec![
            Some(method.id.clone()),
            method.kind.as_ref().map(ToString::to_string),
            method.detail().map(str::to_owned),
            method
                .confirmed
                .map(|c| if c { "yes" } else { "no" }.to_owned()),
            method.created_at.clone(),
            method.last_auth_at.clone(),
        ]);
    }
    table.render()
}
