//! How Auth0 masks phone numbers and email addresses on reads.

/// `+15555550123` → `XXXXXXXX0123`: every character but the last four,
/// the `+` included (spec §3 and §12.3 agree).
pub fn mask_phone(p: &str) -> String {
    let n = p.chars().count();
    p.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { 'X' } else { c })
        .collect()
}

/// The MFA API's mask: `new.hire@example.com` → `ne****@exam*******`
/// (shape of the recorded `****@exam*******` and `example******@gmai*****`).
pub fn mask_email_mfa(e: &str) -> String {
    let (local, domain) = e.split_once('@').unwrap_or((e, ""));
    let keep_local: String = local.chars().take(2).collect();
    format!("{keep_local}****@{}", keep_then_hide(domain, 4))
}

/// The Management API's mask (spec §12.3): `chuck334@example.com` →
/// `chuc****@exam*******`, same length as the address. ASSUMPTION: the
/// local part keeps its first half, at most four characters; the domain its
/// first four (half when shorter than eight).
pub fn mask_email_management(e: &str) -> String {
    let (local, domain) = e.split_once('@').unwrap_or((e, ""));
    let local_keep = (local.chars().count() / 2).min(4);
    let domain_keep = (domain.chars().count() / 2).min(4);
    format!(
        "{}@{}",
        keep_then_hide(local, local_keep),
        keep_then_hide(domain, domain_keep)
    )
}

fn keep_then_hide(s: &str, keep: usize) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < keep { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_shapes() {
        assert_eq!(mask_phone("+15555550123"), "XXXXXXXX0123");
        assert_eq!(mask_phone("+44207183875044"), "XXXXXXXXXXX5044");
        assert_eq!(mask_email_mfa("new.hire@example.com"), "ne****@exam*******");
        assert_eq!(
            mask_email_management("chuck334@example.com"),
            "chuc****@exam*******"
        );
        assert_eq!(mask_email_management("al@b.io"), "a*@b.**");
    }
}
