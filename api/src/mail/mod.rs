//! Outgoing email. A feature renders an [`OutgoingEmail`] and enqueues it as a
//! job in the same transaction as the change that causes it; the job worker
//! hands it to the [`Mailer`] after commit, retrying with back-off, so no
//! request ever waits on SMTP and no email is lost when the mail server is down.

mod transport;

use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

pub use transport::{MailTransport, SendError};

/// A rendered email, ready to be queued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// What is left of the body of an email that failed for good: its one-time
/// links must not outlive the attempt to deliver them.
pub const SCRUBBED_BODY: &str = "[removed after the email failed for good]";

impl OutgoingEmail {
    /// Keeps who it was for and what it was about, drops the body.
    pub fn scrub(&mut self) {
        SCRUBBED_BODY.clone_into(&mut self.text_body);
        SCRUBBED_BODY.clone_into(&mut self.html_body);
    }
}

/// Sends email from the configured sender address through the configured
/// transport.
#[derive(Clone)]
pub struct Mailer {
    transport: MailTransport,
    from: Mailbox,
}

impl Mailer {
    pub fn new(transport: MailTransport, from: Mailbox) -> Self {
        Self { transport, from }
    }

    pub async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        let sent = self.transport.send(&self.from, email).await;
        match sent {
            Ok(()) => crate::metrics::email_sent(),
            Err(_) => crate::metrics::email_failed(),
        }
        sent
    }
}
