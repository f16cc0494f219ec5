//! `mfa-desk-helpdesk`: serve, check the configuration, or verify the audit trail.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use helpdesk_service::config::{client_secret, Config};
use helpdesk_service::store::{audit, Store};

#[derive(Parser)]
#[command(
    name = "mfa-desk-helpdesk",
    version,
    about = "The MFA Desk helpdesk service"
)]
struct Cli {
    /// The TOML configuration (environment: MFA_DESK_HELPDESK_CONFIG).
    #[arg(long, env = "MFA_DESK_HELPDESK_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Print every setting with where it came from, check them, and exit.
    #[arg(long)]
    check_config: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the helpdesk API (the default).
    Serve,
    /// Check the whole audit chain and name the first broken row.
    VerifyAudit,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let loaded = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("mfa-desk-helpdesk: configuration: {e}");
            return ExitCode::from(2);
        }
    };
    if cli.check_config {
        println!("{}", loaded.report());
        // Where the secret would come from; never its value.
        let secret = client_secret(loaded.config.auth0.client_secret_file.as_deref(), |n| {
            std::env::var(n).ok()
        });
        match &secret {
            Ok((_, origin)) => println!("# client secret: from {origin}"),
            Err(e) => println!("# client secret: {e}"),
        }
        return match loaded
            .config
            .check()
            .map_err(|e| e.to_string())
            .and(secret.map(drop))
        {
            Ok(()) => {
                println!("# configuration OK");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("mfa-desk-helpdesk: configuration: {e}");
                ExitCode::from(2)
            }
        };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => runtime.block_on(helpdesk_service::server::run(loaded.config)),
        Command::VerifyAudit => runtime.block_on(verify_audit(loaded.config)),
    }
}

async fn verify_audit(config: Config) -> ExitCode {
    let store = match Store::open(&config.storage.url, 1).await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("verify-audit: {e}");
            return ExitCode::from(2);
        }
    };
    let result = audit::verify(&store).await;
    store.close().await;
    match result {
        Ok(Ok(rows)) => {
            println!("verify-audit: the chain is intact ({rows} rows)");
            ExitCode::SUCCESS
        }
        Ok(Err(broken)) => {
            println!("verify-audit: BROKEN at {broken}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("verify-audit: {e}");
            ExitCode::from(2)
        }
    }
}
