//! The time, as the server sees it. Real time in production; tests that need
//! to jump ahead (past a retry's back-off, say) move an adjustable clock
//! forward instead of waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Milliseconds added to real time; `None` for the system clock.
    offset_ms: Option<Arc<AtomicI64>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that follows real time but can be moved forward. It never
    /// starts behind real time, so timestamps written by PostgreSQL's `now()`
    /// are never in its future.
    pub fn adjustable() -> Self {
        Self {
            offset_ms: Some(Arc::new(AtomicI64::new(0))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        match &self.offset_ms {
            None => now,
            Some(offset) => now + chrono::Duration::milliseconds(offset.load(Ordering::Relaxed)),
        }
    }

    /// Moves an adjustable clock forward; a system clock cannot be moved.
    pub fn advance(&self, by: std::time::Duration) {
        if let Some(offset) = &self.offset_ms {
            let millis = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
            offset.fetch_add(millis, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_forward_and_the_system_clock_does_not() {
        let adjustable = Clock::adjustable();
        adjustable.advance(std::time::Duration::from_secs(3600));
        assert!(adjustable.now() - Utc::now() > chrono::Duration::minutes(59));

        let system = Clock::system();
        system.advance(std::time::Duration::from_secs(3600));
        assert!(system.now() - Utc::now() < chrono::Duration::minutes(1));
    }
}
