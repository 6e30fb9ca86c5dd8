//! HTTP plumbing shared by every feature: request ids and the request log,
//! security headers, the client's IP behind trusted proxies, and problem
//! documents for everything actix itself rejects.

pub mod client_ip;
pub mod extractors;
pub mod request_log;
pub mod security_headers;
pub mod spa;

pub use client_ip::ClientIp;
