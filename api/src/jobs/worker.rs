//! A job worker: claims one due job at a time, runs it while keeping its
//! lease alive, and settles it (done, retry later, or dead).

use std::time::Duration;

use diesel::Connection;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{Job, queries};
use crate::config::JobSettings;
use crate::core::{Clock, JobId};
use crate::db::{self, DbPool};
use crate::error::{ApiError, with_causes};
use crate::mail::{Mailer, SendError};
use crate::media::avatars::AvatarStore;
use crate::media::pictures::PictureStore;

/// A job that runs longer than this is abandoned and retried later: a mail
/// server that accepts the connection and then says nothing must not keep a
/// worker busy for ever.
const RUN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What jobs act on. This is where a new kind of job gets its tools.
#[derive(Clone)]
pub struct JobServices {
    pub mailer: Mailer,
    pub avatars: AvatarStore,
    pub pictures: PictureStore,
}

enum Failure {
    /// Worth another attempt later (a mail server that is down).
    Transient(String),
    /// Will never succeed (a malformed address).
    Permanent(String),
}

#[derive(Clone)]
pub struct JobRunner {
    pub pool: DbPool,
    pub clock: Clock,
    pub settings: JobSettings,
    pub services: JobServices,
    pub wakeups: watch::Receiver<u64>,
}

impl JobRunner {
    /// Runs due jobs until none is left, then waits for a wake-up or the
    /// next poll. Returns when cancelled, between jobs, so that a job in
    /// flight is finished and settled rather than cut off.
    pub async fn work(mut self, cancel: CancellationToken) -> Result<(), ApiError> {
        loop {
            // Marks the current wake-up as seen *before* looking for work,
            // so a job committed while we look is not slept through.
            self.wakeups.borrow_and_update();
            while !cancel.is_cancelled() && self.run_one().await? {}
            tokio::select! {
                () = cancel.cancelled() => return Ok(()),
                _ = self.wakeups.changed() => {}
                () = tokio::time::sleep(self.settings.poll_every) => {}
            }
        }
    }

    /// Runs the next due job, if there is one.
    async fn run_one(&self) -> Result<bool, ApiError> {
        let now = self.clock.now();
        let leased_until = now + self.lease();
        let claimed = db::run(&self.pool, move |conn| {
            Ok(queries::claim_next(conn, now, leased_until)?)
        })
        .await?;
        let Some(claimed) = claimed else {
            return Ok(false);
        };
        let token = claimed
            .lease_token
            .ok_or_else(|| ApiError::internal("a claimed job has no lease token"))?;
        let job = Job::from_row(&claimed.kind, claimed.payload);
        let outcome = match &job {
            Ok(job) => self.run_holding_lease(claimed.id, token, job).await,
            // Written by a newer version of the server, perhaps: one of its
            // instances may take it on a later attempt.
            Err(error) => Err(Failure::Transient(format!(
                "cannot read a `{}` job: {error}",
                claimed.kind
            ))),
        };
        self.settle(claimed.id, token, claimed.attempts, job.ok(), outcome)
            .await?;
        Ok(true)
    }

    /// Runs the job, extending its lease every third of the lease so that it
    /// never runs out while the job is still running, however long it takes.
    async fn run_holding_lease(&self, id: JobId, token: Uuid, job: &Job) -> Result<(), Failure> {
        let work = tokio::time::timeout(
            RUN_TIMEOUT,
            perform(&self.services, &self.pool, &self.clock, job),
        );
        tokio::pin!(work);
        let mut heartbeat = tokio::time::interval(self.settings.lease / 3);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                outcome = &mut work => {
                    return outcome.unwrap_or_else(|_| {
                        Err(Failure::Transient(format!("did not finish within {RUN_TIMEOUT:?}")))
                    });
                }
                _ = heartbeat.tick() => {
                    let leased_until = self.clock.now() + self.lease();
                    let extended = db::run(&self.pool, move |conn| {
                        Ok(queries::extend_lease(conn, id, token, leased_until)?)
                    })
                    .await;
                    match extended {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(job.id = %id, "a running job lost its lease"),
                        Err(error) => tracing::warn!(job.id = %id, error = %with_causes(&error), "could not extend a job's lease"),
                    }
                }
            }
        }
    }

    async fn settle(
        &self,
        id: JobId,
        token: Uuid,
        attempts: i32,
        job: Option<Job>,
        outcome: Result<(), Failure>,
    ) -> Result<(), ApiError> {
        let now = self.clock.now();
        let max_attempts = self.settings.max_attempts;
        if outcome.is_err() {
            crate::metrics::job_failed();
        }
        let settled = db::run(&self.pool, move |conn| {
            Ok(match outcome {
                Ok(()) => queries::complete(conn, id, token)?,
                Err(Failure::Transient(error)) if attempts < max_attempts => {
                    let retry_at = now + backoff(attempts);
                    tracing::warn!(job.id = %id, attempts, %error, %retry_at, "a job failed; it will be retried");
                    queries::retry_at(conn, id, token, &error, retry_at)?
                }
                Err(Failure::Transient(error) | Failure::Permanent(error)) => {
                    tracing::error!(job.id = %id, attempts, %error, "a job failed for good");
                    let scrubbed = job
                        .map(Job::scrubbed)
                        .and_then(|job| job.into_row().ok())
                        .map_or(serde_json::Value::Null, |(_, payload)| payload);
                    queries::bury(conn, id, token, &error, &scrubbed, now)?
                }
            })
        })
        .await?;
        if !settled {
            tracing::warn!(job.id = %id, "a job's lease was lost before it was settled");
        }
        Ok(())
    }

    fn lease(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::minutes(1))
    }
}

async fn perform(
    services: &JobServices,
    pool: &DbPool,
    clock: &Clock,
    job: &Job,
) -> Result<(), Failure> {
    match job {
        Job::SendEmail(email) => services
            .mailer
            .send(email)
            .await
            .map_err(|error| match error {
                SendError::Transient(message) => Failure::Transient(message),
                SendError::Permanent(message) => Failure::Permanent(message),
            }),
        Job::RemoveAvatarFiles { key } => {
            let store = services.avatars.clone();
            let key = key.clone();
            actix_web::web::block(move || store.delete(&key))
                .await
                .map_err(|error| Failure::Transient(error.to_string()))?
                .map_err(|error| Failure::Transient(error.to_string()))
        }
        Job::RemovePictureFiles { keys } => {
            let (store, keys) = (services.pictures.clone(), keys.clone());
            actix_web::web::block(move || keys.iter().try_for_each(|key| store.delete(key)))
                .await
                .map_err(|error| Failure::Transient(error.to_string()))?
                .map_err(|error| Failure::Transient(error.to_string()))
        }
        Job::DeliverNotifications { notices } => {
            let (notices, now) = (notices.clone(), clock.now());
            db::run(pool, move |conn| {
                conn.transaction(|conn| {
                    for notice in &notices {
                        crate::notifications::record(conn, notice, now)?;
                    }
                    Ok(())
                })
            })
            .await
            .map_err(|error| Failure::Transient(error.to_string()))
        }
    }
}

/// 30 s, 1 min, 2 min, … capped at an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    chrono::Duration::seconds((30 * 2_i64.pow(exponent)).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 60);
        assert_eq!(backoff(9).num_seconds(), 3600);
    }
}
