//! Reading what the server mailed: from the `.eml` outbox, or from a real
//! SMTP server started inside the test.

use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::response::{INTERNAL_ERROR, NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server};

#[derive(Clone, Debug)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl ReceivedMail {
    pub fn parse(raw: &[u8], to: Vec<String>) -> Self {
        let parsed = mailparse::parse_mail(raw).expect("a MIME message");
        let subject = parsed
            .headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case("subject"))
            .map(|h| h.get_value())
            .unwrap_or_default();
        let mut text = String::new();
        let mut html = String::new();
        for part in parsed.parts() {
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = part.get_body().expect("text body"),
                "text/html" => html = part.get_body().expect("html body"),
                _ => {}
            }
        }
        Self {
            to,
            subject,
            text,
            html,
        }
    }

    /// The `token` in the fragment of the first link to `path` in the text.
    pub fn link_token(&self, path: &str) -> String {
        let start = self
            .text
            .find(&format!("{path}#token="))
            .unwrap_or_else(|| panic!("no {path}#token= link in: {}", self.text));
        let rest = &self.text[start + path.len() + "#token=".len()..];
        rest.split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The messages to `to` in the outbox now.
pub fn outbox_mails(dir: &Path, to: &str) -> Vec<ReceivedMail> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let raw = std::fs::read(entry.path()).unwrap_or_default();
            let headers = String::from_utf8_lossy(&raw);
            if headers
                .lines()
                .any(|l| l.to_lowercase().starts_with("to:") && l.contains(to))
            {
                found.push(ReceivedMail::parse(&raw, Vec::new()));
            }
        }
    }
    found
}

/// Waits for the `.eml` files of the outbox to hold `count` messages to `to`.
pub async fn wait_for_outbox(dir: &Path, to: &str, count: usize) -> Vec<ReceivedMail> {
    for _ in 0..300 {
        let found = outbox_mails(dir, to);
        if found.len() >= count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("expected {count} email(s) to {to} in {}", dir.display());
}

/// A real SMTP server on a random port that keeps what it receives.
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

/// How the test's SMTP server answers a recipient.
#[derive(Clone, Copy, Debug, Default)]
pub enum Answer {
    #[default]
    Accept,
    /// 451: try again later.
    RefuseForNow,
    /// 550: never going to work.
    RefuseForGood,
}

#[derive(Default)]
struct Behaviour {
    /// Messages still to be refused before accepting (`u32::MAX`: all).
    refusals_left: AtomicU32,
    refusal: Answer,
    /// How long to think before answering each recipient.
    delay: Duration,
}

#[derive(Clone)]
struct Capture {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    behaviour: Arc<Behaviour>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Capture {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn rcpt(&mut self, _to: &str) -> Response {
        std::thread::sleep(self.behaviour.delay);
        let refuse = self
            .behaviour
            .refusals_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| match left {
                0 => None,
                u32::MAX => Some(u32::MAX),
                left => Some(left - 1),
            })
            .is_ok();
        match self.behaviour.refusal {
            Answer::RefuseForNow if refuse => INTERNAL_ERROR,
            Answer::RefuseForGood if refuse => NO_MAILBOX,
            _ => OK,
        }
    }

    fn data_end(&mut self) -> Response {
        let mail = ReceivedMail::parse(&self.data, std::mem::take(&mut self.to));
        self.received.lock().expect("lock").push(mail);
        OK
    }
}

impl SmtpServer {
    pub fn start() -> Self {
        Self::start_with(Behaviour::default())
    }

    /// Refuses the first `count` messages (`u32::MAX`: every one) with
    /// `answer`, then accepts.
    pub fn refusing(count: u32, answer: Answer) -> Self {
        Self::start_with(Behaviour {
            refusals_left: AtomicU32::new(count),
            refusal: answer,
            delay: Duration::ZERO,
        })
    }

    /// Accepts every message, each after thinking for `delay`.
    pub fn slow(delay: Duration) -> Self {
        Self::start_with(Behaviour {
            delay,
            ..Behaviour::default()
        })
    }

    fn start_with(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP");
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Capture {
            received: received.clone(),
            behaviour: Arc::new(behaviour),
            to: Vec::new(),
            data: Vec::new(),
        });
        // One thread serves one connection, and the server's SMTP pool keeps
        // its connections open between emails: two instances of three
        // workers each would hold four threads and leave the rest waiting
        // for a pooled connection to time out.
        server
            .with_name("smtp.noxchat.test")
            .with_num_threads(16)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, received }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits for an email to `to` whose subject contains `subject`.
    pub async fn wait_for(&self, to: &str, subject: &str) -> ReceivedMail {
        for _ in 0..300 {
            let found = self
                .received
                .lock()
                .expect("lock")
                .iter()
                .find(|m| m.to.iter().any(|r| r.contains(to)) && m.subject.contains(subject))
                .cloned();
            if let Some(mail) = found {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the SMTP server received no email to {to} about {subject:?}");
    }
}
