//! Load generators: closed loops (a fixed number of workers, each sending
//! its next request when the previous one answered), an open loop (requests
//! started on a schedule, whatever the answers do) and a closed loop of OS
//! threads for direct database references. Every latency is kept, so the
//! percentiles are exact; the counts are bounded by the windows.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long one request may take before it counts as an error, so that a
/// stuck server never hangs the bench.
const REQUEST_LIMIT: Duration = Duration::from_secs(30);

/// The latencies of one measurement.
#[derive(Clone, Debug, Default)]
pub struct Sample {
    /// Of the successful requests, sorted (shortest first).
    pub latencies: Vec<Duration>,
    /// From the first request's start to the last one's end.
    pub elapsed: Duration,
    pub errors: u64,
}

impl Sample {
    fn new(mut latencies: Vec<Duration>, elapsed: Duration, errors: u64) -> Self {
        latencies.sort_unstable();
        Self {
            latencies,
            elapsed,
            errors,
        }
    }

    /// Successful requests.
    pub fn count(&self) -> usize {
        self.latencies.len()
    }

    /// Successful requests per second.
    pub fn throughput(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.latencies.len() as f64 / seconds
        } else {
            0.0
        }
    }

    /// The latency `p` per cent of requests stayed within (nearest rank),
    /// `p` in 0..=100; zero when nothing succeeded.
    pub fn percentile(&self, p: f64) -> Duration {
        let n = self.latencies.len();
        if n == 0 {
            return Duration::ZERO;
        }
        let rank = ((p.clamp(0.0, 100.0) / 100.0) * n as f64).ceil() as usize;
        let index = rank.saturating_sub(1).min(n - 1);
        if self.latencies.is_sorted() {
            self.latencies[index]
        } else {
            // Built by hand rather than by the loops below.
            let mut sorted = self.latencies.clone();
            sorted.sort_unstable();
            sorted[index]
        }
    }

    pub fn p50_ms(&self) -> f64 {
        self.percentile(50.0).as_secs_f64() * 1000.0
    }

    pub fn p99_ms(&self) -> f64 {
        self.percentile(99.0).as_secs_f64() * 1000.0
    }
}

/// Prints the first error of a measurement, once.
#[derive(Clone, Default)]
struct FirstError(Arc<AtomicBool>);

impl FirstError {
    fn report(&self, error: &str) {
        if !self.0.swap(true, Ordering::Relaxed) {
            eprintln!("  first error: {error}");
        }
    }
}

/// Room for the latencies a worker may record, without growing a vector
/// past what the bounds allow.
fn capacity(max_requests: u64, workers: usize) -> usize {
    let per_worker = max_requests / (workers.max(1) as u64) + 1;
    usize::try_from(per_worker.min(1 << 18)).unwrap_or(1 << 18)
}

