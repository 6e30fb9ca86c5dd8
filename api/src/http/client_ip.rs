//! The client's IP address. `X-Forwarded-For` is believed only when the
//! connection comes from a trusted proxy, so nobody can pick their own
//! rate-limit bucket by sending that header.

use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

use crate::error::ApiError;

/// Trusted proxy ranges, from `NOXCHAT_TRUSTED_PROXIES`.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequest for ClientIp {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let peer = req
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
        // Proxies may each add their own header line: read them all, in order.
        let lines: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect();
        let joined = lines.join(",");
        let forwarded_for = (!lines.is_empty()).then_some(joined.as_str());
        let trusted = req
            .app_data::<web::Data<TrustedProxies>>()
            .map(|data| data.0.as_slice())
            .unwrap_or_default();
        ready(Ok(ClientIp(resolve(peer, forwarded_for, trusted))))
    }
}

/// Walks `X-Forwarded-For` from the nearest hop outwards and stops at the
/// first address that is not one of our proxies: that is the client.
pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    // `::ffff:10.0.0.2` (a server bound to `[::]`) is the IPv4 address it carries.
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let Some(chain) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in chain.rsplit(',') {
        match hop.trim().parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            // Garbage in the chain: trust nothing beyond it.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("valid ip")
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("valid net")).collect()
    }

    #[test]
    fn header_is_ignored_from_an_untrusted_peer() {
        let got = resolve(ip("203.0.113.9"), Some("1.2.3.4"), &nets(&["10.0.0.0/8"]));
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn header_is_ignored_when_no_proxy_is_trusted() {
        assert_eq!(
            resolve(ip("127.0.0.1"), Some("1.2.3.4"), &[]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn client_is_the_first_untrusted_hop_from_the_right() {
        // The client sent a forged "6.6.6.6"; nginx appended the real address.
        let got = resolve(
            ip("10.0.0.2"),
            Some("6.6.6.6, 198.51.100.7, 10.0.0.3"),
            &nets(&["10.0.0.0/8"]),
        );
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let got = resolve(
            ip("::ffff:10.0.0.2"),
            Some("198.51.100.7"),
            &nets(&["10.0.0.0/8"]),
        );
        assert_eq!(got, ip("198.51.100.7"));
    }

    #[test]
    fn garbage_in_the_chain_stops_the_walk() {
        let got = resolve(
            ip("10.0.0.2"),
            Some("1.1.1.1, nonsense"),
            &nets(&["10.0.0.0/8"]),
        );
        assert_eq!(got, ip("10.0.0.2"));
    }
}
