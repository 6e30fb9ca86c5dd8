//! Brute-force protection. Over a limit the answer is 429 with
//! `Retry-After`. State is per instance; with several instances each
//! enforces its own share.
//!
//! Signing in (and anything else that checks a password) has two kinds of
//! limit:
//! - **attempts per address** (token buckets, governor): per IPv4 address or
//!   IPv6 /64, and per IPv6 /48, so one network cannot try endlessly;
//! - **failures per account** ([`failures`]): wrong passwords for one
//!   account from one address, and for one account from everywhere. A device
//!   that has signed in to the account before (it shows a device cookie)
//!   has a failure budget of its own instead, so strangers failing at an
//!   account from many addresses cannot lock its owner out.
//!
//! Signed-in people have budgets of their own for a few actions
//! ([`per_user`]): friend requests, handle changes, avatar uploads and
//! directory searches.
//!
//! Memory stays flat under a flood: keys are fixed-size hashes or addresses,
//! idle keys are forgotten every minute, and each limiter holds at most
//! [`MAX_KEYS`] keys.

pub mod failures;
pub mod per_user;

use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub use failures::BudgetKey;
use failures::FailureBudget;
use per_user::PerUserLimits;
pub use per_user::UserAction;

use crate::core::UserId;
use crate::error::ApiError;

/// Keys one limiter may hold (tens of bytes each).
pub const MAX_KEYS: usize = 100_000;

/// One password check: whose account, from where, and from which known
/// device, if any.
#[derive(Clone, Copy, Debug)]
pub struct PasswordGuess {
    pub ip: IpAddr,
    /// The account's id when it exists, else the identifier as typed
    /// (normalised): see [`BudgetKey::of`].
    pub account: BudgetKey,
    /// A device that has signed in to this account before.
    pub device: Option<BudgetKey>,
}

pub struct RateLimits {
    enabled: bool,
    attempts_per_address: DefaultKeyedRateLimiter<IpAddr>,
    attempts_per_site: DefaultKeyedRateLimiter<IpAddr>,
    /// Wrong passwords for one account from one address: strict.
    failures_per_account_and_address: FailureBudget,
    /// Wrong passwords for one account from everywhere: loose enough for a
    /// forgetful owner, tight enough to stop a distributed attack.
    failures_per_account: FailureBudget,
    /// Wrong passwords from a known device.
    failures_per_device: FailureBudget,
    register_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    forgot_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Searches by people not signed in, per address.
    search_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    forgot_per_account: DefaultKeyedRateLimiter<BudgetKey>,
    /// Each registration emails the address: its owner is not to be flooded.
    register_per_email: DefaultKeyedRateLimiter<BudgetKey>,
    verification_per_account: DefaultKeyedRateLimiter<UserId>,
    per_user: PerUserLimits,
}

/// One bucket per IPv4 address, and per /64 for IPv6: one host usually holds
/// a whole /64, so single IPv6 addresses would give it endless buckets.
fn bucket_of(ip: IpAddr) -> IpAddr {
    prefix(ip, 4)
}

/// The IPv6 /48 (a site) an address belongs to; IPv4 addresses have none.
fn site_of(ip: IpAddr) -> Option<IpAddr> {
    match ip.to_canonical() {
        IpAddr::V6(_) => Some(prefix(ip, 3)),
        IpAddr::V4(_) => None,
    }
}

/// The first `segments` 16-bit groups of an IPv6 address; IPv4 unchanged.
fn prefix(ip: IpAddr, segments: usize) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let mut kept = [0u16; 8];
            kept[..segments].copy_from_slice(&v6.segments()[..segments]);
            IpAddr::V6(Ipv6Addr::from(kept))
        }
        v4 => v4,
    }
}

