//! Budgets of failures (wrong passwords), as opposed to attempts: a key may
//! fail `burst` times at once, then once more every `every`. Unlike a token
//! bucket that is spent on every attempt, it can be asked whether a key
//! still has budget without spending any, so right answers cost nothing.
//!
//! Keys are fixed-size hashes, never the typed values, and the number of
//! keys is capped, so a flood of distinct identifiers cannot grow memory:
//! once full (and after forgetting what has recovered), failures of keys not
//! yet tracked share one overflow budget.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// A key: 16 bytes of SHA-256 of what it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BudgetKey([u8; 16]);

impl BudgetKey {
    /// `kind` keeps keys of different meanings apart (an account id and a
    /// device nonce that happened to share bytes).
    pub fn of(kind: &str, value: &[u8]) -> Self {
        let digest = Sha256::new()
            .chain_update(kind.as_bytes())
            .chain_update([0])
            .chain_update(value)
            .finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        Self(key)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

const OVERFLOW: BudgetKey = BudgetKey([0; 16]);

pub struct FailureBudget {
    burst: u32,
    every: Duration,
    max_keys: usize,
    /// Per key, the moment its budget is whole again (GCRA's "theoretical
    /// arrival time"): each failure moves it `every` further on.
    whole_at: Mutex<HashMap<BudgetKey, Instant>>,
}

impl FailureBudget {
    pub fn new(burst: u32, every: Duration, max_keys: usize) -> Self {
        Self {
            burst: burst.max(1),
            every,
            max_keys,
            whole_at: Mutex::default(),
        }
    }

    /// `Err(wait)` if `key` has no failures left: the time until it has one.
    pub fn check(&self, key: BudgetKey, now: Instant) -> Result<(), Duration> {
        let entries = self.lock();
        let whole_at = match entries.get(&key) {
            Some(whole_at) => Some(*whole_at),
            None if self.full(entries.len()) => entries.get(&OVERFLOW).copied(),
            None => None,
        };
        let Some(whole_at) = whole_at else {
            return Ok(());
        };
        let owed = whole_at.saturating_duration_since(now);
        let allowance = self.every * (self.burst - 1);
        if owed > allowance {
            Err(owed - allowance)
        } else {
            Ok(())
        }
    }

    /// Spends one failure of `key`'s budget.
    pub fn record(&self, key: BudgetKey, now: Instant) {
        let mut entries = self.lock();
        if !entries.contains_key(&key) && self.full(entries.len()) {
            entries.retain(|_, whole_at| *whole_at > now);
        }
        let key = if entries.contains_key(&key) || !self.full(entries.len()) {
            key
        } else {
            OVERFLOW
        };
        let whole_at = entries.entry(key).or_insert(now);
        *whole_at = (*whole_at).max(now) + self.every;
    }

    /// Forgets keys whose budget is whole again.
    pub fn forget_recovered(&self, now: Instant) {
        let mut entries = self.lock();
        entries.retain(|_, whole_at| *whole_at > now);
        let kept = entries.len();
        entries.shrink_to(kept.max(64));
    }

    /// Room is kept for the overflow key itself.
    fn full(&self, len: usize) -> bool {
        len + 1 >= self.max_keys
    }

    pub fn tracked_keys(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BudgetKey, Instant>> {
        self.whole_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn the_budget_is_spent_only_by_failures_and_comes_back_with_time() {
        let budget = FailureBudget::new(3, MINUTE, 100);
        let (key, start) = (BudgetKey::of("account", b"ann"), Instant::now());
        for _ in 0..10 {
            budget.check(key, start).expect("checking spends nothing");
        }
        for _ in 0..3 {
            budget.record(key, start);
        }
        let wait = budget.check(key, start).expect_err("three failures spent");
        assert_eq!(wait, MINUTE);
        assert!(budget.check(key, start + MINUTE).is_ok());
        assert!(budget.check(BudgetKey::of("account", b"bo"), start).is_ok());
    }

    #[test]
    fn a_flood_of_distinct_keys_stays_within_the_cap() {
        let budget = FailureBudget::new(5, MINUTE, 1_000);
        let now = Instant::now();
        for n in 0..50_000_u32 {
            budget.record(BudgetKey::of("login", &n.to_le_bytes()), now);
        }
        assert!(
            budget.tracked_keys() <= 1_000,
            "{} keys",
            budget.tracked_keys()
        );
        // Keys not tracked share the overflow budget, which the flood spent.
        assert!(budget.check(BudgetKey::of("login", b"new"), now).is_err());
        budget.forget_recovered(now + MINUTE * 60_000);
        assert_eq!(budget.tracked_keys(), 0);
    }

    #[test]
    fn keys_of_different_kinds_differ() {
        assert_ne!(
            BudgetKey::of("device", b"x"),
            BudgetKey::of("account", b"x")
        );
    }
}
