//! The background sender: drains the outbox when woken and every few seconds.

use std::time::Duration;

use chrono::Utc;
use lettre::message::Mailbox;

use super::transport::{MailTransport, SendError};
use super::{MailWaker, queries};
use crate::db::{self, DbPool};
use crate::error::ApiError;

const POLL_EVERY: Duration = Duration::from_secs(5);
const BATCH: i64 = 20;
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
const MAX_ATTEMPTS: i32 = 10;

pub fn spawn_worker(
    pool: DbPool,
    transport: MailTransport,
    from: Mailbox,
    waker: MailWaker,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = drain(&pool, &transport, &from).await {
                tracing::warn!(%error, "mail worker could not read the outbox");
            }
            tokio::select! {
                () = waker.woken() => {}
                () = tokio::time::sleep(POLL_EVERY) => {}
            }
        }
    })
}

async fn drain(pool: &DbPool, transport: &MailTransport, from: &Mailbox) -> Result<(), ApiError> {
    loop {
        let now = Utc::now();
        let batch = db::run(pool, move |conn| {
            Ok(queries::claim_due(conn, BATCH, now, now + LEASE)?)
        })
        .await?;
        if batch.is_empty() {
            return Ok(());
        }
        for email in batch {
            let outcome = transport.send(from, &email).await;
            let id = email.id;
            let attempts = email.attempts + 1;
            match outcome {
                Ok(()) => db::run(pool, move |conn| Ok(queries::delete(conn, id)?)).await?,
                Err(failure) => {
                    let (message, retry_at) = match failure {
                        SendError::Transient(message) if attempts < MAX_ATTEMPTS => {
                            (message, Some(Utc::now() + backoff(attempts)))
                        }
                        SendError::Transient(message) | SendError::Permanent(message) => {
                            (message, None)
                        }
                    };
                    tracing::warn!(mail.id = %id, attempts, error = %message, gives_up = retry_at.is_none(), "sending email failed");
                    db::run(pool, move |conn| {
                        Ok(queries::record_failure(
                            conn, id, attempts, &message, retry_at,
                        )?)
                    })
                    .await?;
                }
            }
        }
    }
}

/// 30 s, 1 min, 2 min, … capped at an hour.
fn backoff(attempts: i32) -> chrono::Duration {
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
