//! Pebble, Let's Encrypt's test ACME server (Debian's `pebble` package),
//! and its companion `pebble-challtestsrv` as the DNS server Pebble asks
//! where a domain lives: every name is 127.0.0.1, so Pebble checks the
//! HTTP challenge against the test's nginx, as Let's Encrypt would against
//! a community's server.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::free_port;
use super::nginx::{make_certificates, wait_for_port};

pub struct Pebble {
    /// The ACME directory URL, for certbot's `--server`.
    pub directory: String,
    /// Pebble's own HTTPS certificate authority, for certbot to trust.
    pub api_ca: PathBuf,
    management_port: u16,
    dir: PathBuf,
    pebble: Child,
    dns: Child,
}

impl Pebble {
    /// Pebble validating HTTP challenges on `http_port` (where nginx
    /// answers them).
    pub async fn start(http_port: u16) -> Self {
        let dir = std::env::temp_dir().join(format!("noxchat-pebble-{}", uuid::Uuid::new_v4()));
        make_certificates(&dir, &["IP:127.0.0.1", "DNS:localhost"]);
        let dns_port = free_port();
        let dns = Command::new("pebble-challtestsrv")
            .args(["-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""])
            .args(["-dns01", &format!("127.0.0.1:{dns_port}")])
            .args(["-http01", "", "-https01", "", "-tlsalpn01", ""])
            .args(["-management", &format!("127.0.0.1:{}", free_port())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pebble-challtestsrv is installed (scripts/setup.sh)");
        let (api_port, management_port) = (free_port(), free_port());
        let config = serde_json::json!({"pebble": {
            "listenAddress": format!("127.0.0.1:{api_port}"),
            "managementListenAddress": format!("127.0.0.1:{management_port}"),
            "certificate": dir.join("fullchain.pem"),
            "privateKey": dir.join("privkey.pem"),
            "httpPort": http_port,
            "tlsPort": free_port(),
            "ocspResponderURL": "",
            "externalAccountBindingRequired": false,
        }});
        std::fs::write(dir.join("pebble.json"), config.to_string()).unwrap();
        let pebble = Command::new("pebble")
            .arg("-config")
            .arg(dir.join("pebble.json"))
            .args(["-dnsserver", &format!("127.0.0.1:{dns_port}")])
            // No random pauses before validating, no nonces refused at
            // random: the flow is tested, not certbot's retries.
            .env("PEBBLE_VA_NOSLEEP", "1")
            .env("PEBBLE_WFE_NONCEREJECT", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pebble is installed (scripts/setup.sh)");
        let started = Self {
            directory: format!("https://127.0.0.1:{api_port}/dir"),
            api_ca: dir.join("ca.pem"),
            management_port,
            dir,
            pebble,
            dns,
        };
        wait_for_port(api_port).await.expect("Pebble started");
        wait_for_port(management_port)
            .await
            .expect("Pebble started");
        wait_for_port(dns_port).await.ok();
        started
    }

    /// The root that signs the certificates Pebble issues (made anew at
    /// each start), from its management interface.
    pub async fn issuing_root(&self) -> Vec<u8> {
        let api_ca = std::fs::read(&self.api_ca).unwrap();
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&api_ca).unwrap())
            .build()
            .unwrap();
        let response = client
            .get(format!(
                "https://127.0.0.1:{}/roots/0",
                self.management_port
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap().to_vec()
    }
}

impl Drop for Pebble {
    fn drop(&mut self) {
        for process in [&mut self.pebble, &mut self.dns] {
            let _ = process.kill();
            let _ = process.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
