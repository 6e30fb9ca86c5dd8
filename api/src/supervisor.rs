//! Background tasks under supervision. A task that returns an error or
//! panics is logged with its cause and restarted after a delay that grows
//! while it keeps failing; its health is what `/readyz` reports. On shutdown
//! the tasks are stopped one by one, last started first, each given time to
//! finish what it is doing.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;

use crate::error::with_causes;

pub type TaskError = Box<dyn std::error::Error + Send + Sync>;

const FIRST_RESTART_DELAY: Duration = Duration::from_millis(500);
const MAX_RESTART_DELAY: Duration = Duration::from_secs(60);
/// A task that ran this long before failing is not "failing repeatedly":
/// its next restart comes after the first delay again.
const STABLE_AFTER: Duration = Duration::from_secs(60);

/// How one background task is doing.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TaskHealth {
    #[schema(example = "job_worker_1")]
    pub name: String,
    /// False while the task waits to be restarted after a failure.
    pub healthy: bool,
    /// Times it failed and was restarted since the server started.
    pub restarts: u32,
    /// The cause of its last failure.
    pub last_error: Option<String>,
}

/// The health of every supervised task, shared with `/readyz`.
#[derive(Clone, Default)]
pub struct TaskBoard(Arc<Mutex<BTreeMap<String, TaskHealth>>>);

impl TaskBoard {
    pub fn snapshot(&self) -> Vec<TaskHealth> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }

    fn update(&self, name: &str, change: impl FnOnce(&mut TaskHealth)) {
        let mut tasks = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let health = tasks.entry(name.to_owned()).or_insert_with(|| TaskHealth {
            name: name.to_owned(),
            healthy: true,
            restarts: 0,
            last_error: None,
        });
        change(health);
    }
}

struct Supervised {
    name: String,
    stop: CancellationToken,
    handle: JoinHandle<()>,
}

#[derive(Default)]
pub struct Supervisor {
    board: TaskBoard,
    tasks: Vec<Supervised>,
}

impl Supervisor {
    pub fn board(&self) -> TaskBoard {
        self.board.clone()
    }

    /// Runs `start(stop)` and starts it again whenever it fails. The task
    /// should return `Ok` promptly once `stop` is cancelled.
    pub fn spawn<F, Fut>(&mut self, name: impl Into<String>, start: F)
    where
        F: Fn(CancellationToken) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), TaskError>> + Send + 'static,
    {
        let name = name.into();
        let stop = CancellationToken::new();
        let board = self.board.clone();
        board.update(&name, |_| {});
        let handle = tokio::spawn(supervise(name.clone(), board, stop.clone(), start));
        self.tasks.push(Supervised { name, stop, handle });
    }

    /// Stops the tasks in reverse order of starting, waiting up to `grace`
    /// for each to finish its current piece of work.
    pub async fn shutdown(mut self, grace: Duration) {
        while let Some(task) = self.tasks.pop() {
            task.stop.cancel();
            let abort = task.handle.abort_handle();
            if tokio::time::timeout(grace, task.handle).await.is_err() {
                tracing::warn!(task = %task.name, "background task did not stop in time; aborted");
                abort.abort();
            } else {
                tracing::info!(task = %task.name, "background task stopped");
            }
        }
    }
}

async fn supervise<F, Fut>(name: String, board: TaskBoard, stop: CancellationToken, start: F)
where
    F: Fn(CancellationToken) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), TaskError>> + Send + 'static,
{
    let mut delay = FIRST_RESTART_DELAY;
    loop {
        let started = Instant::now();
        // Spawned, so that a panic ends this run of the task, not supervision.
        let outcome = tokio::spawn(start(stop.child_token())).await;
        if stop.is_cancelled() {
            return;
        }
        let cause = match outcome {
            Ok(Ok(())) => "it stopped on its own".to_owned(),
            Ok(Err(error)) => with_causes(error.as_ref()),
            Err(join_error) if join_error.is_panic() => panic_message(join_error.into_panic()),
            Err(join_error) => join_error.to_string(),
        };
        if started.elapsed() > STABLE_AFTER {
            delay = FIRST_RESTART_DELAY;
        }
        tracing::error!(task = %name, %cause, restart_in = ?delay, "background task failed; restarting it");
        board.update(&name, |health| {
            health.healthy = false;
            health.restarts += 1;
            health.last_error = Some(cause);
        });
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(MAX_RESTART_DELAY);
        board.update(&name, |health| health.healthy = true);
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned());
    format!("panicked: {message}")
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_panicking_task_is_restarted_and_its_cause_reported() {
        let mut supervisor = Supervisor::default();
        let board = supervisor.board();
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        supervisor.spawn("flaky", move |stop: CancellationToken| {
            let run = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(run > 0, "the first run falls over");
                stop.cancelled().await;
                Ok(())
            }
        });
        while runs.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let [health] = board.snapshot().try_into().expect("one task");
        assert!(health.healthy, "running again");
        assert_eq!(health.restarts, 1);
        let cause = health.last_error.expect("a cause");
        assert!(
            cause.contains("panicked: the first run falls over"),
            "{cause}"
        );

        supervisor.shutdown(Duration::from_secs(1)).await;
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "not restarted after shutdown"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_is_reported_with_its_causes_and_the_task_tried_again() {
        let mut supervisor = Supervisor::default();
        let board = supervisor.board();
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        supervisor.spawn("fails", move |_stop| {
            counted.fetch_add(1, Ordering::SeqCst);
            async {
                let io = std::io::Error::other("connection refused");
                Err(TaskError::from(crate::error::ApiError::internal(io)))
            }
        });
        while runs.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let [health] = board.snapshot().try_into().expect("one task");
        assert!(health.restarts >= 2);
        let cause = health.last_error.expect("a cause");
        assert!(cause.contains("connection refused"), "{cause}");
        supervisor.shutdown(Duration::from_secs(1)).await;
    }
}
