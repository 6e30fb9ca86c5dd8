//! Brute-force protection: keyed token buckets (governor) per client IP and
//! per account. Over a limit the answer is 429 with `Retry-After`.
//! State is per instance; with several instances each enforces its own share.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use crate::core::UserId;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct RateLimits {
    enabled: bool,
    login_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Guesses at one account from one address: strict.
    login_per_account_and_ip: DefaultKeyedRateLimiter<(String, IpAddr)>,
    /// Guesses at one account from everywhere: loose enough that a stranger
    /// cannot lock its owner out, tight enough to stop a distributed attack.
    login_per_account: DefaultKeyedRateLimiter<String>,
    register_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    forgot_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    forgot_per_account: DefaultKeyedRateLimiter<String>,
    verification_per_account: DefaultKeyedRateLimiter<UserId>,
}

/// One bucket per IPv4 address, and per /64 for IPv6: one host usually holds
/// a whole /64, so single IPv6 addresses would give it endless buckets.
fn bucket_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// `burst` attempts at once, then one more every `every`.
fn quota(burst: u32, every: Duration) -> Quota {
    Quota::with_period(every)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl RateLimits {
    pub fn new(enabled: bool) -> Self {
        let minute = Duration::from_secs(60);
        Self {
            enabled,
            // A shared NAT (an office, a school) must still be able to sign in.
            login_per_ip: RateLimiter::keyed(quota(30, Duration::from_secs(6))),
            // One account from one address: 5 guesses, then one a minute.
            login_per_account_and_ip: RateLimiter::keyed(quota(5, minute)),
            login_per_account: RateLimiter::keyed(quota(30, Duration::from_secs(20))),
            register_per_ip: RateLimiter::keyed(quota(10, 6 * minute)),
            forgot_per_ip: RateLimiter::keyed(quota(10, 6 * minute)),
            forgot_per_account: RateLimiter::keyed(quota(3, 10 * minute)),
            verification_per_account: RateLimiter::keyed(quota(3, 10 * minute)),
        }
    }

    pub fn login(&self, ip: IpAddr, account: &str) -> Result<(), ApiError> {
        let ip = bucket_of(ip);
        self.check(&self.login_per_ip, &ip)?;
        self.check(&self.login_per_account_and_ip, &(account.to_owned(), ip))?;
        self.check(&self.login_per_account, &account.to_owned())
    }

    pub fn register(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.check(&self.register_per_ip, &bucket_of(ip))
    }

    pub fn forgot_password(&self, ip: IpAddr, email: &str) -> Result<(), ApiError> {
        self.check(&self.forgot_per_ip, &bucket_of(ip))?;
        self.check(&self.forgot_per_account, &email.to_owned())
    }

    pub fn email_verification(&self, user_id: UserId) -> Result<(), ApiError> {
        self.check(&self.verification_per_account, &user_id)
    }

    /// Forgets keys whose buckets are full again, so memory stays bounded.
    pub fn forget_idle_keys(&self) {
        self.login_per_ip.retain_recent();
        self.login_per_account_and_ip.retain_recent();
        self.login_per_account.retain_recent();
        self.register_per_ip.retain_recent();
        self.forgot_per_ip.retain_recent();
        self.forgot_per_account.retain_recent();
        self.verification_per_account.retain_recent();
    }

    fn check<K: Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), ApiError> {
        if !self.enabled {
            return Ok(());
        }
        limiter.check_key(key).map_err(|not_until| {
            ApiError::too_many_requests(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_login_for_one_account_is_refused_with_a_wait() {
        let limits = RateLimits::new(true);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        for _ in 0..5 {
            limits.login(ip, "ann").expect("within the burst");
        }
        let error = limits.login(ip, "ann").expect_err("over the limit");
        assert_eq!(error.code(), crate::error::ErrorCode::RateLimited);
        limits
            .login(ip, "boris")
            .expect("another account has its own bucket");
    }

    #[test]
    fn a_stranger_elsewhere_cannot_lock_the_owner_out() {
        let limits = RateLimits::new(true);
        let attacker: IpAddr = "203.0.113.9".parse().expect("ip");
        let owner: IpAddr = "198.51.100.4".parse().expect("ip");
        while limits.login(attacker, "anna").is_ok() {}
        limits
            .login(owner, "anna")
            .expect("the owner's address has its own budget");
    }

    #[test]
    fn ipv6_addresses_of_one_slash_64_share_a_bucket() {
        let limits = RateLimits::new(true);
        for n in 0..10 {
            let ip: IpAddr = format!("2001:db8::{n:x}").parse().expect("ip");
            limits.register(ip).expect("within the burst");
        }
        let next: IpAddr = "2001:db8::ffff".parse().expect("ip");
        assert!(limits.register(next).is_err());
    }

    #[test]
    fn disabled_limits_never_refuse() {
        let limits = RateLimits::new(false);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        for _ in 0..100 {
            limits.login(ip, "ann").expect("limits are off");
        }
    }
}
