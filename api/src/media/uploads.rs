//! Bounds on uploads, taken before a byte of the body is read: how many may
//! be in flight overall and per person, how large a whole request body may
//! grow (whatever its framing or field names), and how long it may take.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::Stream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::core::UserId;

/// Uploads being received or processed at once, across everyone. Each holds
/// up to its body in memory, so this bounds their memory: 4 × 10 MiB.
pub const UPLOADS_AT_ONCE: usize = 4;
/// Uploads one person may have in flight at once.
pub const UPLOADS_PER_PERSON: usize = 1;
/// How long an upload waits for a free place when all are taken, before
/// the client is told to try again.
const WAIT_FOR_A_PLACE: Duration = Duration::from_secs(5);

#[derive(Debug, PartialEq, Eq)]
pub enum NoPlace {
    /// This person already has an upload in flight.
    YoursInFlight,
    /// Everyone's places are taken.
    AllTaken,
}

pub struct UploadSlots {
    overall: Arc<Semaphore>,
    per_person: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl Default for UploadSlots {
    fn default() -> Self {
        Self {
            overall: Arc::new(Semaphore::new(UPLOADS_AT_ONCE)),
            per_person: Arc::default(),
        }
    }
}

/// A place for one upload; dropping it (when the request ends, however it
/// ends) frees the place.
pub struct UploadSlot {
    _overall: Option<OwnedSemaphorePermit>,
    person: UserId,
    per_person: Arc<Mutex<HashMap<UserId, usize>>>,
}

impl UploadSlots {
    pub async fn take(&self, person: UserId) -> Result<UploadSlot, NoPlace> {
        {
            let mut counts = lock(&self.per_person);
            let count = counts.entry(person).or_default();
            if *count >= UPLOADS_PER_PERSON {
                return Err(NoPlace::YoursInFlight);
            }
            *count += 1;
        }
        // Counted first: dropping the slot on any path below gives it back.
        let mut slot = UploadSlot {
            _overall: None,
            person,
            per_person: Arc::clone(&self.per_person),
        };
        let overall =
            tokio::time::timeout(WAIT_FOR_A_PLACE, Arc::clone(&self.overall).acquire_owned())
                .await
                .map_err(|_| NoPlace::AllTaken)?
                .map_err(|_| NoPlace::AllTaken)?;
        slot._overall = Some(overall);
        Ok(slot)
    }
}

impl Drop for UploadSlot {
    fn drop(&mut self) {
        release(&self.per_person, self.person);
    }
}

fn release(per_person: &Mutex<HashMap<UserId, usize>>, person: UserId) {
    let mut counts = lock(per_person);
    if let Some(count) = counts.get_mut(&person) {
        *count -= 1;
        if *count == 0 {
            counts.remove(&person);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A request body that fails with `Overflow` once more than `limit` bytes
/// have arrived, however they are framed (`Content-Length` or chunked).
pub struct CappedBody<S> {
    inner: S,
    remaining: usize,
}

impl<S> CappedBody<S> {
    pub fn new(inner: S, limit: usize) -> Self {
        Self {
            inner,
            remaining: limit,
        }
    }
}

impl<S> Stream for CappedBody<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if chunk.len() > self.remaining {
                    self.remaining = 0;
                    return Poll::Ready(Some(Err(PayloadError::Overflow)));
                }
                self.remaining -= chunk.len();
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    #[tokio::test]
    async fn one_upload_per_person_and_places_come_back_when_dropped() {
        let slots = UploadSlots::default();
        let (alice, bob) = (UserId::generate(), UserId::generate());
        let first = slots.take(alice).await.unwrap();
        assert_eq!(slots.take(alice).await.err(), Some(NoPlace::YoursInFlight));
        let bobs = slots.take(bob).await.unwrap();
        drop(first);
        let again = slots.take(alice).await.unwrap();
        drop((again, bobs));
        assert!(lock(&slots.per_person).is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn when_every_place_is_taken_the_next_waits_then_gives_up() {
        let slots = UploadSlots::default();
        let mut held = Vec::new();
        for _ in 0..UPLOADS_AT_ONCE {
            held.push(slots.take(UserId::generate()).await.unwrap());
        }
        let late = UserId::generate();
        assert_eq!(slots.take(late).await.err(), Some(NoPlace::AllTaken));
        // The refused one does not keep its own count.
        assert!(!lock(&slots.per_person).contains_key(&late));
        held.pop();
        assert!(slots.take(late).await.is_ok());
    }

    #[tokio::test]
    async fn a_body_over_the_cap_fails_whatever_its_chunks() {
        let chunks = futures_util::stream::iter(
            (0..5).map(|_| Ok::<_, PayloadError>(Bytes::from_static(&[0; 10]))),
        );
        let results: Vec<_> = CappedBody::new(chunks, 35).collect().await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
        assert!(matches!(results[3], Err(PayloadError::Overflow)));
    }
}