/// `concurrency` workers, each looping `work(worker, i)` until `duration`
/// passed or `max_requests` were started in all; `i` numbers the requests
/// across all workers (0, 1, 2, …), so it can make ids unique. Errors are
/// counted, not timed; the first is printed once. A request still running
/// after 30 s counts as an error.
pub async fn closed_loop<F, Fut>(
    concurrency: usize,
    duration: Duration,
    max_requests: u64,
    work: F,
) -> Sample
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let work = Arc::new(work);
    let issued = Arc::new(AtomicU64::new(0));
    let first_error = FirstError::default();
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::with_capacity(concurrency);
    for worker in 0..concurrency.max(1) {
        let work = Arc::clone(&work);
        let issued = Arc::clone(&issued);
        let first_error = first_error.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(capacity(max_requests, concurrency));
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let i = issued.fetch_add(1, Ordering::Relaxed);
                if i >= max_requests {
                    break;
                }
                let sent = Instant::now();
                match tokio::time::timeout(REQUEST_LIMIT, work(worker, i)).await {
                    Ok(Ok(())) => latencies.push(sent.elapsed()),
                    Ok(Err(error)) => {
                        errors += 1;
                        first_error.report(&error);
                    }
                    Err(_) => {
                        errors += 1;
                        first_error.report("no answer within 30 s");
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        match worker.await {
            Ok((worker_latencies, worker_errors)) => {
                latencies.extend(worker_latencies);
                errors += worker_errors;
            }
            Err(error) => {
                errors += 1;
                first_error.report(&format!("a worker failed: {error}"));
            }
        }
    }
    Sample::new(latencies, started.elapsed(), errors)
}

/// Starts `work(i)` at `rate` per second for `duration`, each in a task of
/// its own (never waiting for earlier ones); each latency runs from the
/// moment the request was due, so a slow server cannot hide its delay by
/// slowing the sender (no coordinated omission). Ticks missed by the timer
/// are sent at once. Requests not answered within 30 s of the last start
/// count as errors.
pub async fn open_loop<F, Fut>(rate: f64, duration: Duration, work: F) -> Sample
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    if !(rate.is_finite() && rate > 0.0) {
        return Sample::default();
    }
    let total = (rate * duration.as_secs_f64()).round().max(1.0) as u64;
    let period = Duration::from_secs_f64(1.0 / rate).max(Duration::from_nanos(1));
    let first_error = FirstError::default();
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut requests = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    for i in 0..total {
        let due = ticks.tick().await;
        let request = work(i);
        requests.push(tokio::spawn(async move {
            match tokio::time::timeout(REQUEST_LIMIT, request).await {
                Ok(Ok(())) => Ok(due.elapsed()),
                Ok(Err(error)) => Err(error),
                Err(_) => Err("no answer within 30 s".to_owned()),
            }
        }));
    }
    let mut latencies = Vec::with_capacity(requests.len());
    let mut errors = 0;
    let last_call = tokio::time::Instant::now() + REQUEST_LIMIT + Duration::from_secs(1);
    for request in requests {
        let outcome = tokio::time::timeout_at(last_call, request).await;
        match outcome {
            Ok(Ok(Ok(latency))) => latencies.push(latency),
            Ok(Ok(Err(error))) => {
                errors += 1;
                first_error.report(&error);
            }
            Ok(Err(error)) => {
                errors += 1;
                first_error.report(&format!("a request task failed: {error}"));
            }
            Err(_) => {
                errors += 1;
                first_error.report("no answer in time");
            }
        }
    }
    Sample::new(latencies, started.elapsed(), errors)
}

/// `threads` OS threads, each looping `work(thread, i)` until `duration`
/// passed; `i` numbers the calls across all threads. For references
/// measured directly against PostgreSQL or in process, away from the
/// async runtime (called from a task, it tells the runtime it blocks).
pub fn blocking_closed_loop<F>(threads: usize, duration: Duration, work: F) -> Sample
where
    F: Fn(usize, u64) -> Result<(), String> + Send + Sync + 'static,
{
    let run = move || {
        let issued = AtomicU64::new(0);
        let first_error = FirstError::default();
        let started = Instant::now();
        let deadline = started + duration;
        let results: Vec<(Vec<Duration>, u64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.max(1))
                .map(|thread| {
                    let (work, issued, first_error) = (&work, &issued, first_error.clone());
                    scope.spawn(move || {
                        let mut latencies = Vec::with_capacity(1 << 14);
                        let mut errors = 0u64;
                        while Instant::now() < deadline {
                            let i = issued.fetch_add(1, Ordering::Relaxed);
                            let sent = Instant::now();
                            match work(thread, i) {
                                Ok(()) => latencies.push(sent.elapsed()),
                                Err(error) => {
                                    errors += 1;
                                    first_error.report(&error);
                                }
                            }
                        }
                        (latencies, errors)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|_| (Vec::new(), 1)))
                .collect()
        });
        let elapsed = started.elapsed();
        let mut latencies = Vec::new();
        let mut errors = 0;
        for (thread_latencies, thread_errors) in results {
            latencies.extend(thread_latencies);
            errors += thread_errors;
        }
        Sample::new(latencies, elapsed, errors)
    };
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(run)
        }
        _ => run(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let sample = Sample::new(
            (1..=100).rev().map(Duration::from_millis).collect(),
            Duration::from_secs(1),
            0,
        );
        assert_eq!(sample.percentile(50.0), Duration::from_millis(50));
        assert_eq!(sample.percentile(99.0), Duration::from_millis(99));
        assert_eq!(sample.percentile(100.0), Duration::from_millis(100));
        assert_eq!(sample.percentile(0.0), Duration::from_millis(1));
        assert!((sample.throughput() - 100.0).abs() < 1e-9);
        assert_eq!(Sample::default().percentile(99.0), Duration::ZERO);
    }
}