/// `burst` at once, then one more every `every`.
fn quota(burst: u32, every: Duration) -> Quota {
    Quota::with_period(every)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl PasswordGuess {
    fn account_at_address(&self) -> BudgetKey {
        let mut value = self.account.as_bytes().to_vec();
        value.extend_from_slice(bucket_of(self.ip).to_string().as_bytes());
        BudgetKey::of("account at address", &value)
    }
}

impl RateLimits {
    pub fn new(enabled: bool) -> Self {
        let minute = Duration::from_secs(60);
        Self {
            enabled,
            // A shared NAT (an office, a school) must still be able to sign in.
            attempts_per_address: RateLimiter::keyed(quota(30, Duration::from_secs(6))),
            attempts_per_site: RateLimiter::keyed(quota(90, Duration::from_secs(2))),
            // One account from one address: 5 wrong guesses, then one a minute.
            failures_per_account_and_address: FailureBudget::new(5, minute, MAX_KEYS),
            failures_per_account: FailureBudget::new(30, Duration::from_secs(20), MAX_KEYS),
            failures_per_device: FailureBudget::new(10, minute, MAX_KEYS),
            register_per_ip: RateLimiter::keyed(quota(10, 6 * minute)),
            forgot_per_ip: RateLimiter::keyed(quota(10, 6 * minute)),
            // As for a signed-in person, per address (a NAT shares it).
            search_per_ip: RateLimiter::keyed(quota(120, Duration::from_millis(500))),
            forgot_per_account: RateLimiter::keyed(quota(3, 10 * minute)),
            register_per_email: RateLimiter::keyed(quota(3, 10 * minute)),
            verification_per_account: RateLimiter::keyed(quota(3, 10 * minute)),
            per_user: PerUserLimits::default(),
        }
    }

    /// Spends an attempt of the address's budget (before anything is looked up).
    pub fn password_attempt(&self, ip: IpAddr) -> Result<(), ApiError> {
        if let Some(site) = site_of(ip) {
            self.check(&self.attempts_per_site, &site)?;
        }
        self.check(&self.attempts_per_address, &bucket_of(ip))
    }

    /// Whether `guess` may be checked at all; spends nothing.
    pub fn password_budget(&self, guess: &PasswordGuess) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        let now = Instant::now();
        match guess.device {
            Some(device) => self.failures_per_device.check(device, now),
            None => self
                .failures_per_account_and_address
                .check(guess.account_at_address(), now)
                .and_then(|()| self.failures_per_account.check(guess.account, now)),
        }
        .map_err(ApiError::too_many_requests)
    }

    /// Spends a failure: `guess` had the wrong password.
    pub fn password_failed(&self, guess: &PasswordGuess) {
        let now = Instant::now();
        match guess.device {
            Some(device) => self.failures_per_device.record(device, now),
            None => {
                self.failures_per_account_and_address
                    .record(guess.account_at_address(), now);
                self.failures_per_account.record(guess.account, now);
            }
        }
    }

    pub fn register(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check(&self.register_per_ip, &bucket_of(ip))
    }

    pub fn anonymous_search(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check(&self.search_per_ip, &bucket_of(ip))
    }

    pub fn registration_email(&self, email: &str) -> Result<(), ApiError> {
        self.check(
            &self.register_per_email,
            &BudgetKey::of("registration email", email.as_bytes()),
        )
    }

    pub fn forgot_password(&self, ip: IpAddr, email: &str) -> Result<(), ApiError> {
        self.check(&self.forgot_per_ip, &bucket_of(ip))?;
        self.check(
            &self.forgot_per_account,
            &BudgetKey::of("email", email.as_bytes()),
        )
    }

    pub fn email_verification(&self, user_id: UserId) -> Result<(), ApiError> {
        self.check(&self.verification_per_account, &user_id)
    }

    /// Spends one of `user_id`'s budget for `action`.
    pub fn user_action(&self, user_id: UserId, action: UserAction) -> Result<(), ApiError> {
        self.check(self.per_user.limiter(action), &user_id)
    }

    /// Forgets keys whose budgets are whole again; run every minute.
    pub fn forget_idle_keys(&self) {
        self.attempts_per_address.retain_recent();
        self.attempts_per_site.retain_recent();
        self.register_per_ip.retain_recent();
        self.forgot_per_ip.retain_recent();
        self.search_per_ip.retain_recent();
        self.forgot_per_account.retain_recent();
        self.register_per_email.retain_recent();
        self.verification_per_account.retain_recent();
        self.per_user.forget_idle_keys();
        let now = Instant::now();
        self.failures_per_account_and_address.forget_recovered(now);
        self.failures_per_account.forget_recovered(now);
        self.failures_per_device.forget_recovered(now);
    }

    fn check<K: Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        if limiter.len() >= MAX_KEYS {
            limiter.retain_recent();
            // Still full: a flood from more sources than we track; new ones
            // wait until the sweep frees room.
            if limiter.len() >= MAX_KEYS {
                return Err(ApiError::too_many_requests(Duration::from_secs(60)));
            }
        }
        limiter.check_key(key).map_err(|not_until| {
            ApiError::too_many_requests(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn guess(ip_text: &str, account: &str) -> PasswordGuess {
        PasswordGuess {
            ip: ip(ip_text),
            account: BudgetKey::of("account", account.as_bytes()),
            device: None,
        }
    }

    #[test]
    fn after_five_failures_from_one_address_the_account_waits_but_checks_are_free() {
        let limits = RateLimits::new(true);
        let ann = guess("192.0.2.1", "ann");
        for _ in 0..20 {
            limits
                .password_budget(&ann)
                .expect("checking spends nothing");
        }
        for _ in 0..5 {
            limits.password_budget(&ann).expect("within the budget");
            limits.password_failed(&ann);
        }
        let error = limits.password_budget(&ann).expect_err("over the budget");
        assert_eq!(error.code(), crate::error::ErrorCode::RateLimited);
        limits
            .password_budget(&guess("192.0.2.1", "boris"))
            .expect("another account has its own budget");
        limits
            .password_budget(&guess("198.51.100.4", "ann"))
            .expect("another address has its own budget for the account");
    }

    #[test]
    fn failures_from_many_addresses_spare_a_known_device() {
        let limits = RateLimits::new(true);
        for n in 0..40 {
            let attacker = guess(&format!("203.0.113.{n}"), "anna");
            if limits.password_budget(&attacker).is_ok() {
                limits.password_failed(&attacker);
            }
        }
        assert!(
            limits
                .password_budget(&guess("198.51.100.7", "anna"))
                .is_err()
        );
        let owner = PasswordGuess {
            device: Some(BudgetKey::of("device", b"anna's laptop")),
            ..guess("198.51.100.7", "anna")
        };
        limits
            .password_budget(&owner)
            .expect("a known device has a budget of its own");
    }

    #[test]
    fn ipv6_addresses_of_one_slash_64_share_a_bucket() {
        let limits = RateLimits::new(true);
        for n in 0..10 {
            limits
                .register(ip(&format!("2001:db8::{n:x}")))
                .expect("within the burst");
        }
        assert!(limits.register(ip("2001:db8::ffff")).is_err());
    }

    #[test]
    fn ipv6_networks_of_one_slash_48_share_a_budget_of_attempts() {
        let limits = RateLimits::new(true);
        let mut allowed = 0;
        for n in 0..200 {
            if limits
                .password_attempt(ip(&format!("2001:db8:7:{n:x}::1")))
                .is_ok()
            {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 90, "each /64 is fresh, but the /48 is not");
        limits
            .password_attempt(ip("2001:db8:8::1"))
            .expect("another /48 has its own budget");
    }

    #[test]
    fn disabled_limits_never_refuse() {
        let limits = RateLimits::new(false);
        let ann = guess("192.0.2.1", "ann");
        for _ in 0..100 {
            limits.password_attempt(ann.ip).expect("limits are off");
            limits.password_budget(&ann).expect("limits are off");
            limits.password_failed(&ann);
        }
    }
}
