//! Structured logging with tracing: readable text by default, JSON lines when
//! `NOXCHAT_LOG_FORMAT=json`. Verbosity follows `RUST_LOG` (default `info`).
//! Lines go to stderr and, with `NOXCHAT_LOG_DIR`, to rotated files as well.

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate};
use rolling_file::{RollingCondition, RollingFileAppender};
use tracing_appender::non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::{FormatFields, MakeWriter};
use tracing_subscriber::layer::{Layered, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, Registry};

use crate::config::{ConfigError, LogFiles, LogFormat};

/// The file being written in `NOXCHAT_LOG_DIR`. Rotated ones are
/// `noxchat.log.1` (the newest) to `noxchat.log.<NOXCHAT_LOG_MAX_FILES>`.
const LOG_FILE_NAME: &str = "noxchat.log";

/// What each output's layer sits on: every event has passed `RUST_LOG`.
type Filtered = Layered<EnvFilter, Registry>;
type Output = Box<dyn Layer<Filtered> + Send + Sync>;

/// Keeps the log files' writer thread alive. Dropped when `main` returns,
/// it writes out the lines still queued, so the last ones are not lost.
#[must_use = "dropping the guard stops the log files"]
pub struct LogGuard {
    _file_writer: Option<WorkerGuard>,
}

/// Fails, naming `NOXCHAT_LOG_DIR`, when the log files cannot be written:
/// an operator who asked for them must not find out from an empty directory.
pub fn init(format: LogFormat, files: Option<&LogFiles>) -> Result<LogGuard, ConfigError> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    // Colour codes only help a person at a terminal; in a file or a pipe
    // they are noise.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut outputs = vec![output(format, colour, std::io::stderr)];
    let mut file_writer = None;
    if let Some(files) = files {
        let (writer, guard) = open_files(files)?;
        outputs.push(output(format, false, writer));
        file_writer = Some(guard);
    }
    // A second initialisation (tests start many servers) is harmless.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(outputs)
        .try_init();
    Ok(LogGuard {
        _file_writer: file_writer,
    })
}

/// The same lines for one destination, coloured or not.
fn output<W>(format: LogFormat, colour: bool, writer: W) -> Output
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(writer);
    match format {
        LogFormat::Json => layer
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
        LogFormat::Text if colour => layer.boxed(),
        // A span's fields are formatted once, by the first layer, and kept
        // for every layer whose field formatter has the same type
        // (tokio-rs/tracing#1817): uncoloured output gets a type of its own,
        // so a terminal's colour codes never reach a file.
        LogFormat::Text => layer.fmt_fields(PlainFields(DefaultFields::new())).boxed(),
    }
}

/// `DefaultFields` under another type: see [`output`].
struct PlainFields(DefaultFields);

impl<'writer> FormatFields<'writer> for PlainFields {
    fn format_fields<R: RecordFields>(
        &self,
        writer: Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        self.0.format_fields(writer, fields)
    }
}

/// `noxchat.log` in the directory (made if missing), written by a thread of
/// its own so that no request waits on the disk. That thread flushes
/// whenever it has written all it was given, so `tail -f` sees each line at
/// once, and under a burst lines are written in batches.
fn open_files(files: &LogFiles) -> Result<(NonBlocking, WorkerGuard), ConfigError> {
    let path = files.dir.join(LOG_FILE_NAME);
    std::fs::create_dir_all(&files.dir).map_err(|error| unwritable(&path, &error))?;
    let condition = NewDayOrFull {
        max_bytes: files.max_bytes,
        day: None,
    };
    let appender = RollingFileAppender::new(&path, condition, files.max_files)
        .map_err(|error| unwritable(&path, &error))?;
    Ok(NonBlockingBuilder::default()
        // Rather than drop lines when the disk falls behind (after 128 000
        // queued), logging waits, as it does for stderr.
        .lossy(false)
        .thread_name("noxchat-log-files")
        .finish(appender))
}

fn unwritable(path: &Path, error: &std::io::Error) -> ConfigError {
    ConfigError {
        variable: "NOXCHAT_LOG_DIR",
        problem: format!("cannot write logs to {}: {error}", path.display()),
    }
}

/// Rotates when the UTC day changes (the day the lines' timestamps show) or
/// the file has reached its size. Not rolling-file's own `daily()`: it finds
/// local midnight with an `unwrap()` that panics, ending the files, on days
/// whose midnight a clock change skips (in Chile, Paraguay or Cuba).
struct NewDayOrFull {
    max_bytes: u64,
    /// The day of the last line written; none before the first.
    day: Option<NaiveDate>,
}

impl RollingCondition for NewDayOrFull {
    fn should_rollover(&mut self, now: &DateTime<Local>, current_filesize: u64) -> bool {
        let today = now.naive_utc().date();
        let new_day = self.day.is_some_and(|day| day != today);
        self.day = Some(today);
        new_day || current_filesize >= self.max_bytes
    }
}
