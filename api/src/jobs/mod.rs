//! Background work: one `jobs` table for every kind (emails, file clean-ups,
//! later search indexing and notifications).
//!
//! A feature enqueues a [`Job`] with [`enqueue`] inside the transaction that
//! causes the work, so the job exists if and only if the change committed.
//! The enqueue also notifies PostgreSQL's `noxchat_jobs` channel, which
//! reaches every instance's listener on commit; workers then claim one job at
//! a time with `FOR UPDATE SKIP LOCKED`, keep it leased while it runs, retry
//! failures with exponential back-off and give up after a limit, scrubbing
//! secrets from what they keep of a job that failed for good.

mod queries;
mod wakeups;
mod worker;

use diesel::PgConnection;
use serde::{Deserialize, Serialize};

pub use wakeups::{Wakeups, listen_for_wakeups};
pub use worker::{JobRunner, JobServices, backoff};

use crate::core::JobId;
use crate::mail::OutgoingEmail;

/// Every kind of background work, with what it needs to run. Stored as its
/// snake_case `kind` and a JSON `payload`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    SendEmail(OutgoingEmail),
    /// Both sizes of an avatar that nobody uses any more.
    RemoveAvatarFiles {
        key: String,
    },
    /// The files of pictures nobody uses.
    RemovePictureFiles {
        keys: Vec<String>,
    },
    /// Notifications of a new post, recorded together after it committed.
    DeliverNotifications {
        notices: Vec<crate::notifications::Notice>,
    },
}

impl Job {
    fn into_row(self) -> Result<(String, serde_json::Value), serde_json::Error> {
        let mut tagged = serde_json::to_value(self)?;
        let kind = tagged["kind"].as_str().unwrap_or_default().to_owned();
        Ok((kind, tagged["payload"].take()))
    }

    fn from_row(kind: &str, payload: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
    }

    /// What is kept of a job that failed for good: nothing secret.
    fn scrubbed(mut self) -> Self {
        match &mut self {
            Self::SendEmail(email) => email.scrub(),
            Self::RemoveAvatarFiles { .. }
            | Self::RemovePictureFiles { .. }
            | Self::DeliverNotifications { .. } => {}
        }
        self
    }
}

/// Queues a job. Call it inside the transaction of the change that causes
/// the work: workers on every instance wake when that transaction commits.
pub fn enqueue(conn: &mut PgConnection, job: Job) -> diesel::QueryResult<JobId> {
    let (kind, payload) = job
        .into_row()
        .map_err(|error| diesel::result::Error::SerializationError(Box::new(error)))?;
    queries::insert(conn, &kind, &payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reset_email() -> OutgoingEmail {
        OutgoingEmail {
            to: "ann@example.org".into(),
            subject: "Reset your NoxChat password".into(),
            text_body: "https://noxchat.test/reset-password?token=secret".into(),
            html_body: "<a href=\"https://noxchat.test/reset-password?token=secret\">".into(),
        }
    }

    #[test]
    fn a_job_is_stored_as_its_kind_and_payload_and_read_back() {
        let job = Job::SendEmail(reset_email());
        let (kind, payload) = job.clone().into_row().expect("serialises");
        assert_eq!(kind, "send_email");
        assert_eq!(payload["to"], "ann@example.org");
        assert_eq!(Job::from_row(&kind, payload).expect("parses"), job);

        let (kind, payload) = Job::RemoveAvatarFiles { key: "ab".into() }
            .into_row()
            .expect("serialises");
        assert_eq!(
            (kind.as_str(), payload["key"].as_str()),
            ("remove_avatar_files", Some("ab"))
        );
    }

    #[test]
    fn an_unknown_kind_is_an_error_not_a_guess() {
        assert!(Job::from_row("launch_rockets", serde_json::json!({})).is_err());
    }

    #[test]
    fn a_scrubbed_email_keeps_its_recipient_and_subject_but_not_its_links() {
        let Job::SendEmail(email) = Job::SendEmail(reset_email()).scrubbed() else {
            panic!("still an email");
        };
        assert_eq!(email.to, "ann@example.org");
        assert_eq!(email.subject, "Reset your NoxChat password");
        assert!(!email.text_body.contains("token") && !email.html_body.contains("token"));
    }
}
