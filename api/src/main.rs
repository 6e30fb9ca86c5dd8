//! The `noxchat` command: serve, migrate, print the OpenAPI spec, seed demo data.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use noxchat::config::Config;
use noxchat::startup::Application;
use noxchat::{db, openapi, seed, telemetry};

/// jemalloc gives memory back after a peak (thousands of sockets, a burst
/// of uploads), where glibc's allocator kept it for good.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
    /// Give or take moderator and admin rights.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Meilisearch's indexes (when MEILI_URL is set).
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Fill an empty database with a demo community and its forum; or,
    /// with --topics and --posts, add a forum of that size for benchmarks.
    Seed {
        /// Add the demo accounts even if the database already has users.
        #[arg(long)]
        force: bool,
        /// Bulk mode: this many topics (with --posts).
        #[arg(long, requires = "posts")]
        topics: Option<u32>,
        /// Bulk mode: this many posts in all (with --topics).
        #[arg(long, requires = "topics")]
        posts: Option<u32>,
    },
}

#[derive(Subcommand)]
enum SearchAction {
    /// Rebuild every index from the database, in batches, without
    /// downtime: fresh indexes are filled, then swapped in.
    Reindex,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Make a person a moderator or an admin.
    Grant {
        handle: String,
        #[arg(value_enum)]
        role: GrantedRole,
    },
    /// Make a person an ordinary user again.
    Revoke { handle: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GrantedRole {
    Moderator,
    Admin,
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
    // Held to the end of `main`, so that the log files get their last lines.
    let _log_guard = match telemetry::init(config.log_format, config.log_files.as_ref()) {
        Ok(guard) => guard,
        Err(error) => return fail(format_args!("configuration error: {error}")),
    };
    match command {
        Command::Serve => serve(config),
        Command::Migrate => match db::prepare(&config.database_url) {
            Ok(applied) => {
                println!("{applied} migration(s) applied");
                ExitCode::SUCCESS
            }
            Err(error) => fail(format_args!("{error}")),
        },
        Command::Search {
            action: SearchAction::Reindex,
        } => reindex(&config),
        Command::Seed {
            force,
            topics,
            posts,
        } => {
            if let Err(error) = db::prepare(&config.database_url) {
                return fail(format_args!("{error}"));
            }
            if let (Some(topics), Some(posts)) = (topics, posts) {
                let started = std::time::Instant::now();
                return match seed::bulk::bulk(&config, topics, posts) {
                    Ok(report) => {
                        println!(
                            "Added {} topics and {} posts in {:.1} s, written by {}1 … {}200 (password `{}`).",
                            report.topics,
                            report.posts,
                            started.elapsed().as_secs_f64(),
                            report.prefix,
                            report.prefix,
                            seed::DEMO_PASSWORD
                        );
                        ExitCode::SUCCESS
                    }
                    Err(error) => fail(format_args!("{error}")),
                };
            }
            match seed::seed(&config, force) {
                Ok(report) => {
                    let handles: Vec<_> = seed::demo_handles().collect();
                    println!(
                        "Added {} people, {} friendships and {} friend requests.\nAdded {} topics, {} posts and {} likes to the forum.\nSign in as any of {} with the password `{}`.",
                        report.people,
                        report.friendships,
                        report.requests,
                        report.forum.topics,
                        report.forum.posts,
                        report.forum.likes,
                        handles.join(", "),
                        seed::DEMO_PASSWORD
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => fail(format_args!("{error}")),
            }
        }
        Command::Admin { action } => admin(&config, action),
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

fn admin(config: &Config, action: AdminAction) -> ExitCode {
    use diesel::Connection;
    use noxchat::core::Role;

    if let Err(error) = db::prepare(&config.database_url) {
        return fail(format_args!("{error}"));
    }
    let (handle, role) = match action {
        AdminAction::Grant { handle, role } => (
            handle,
            match role {
                GrantedRole::Moderator => Role::Moderator,
                GrantedRole::Admin => Role::Admin,
            },
        ),
        AdminAction::Revoke { handle } => (handle, Role::User),
    };
    let changed = diesel::PgConnection::establish(&config.database_url)
        .map_err(|error| error.to_string())
        .and_then(|mut conn| {
            let listed = noxchat::core::users::find_by_handle(&mut conn, &handle)
                .map_err(|e| e.to_string())?
                .is_some_and(|user| config.admin_emails.contains(&user.email));
            if listed && role != Role::Admin {
                // The list would make them admin again at the next start.
                return Err(format!(
                    "@{handle}'s address is in NOXCHAT_ADMIN_EMAILS: remove it there first"
                ));
            }
            noxchat::people::roles::set_role(&mut conn, &handle, role).map_err(|e| e.to_string())
        });
    match changed {
        Ok(Some(user)) => {
            println!("@{} is now {}.", user.handle, user.role);
            ExitCode::SUCCESS
        }
        Ok(None) => fail(format_args!("there is no user @{handle}")),
        Err(error) => fail(format_args!("{error}")),
    }
}

fn fail(message: std::fmt::Arguments<'_>) -> ExitCode {
    eprintln!("noxchat: {message}");
    ExitCode::FAILURE
}

/// `noxchat search reindex`.
fn reindex(config: &Config) -> ExitCode {
    let Some(settings) = &config.meili else {
        return fail(format_args!(
            "MEILI_URL is not set: PostgreSQL's search keeps its own index"
        ));
    };
    if let Err(error) = db::prepare(&config.database_url) {
        return fail(format_args!("{error}"));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(format_args!("{error}")),
    };
    let rebuilt = runtime.block_on(async {
        let meili = noxchat::search::meili::Meili::new(settings)?;
        meili
            .reindex(&config.database_url, |line| println!("{line}"))
            .await
            .map_err(|error| noxchat::search::meili::MeiliError::Task(error.to_string()))
    });
    match rebuilt {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(format_args!("{error}")),
    }
}
