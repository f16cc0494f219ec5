//! What clap refuses becomes the tool's one sentence (exit 2, "nothing was sent"). The sentence
//! is built from the error's kind and context (which argument, which value), not by cutting
//! up the text clap prints, so a new clap wording or layout cannot garble it.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use mfa_core::ErrorCode;

use crate::failure::{Exit, Failure};

/// What to do with a parse error: clap prints help and version itself (exit 0); anything else
/// is a usage failure.
pub enum Refusal {
    /// `--help` or `--version`: clap prints it.
    Shown(clap::Error),
    Usage(Failure),
}

pub fn refusal(error: clap::Error) -> Refusal {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Refusal::Shown(error),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            Refusal::Usage(usage(
                "No command given (see mfa-desk-admin --help for the list); nothing was sent."
                    .into(),
            ))
        }
        _ => Refusal::Usage(usage(format!(
            "{} (see mfa-desk-admin --help); nothing was sent.",
            capitalised(&what_was_wrong(&error))
        ))),
    }
}

fn usage(message: String) -> Failure {
    Failure::new(Exit::Usage, ErrorCode::Usage, message)
}

/// One clause naming what was wrong, in clap's own words for each kind.
fn what_was_wrong(error: &clap::Error) -> String {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::None) | None => None,
        Some(value) => Some(value.to_string()),
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let clause = match (error.kind(), arg, value) {
        (ErrorKind::InvalidSubcommand, ..) => text(ContextKind::InvalidSubcommand).map(|sub| {
            match error.get(ContextKind::SuggestedSubcommand) {
                Some(ContextValue::Strings(similar)) if !similar.is_empty() => format!(
                    "unrecognized command '{sub}' (did you mean '{}'?)",
                    similar.join("' or '")
                ),
                _ => format!("unrecognized command '{sub}'"),
            }
        }),
        (ErrorKind::UnknownArgument, Some(arg), _) => {
            Some(format!("unexpected argument '{arg}' found"))
        }
        (ErrorKind::MissingRequiredArgument, Some(args), _) => Some(format!(
            "the following required arguments were not provided: {args}"
        )),
        (ErrorKind::InvalidValue, Some(arg), Some(value)) if value.is_empty() => Some(format!(
            "a value is required for '{arg}' but none was supplied"
        )),
        (ErrorKind::InvalidValue | ErrorKind::ValueValidation, Some(arg), Some(value)) => {
            Some(match std::error::Error::source(error) {
                Some(why) => format!("invalid value '{value}' for '{arg}': {why}"),
                None => format!("invalid value '{value}' for '{arg}'"),
            })
        }
        (ErrorKind::TooManyValues, Some(arg), Some(value)) => {
            Some(format!("unexpected value '{value}' for '{arg}' found"))
        }
        (ErrorKind::ArgumentConflict, Some(arg), _) => Some(match text(ContextKind::PriorArg) {
            Some(prior) if prior != arg => {
                format!("the argument '{arg}' cannot be used with '{prior}'")
            }
            _ => format!("the argument '{arg}' cannot be used more than once"),
        }),
        _ => None,
    };
    clause
        .or_else(|| error.kind().as_str().map(str::to_owned))
        .unwrap_or_else(|| "bad usage".into())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn sentence(args: &[&str]) -> String {
        let error = Cli::try_parse_from([&["mfa-desk-admin"], args].concat()).unwrap_err();
        match refusal(error) {
            Refusal::Usage(failure) => failure.message,
            Refusal::Shown(_) => panic!("{args:?} is not a usage error"),
        }
    }

    #[test]
    fn each_refusal_names_what_was_wrong_in_one_line() {
        assert_eq!(
            sentence(&["frobnicate"]),
            "Unrecognized command 'frobnicate' (see mfa-desk-admin --help); nothing was sent."
        );
        assert_eq!(
            sentence(&["reset", "ana@example.com"]),
            "The following required arguments were not provided: --reason <TEXT> (see mfa-desk-admin --help); nothing was sent."
        );
        assert_eq!(
            sentence(&["--timeout", "0", "find", "a@b.c"]),
            "Invalid value '0' for '--timeout <SECONDS>': 0 is not in 1..=300 (see mfa-desk-admin --help); nothing was sent."
        );
        assert!(sentence(&["find", "a@b.c", "--frob"])
            .starts_with("Unexpected argument '--frob' found"));
        assert!(sentence(&[]).starts_with("No command given"));
        assert!(sentence(&["remov"]).contains("(did you mean 'recovery-code' or 'remove'?)"));
        for args in [&["remov"][..], &["find"], &["find", "a", "b"]] {
            assert!(!sentence(args).contains('\n'), "{args:?}");
        }
    }
}
