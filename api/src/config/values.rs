//! Reading one setting: numbers, on/off switches, URLs and address ranges,
//! each refused with the variable's name and what was expected.

use ipnet::IpNet;
use url::Url;

use super::ConfigError;

pub(super) fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

/// `on` or `off`; `default` when unset.
pub(super) fn parse_switch(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(variable).as_deref() {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => Err(bad(
            variable,
            format!("expected `on` or `off`, got `{other}`"),
        )),
    }
}

pub(super) fn parse_number<T: std::str::FromStr + PartialOrd + From<u8>>(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match lookup(variable) {
        None => Ok(default),
        Some(text) => match text.parse::<T>() {
            Ok(n) if n >= T::from(1) => Ok(n),
            _ => Err(bad(
                variable,
                format!("expected a positive number, got `{text}`"),
            )),
        },
    }
}

pub(super) fn parse_public_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text)
        .map_err(|e| bad("NOXCHAT_PUBLIC_URL", format!("`{text}` is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad(
            "NOXCHAT_PUBLIC_URL",
            "expected an http:// or https:// URL",
        ));
    }
    Ok(url)
}

pub(super) fn parse_cidrs(list: &str) -> Result<Vec<IpNet>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    bad(
                        "NOXCHAT_TRUSTED_PROXIES",
                        format!("`{item}` is not an IP address or CIDR range"),
                    )
                })
        })
        .collect()
}

/// A comma-separated list of email addresses, in their stored form.
pub(super) fn parse_emails(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
) -> Result<Vec<String>, ConfigError> {
    lookup(variable)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|email| !email.is_empty())
        .map(|email| {
            crate::core::validation::Email::parse(email)
                .map(|email| email.as_str().to_owned())
                .map_err(|_| bad(variable, format!("`{email}` is not an email address")))
        })
        .collect()
}
