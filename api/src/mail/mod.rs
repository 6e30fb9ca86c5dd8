//! Outgoing email. Features write a row to the outbox in the same transaction
//! as the change that causes the email; a background worker sends it after
//! commit, retrying with back-off, so no request ever waits on SMTP and no
//! email is lost when the mail server is down.

mod queries;
mod transport;
mod worker;

use std::sync::Arc;

use diesel::PgConnection;
use tokio::sync::Notify;

pub use transport::MailTransport;
pub use worker::spawn_worker;

/// A rendered email, ready for the outbox.
#[derive(Clone, Debug)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Puts an email in the outbox. Call inside the transaction of the change.
pub fn enqueue(conn: &mut PgConnection, email: &OutgoingEmail) -> diesel::QueryResult<()> {
    queries::insert(conn, email)
}

/// Wakes the worker right after a commit that enqueued mail, instead of
/// leaving it to the next poll.
#[derive(Clone, Default)]
pub struct MailWaker(Arc<Notify>);

impl MailWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.0.notified().await;
    }
}
