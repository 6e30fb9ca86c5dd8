//! The `noxchat` command: serve, migrate, print the OpenAPI spec, seed demo data.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use noxchat::config::Config;
use noxchat::startup::Application;
use noxchat::{db, openapi, seed, telemetry};

#[derive(Parser)]
#[command(
    name = "noxchat",
    version,
    about = "NoxChat: a forum and a messenger in one"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve HTTP (the default).
    Serve,
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Print the AsyncAPI document of the real-time WebSocket as JSON.
    Asyncapi,
    /// Fill an empty database with demo accounts.
    Seed {
        /// Add the demo accounts even if the database already has users.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", openapi::spec_json());
        return ExitCode::SUCCESS;
    }
    if let Command::Asyncapi = command {
        print!("{}", openapi::asyncapi::document_json());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => return fail(format_args!("configuration error: {error}")),
    };
    telemetry::init(config.log_format);
    match command {
        Command::Serve => serve(config),
        Command::Migrate => match db::prepare(&config.database_url) {
            Ok(applied) => {
                println!("{applied} migration(s) applied");
                ExitCode::SUCCESS
            }
            Err(error) => fail(format_args!("{error}")),
        },
        Command::Seed { force } => {
            if let Err(error) = db::prepare(&config.database_url) {
                return fail(format_args!("{error}"));
            }
            match seed::seed(&config, force) {
                Ok(report) => {
                    let handles: Vec<_> = seed::demo_handles().collect();
                    println!(
                        "Added {} people, {} friendships and {} friend requests.\nSign in as any of {} with the password `{}`.",
                        report.people,
                        report.friendships,
                        report.requests,
                        handles.join(", "),
                        seed::DEMO_PASSWORD
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => fail(format_args!("{error}")),
            }
        }
        Command::Openapi | Command::Asyncapi => ExitCode::SUCCESS,
    }
}

#[actix_web::main]
async fn serve(config: Config) -> ExitCode {
    let bind = config.bind;
    let public_url = config.public_url.clone();
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) => return fail(format_args!("{error}")),
    };
    tracing::info!(%bind, %public_url, "NoxChat is listening; API docs at {public_url}api/docs/");
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(format_args!("server stopped: {error}")),
    }
}

fn fail(message: std::fmt::Arguments<'_>) -> ExitCode {
    eprintln!("noxchat: {message}");
    ExitCode::FAILURE
}
