//! A token bucket per connection: a client may send in bursts, but one that
//! keeps sending faster than the refill is refused, then disconnected, so it
//! cannot keep its connection's task (and the database) busy for others.

use std::time::Instant;

/// Frames a client may send at once.
const BURST: f64 = 30.0;
/// Frames a second it may keep sending.
const PER_SECOND: f64 = 10.0;
/// Frames refused in a row before the connection is closed.
const REFUSALS_BEFORE_CLOSE: u32 = 30;

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Not taken; `first` of a run of refusals (the client is told once).
    Refuse {
        first: bool,
    },
    Close,
}

pub struct Throttle {
    tokens: f64,
    refilled_at: Option<Instant>,
    refusals: u32,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            tokens: BURST,
            refilled_at: None,
            refusals: 0,
        }
    }
}

impl Throttle {
    pub fn take(&mut self, now: Instant) -> Verdict {
        if let Some(then) = self.refilled_at {
            let earned = now.saturating_duration_since(then).as_secs_f64() * PER_SECOND;
            self.tokens = (self.tokens + earned).min(BURST);
        }
        self.refilled_at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refusals = 0;
            return Verdict::Go;
        }
        self.refusals += 1;
        if self.refusals > REFUSALS_BEFORE_CLOSE {
            Verdict::Close
        } else {
            Verdict::Refuse {
                first: self.refusals == 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_is_taken_then_refused_then_closed() {
        let mut throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..30 {
            assert_eq!(throttle.take(now), Verdict::Go);
        }
        assert_eq!(throttle.take(now), Verdict::Refuse { first: true });
        for _ in 1..REFUSALS_BEFORE_CLOSE {
            assert_eq!(throttle.take(now), Verdict::Refuse { first: false });
        }
        assert_eq!(throttle.take(now), Verdict::Close);
    }

    #[test]
    fn a_steady_pace_under_the_rate_is_never_refused() {
        let mut throttle = Throttle::default();
        let start = Instant::now();
        for step in 0..1000 {
            let now = start + Duration::from_millis(step * 120);
            assert_eq!(throttle.take(now), Verdict::Go, "frame {step}");
        }
    }

    #[test]
    fn waiting_earns_the_right_to_send_again() {
        let mut throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..35 {
            throttle.take(now);
        }
        let later = now + Duration::from_millis(500);
        assert_eq!(throttle.take(later), Verdict::Go);
    }
}
