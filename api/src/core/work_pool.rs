//! A small fixed set of threads for CPU- and memory-heavy work (password
//! hashes, image decoding), apart from the blocking pool that serves queries.
//!
//! Why not the blocking pool: it grows to dozens of threads, and the
//! allocator keeps what each thread once used, so a burst of 19 MiB hashes
//! or 80 MiB decodings on many threads leaves the process holding gigabytes.
//! Here the number of threads bounds both the work running at once and the
//! memory it can ever hold; each thread may also keep working memory of its
//! own (`S`) from one job to the next instead of allocating it per job.

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

type Job<S> = Box<dyn FnOnce(&mut S) + Send>;

/// Jobs waiting for a thread; callers beyond this wait (asynchronously) to
/// hand theirs over, holding nothing but their request.
const QUEUE: usize = 64;

#[derive(Debug, thiserror::Error)]
#[error("the {0} threads have stopped")]
pub struct PoolStopped(&'static str);

pub struct WorkPool<S> {
    name: &'static str,
    jobs: mpsc::Sender<Job<S>>,
}

impl<S> Clone for WorkPool<S> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            jobs: self.jobs.clone(),
        }
    }
}

impl<S: 'static> WorkPool<S> {
    /// Starts `threads` threads named `<name>-<n>`; each builds its working
    /// state with `init` the first time it gets a job, not before, so an idle
    /// server holds none. The threads end when the last handle is dropped.
    pub fn start(
        name: &'static str,
        threads: usize,
        init: impl Fn() -> S + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::channel::<Job<S>>(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        let init = Arc::new(init);
        for n in 0..threads.max(1) {
            let receiver = Arc::clone(&receiver);
            let init = Arc::clone(&init);
            std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    below_requests();
                    let mut state: Option<S> = None;
                    while let Some(job) = next_job(&receiver) {
                        job(state.get_or_insert_with(|| init()));
                    }
                })?;
        }
        Ok(Self { name, jobs: sender })
    }

    /// Runs `work` on one of the threads and waits for its result. If the
    /// caller gives up (a client hanging up drops its request) before a
    /// thread has taken the job, the job is skipped; once begun, it finishes
    /// on its thread, which is what keeps the bound on work at once true.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut S) -> T + Send + 'static,
    ) -> Result<T, PoolStopped> {
        let (reply, result) = oneshot::channel();
        let job: Job<S> = Box::new(move |state| {
            if !reply.is_closed() {
                let _ = reply.send(work(state));
            }
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| PoolStopped(self.name))?;
        result.await.map_err(|_| PoolStopped(self.name))
    }
}

fn next_job<S>(receiver: &Mutex<mpsc::Receiver<Job<S>>>) -> Option<Job<S>> {
    // A thread that panicked while holding the lock leaves it poisoned, but
    // the receiver inside is still sound.
    let mut receiver = receiver
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    receiver.blocking_recv()
}

/// Threads for heavy work: one per core, but never more than `most`.
pub fn threads_for_cores(most: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, most)
}

/// Lowers the calling thread's CPU priority (nice 10): heavy work still
/// takes every idle cycle, but a flood of sign-ins or uploads cannot keep
/// the threads that answer requests (`/healthz` among them) waiting for a
/// core. On Linux the nice value is the thread's own.
fn below_requests() {
    // `None`: on Linux, this thread alone.
    if let Err(error) = rustix::process::setpriority_process(None, 10) {
        tracing::debug!(%error, "the heavy-work threads keep the usual priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_pool_with_state_kept_between_jobs() {
        let pool = WorkPool::start("counting", 1, || 0_u32).unwrap();
        for _ in 0..3 {
            pool.run(|count| *count += 1).await.unwrap();
        }
        let (count, thread) = pool
            .run(|count| (*count, std::thread::current().name().map(str::to_owned)))
            .await
            .unwrap();
        assert_eq!(count, 3);
        assert_eq!(thread.as_deref(), Some("counting-0"));
    }

    #[tokio::test]
    async fn a_job_whose_caller_gave_up_before_it_began_is_skipped() {
        let pool = WorkPool::start("skipping", 1, Vec::<&str>::new).unwrap();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, running) = oneshot::channel::<()>();
        // Occupies the only thread until released.
        let blocker = tokio::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move |_| {
                    let _ = started.send(());
                    let _ = held.recv();
                })
                .await
            }
        });
        running.await.unwrap();
        let abandoned = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|log| log.push("abandoned")).await }
        });
        while pool.jobs.capacity() == QUEUE {
            tokio::task::yield_now().await;
        }
        abandoned.abort();
        let _ = abandoned.await;
        release.send(()).unwrap();
        blocker.await.unwrap().unwrap();
        let log = pool.run(|log| log.clone()).await.unwrap();
        assert!(log.is_empty(), "the abandoned job ran: {log:?}");
    }
}
