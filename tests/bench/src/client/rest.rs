//! Over HTTP: signing seeded people in, finding their direct
//! conversation, sending a message.

use std::time::Duration;

use futures_util::{StreamExt, stream};
use serde_json::{Value, json};
use tokio::time::Instant;
use uuid::Uuid;

use crate::context::Context;

/// Longer than anything the server does at once under the bench's load.
const HTTP_PATIENCE: Duration = Duration::from_secs(30);
/// Each sign-in is an argon2 hash on one of the machine's 2 cores.
const SIGN_INS_AT_ONCE: usize = 2;

/// A seeded person signed in: their access token lasts 15 minutes, longer
/// than any section, and works on every server of the same database.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: Uuid,
    pub token: String,
}

async fn sign_in(ctx: &Context, base: &str, handle: String) -> Result<Person, String> {
    let response = ctx
        .http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": handle, "password": ctx.seed.password}))
        .timeout(HTTP_PATIENCE)
        .send()
        .await
        .map_err(|error| format!("signing in {handle}: {error}"))?;
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .map_err(|error| format!("signing in {handle}: {status}, {error}"))?;
    if !status.is_success() {
        return Err(format!("signing in {handle} answered {status}: {body}"));
    }
    let token = body["access_token"]
        .as_str()
        .ok_or_else(|| format!("signing in {handle}: no access token in {body}"))?
        .to_owned();
    let id = body["user"]["id"]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| format!("signing in {handle}: no user id in the answer"))?;
    Ok(Person { id, token })
}

/// Signs in seeded people 1 to `count` (in that order), two at a time.
pub async fn sign_in_people(
    ctx: &Context,
    base: &str,
    section: &str,
    count: i64,
) -> Result<Vec<Person>, String> {
    eprintln!(
        "{section}: signing in {count} seeded people ({SIGN_INS_AT_ONCE} at a time: one password hash each) …"
    );
    let started = Instant::now();
    let people: Vec<Result<Person, String>> = stream::iter(1..=count)
        .map(|n| sign_in(ctx, base, (ctx.seed.person_handle)(n)))
        .buffered(SIGN_INS_AT_ONCE)
        .collect()
        .await;
    let people = people.into_iter().collect::<Result<Vec<_>, _>>()?;
    eprintln!(
        "{section}: signed in {} people in {:.1} s",
        people.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(people)
}

/// The direct conversation of two people (the seeded one: opening it again
/// answers the same).
pub async fn direct_conversation(
    ctx: &Context,
    base: &str,
    from: &Person,
    to: &Person,
) -> Result<Uuid, String> {
    let response = ctx
        .http
        .post(format!("{base}/api/v1/conversations/direct"))
        .bearer_auth(&from.token)
        .json(&json!({"user_id": to.id.to_string()}))
        .timeout(HTTP_PATIENCE)
        .send()
        .await
        .map_err(|error| format!("opening a direct conversation: {error}"))?;
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .map_err(|error| format!("opening a direct conversation: {status}, {error}"))?;
    if !status.is_success() {
        return Err(format!(
            "opening a direct conversation answered {status}: {body}"
        ));
    }
    body["id"]
        .as_str()
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| format!("no conversation id in {body}"))
}

/// Sends a text message; `Ok` only for 201 (made now).
pub async fn send_message(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    conversation: Uuid,
    client_id: Uuid,
    body: &str,
) -> Result<(), String> {
    let response = http
        .post(format!(
            "{base}/api/v1/conversations/{conversation}/messages"
        ))
        .bearer_auth(token)
        .json(&json!({"client_id": client_id.to_string(), "body": body}))
        .timeout(HTTP_PATIENCE)
        .send()
        .await
        .map_err(|error| format!("sending a message: {error}"))?;
    let status = response.status();
    // Read to the end, so that the connection goes back to the pool.
    let answer = response
        .bytes()
        .await
        .map_err(|error| format!("sending a message: {status}, {error}"))?;
    if status.as_u16() == 201 {
        Ok(())
    } else {
        let answer = String::from_utf8_lossy(&answer);
        Err(format!(
            "sending a message answered {status}: {}",
            answer.chars().take(300).collect::<String>()
        ))
    }
}
