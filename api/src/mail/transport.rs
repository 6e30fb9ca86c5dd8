//! Where email goes: an SMTP server when `SMTP_URL` is set, otherwise `.eml`
//! files in the data dir's outbox, so everything works with no mail server.

use std::path::PathBuf;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::OutgoingEmail;
use crate::config::{Config, ConfigError};

#[derive(Clone)]
pub enum MailTransport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files readable by their owner only: they carry live links.
    Outbox(PathBuf),
}

/// Whether a failed email is worth trying again.
#[derive(Debug)]
pub enum SendError {
    Permanent(String),
    Transient(String),
}

impl MailTransport {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|builder| Self::Smtp(builder.build()))
                .map_err(|e| ConfigError {
                    variable: "SMTP_URL",
                    problem: e.to_string(),
                }),
            None => {
                let dir = config.outbox_dir();
                crate::private_files::create_dir_all(&dir).map_err(|e| ConfigError {
                    variable: "NOXCHAT_DATA_DIR",
                    problem: format!("cannot create the mail outbox {}: {e}", dir.display()),
                })?;
                Ok(Self::Outbox(dir))
            }
        }
    }

    pub async fn send(&self, from: &Mailbox, email: &OutgoingEmail) -> Result<(), SendError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e| SendError::Permanent(format!("bad recipient: {e}")))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                email.text_body.clone(),
                email.html_body.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))?;
        match self {
            Self::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Self::Outbox(dir) => {
                let path = dir.join(format!("{}.eml", uuid::Uuid::new_v4()));
                let bytes = message.formatted();
                let target = path.clone();
                tokio::task::spawn_blocking(move || {
                    crate::private_files::write_new(&target, &bytes)
                })
                .await
                .map_err(|e| SendError::Transient(e.to_string()))?
                .map_err(|e| SendError::Transient(e.to_string()))?;
                tracing::info!(
                    mail.file = %path.display(),
                    mail.subject = %email.subject,
                    "email written to the outbox (SMTP_URL is not set)"
                );
                Ok(())
            }
        }
    }
}
