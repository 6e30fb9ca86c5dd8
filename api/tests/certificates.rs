//! deploy/init-letsencrypt.sh, run for real against Pebble (Let's
//! Encrypt's test server) with Debian's nginx and certbot, each step
//! pointed at them through the script's documented overrides instead of
//! Docker Compose: the temporary certificate lets nginx start, nginx
//! answers Pebble's HTTP challenge, and the certificate obtained is the one
//! nginx then serves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use binary::acme::Pebble;
use binary::nginx::{DOMAIN, NginxFiles, Site};
use binary::serve;

fn init_letsencrypt(work: &Path, nginx: &NginxFiles, pebble: &Pebble, args: &[&str]) -> Output {
    let letsencrypt = work.join("letsencrypt");
    let certbot = format!(
        "certbot --config-dir '{0}' --work-dir '{1}/certbot-work' --logs-dir '{1}/certbot-logs'",
        letsencrypt.display(),
        work.display()
    );
    Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../deploy/init-letsencrypt.sh"
        ))
        .args(args)
        .env("CERT_SHELL", "sh -c")
        .env("CERTBOT_CMD", certbot)
        .env("NGINX_START_CMD", nginx.command_line(""))
        .env("NGINX_RELOAD_CMD", nginx.command_line("-s reload"))
        .env("LETSENCRYPT_DIR", &letsencrypt)
        .env("WEBROOT", &nginx.webroot)
        .env("ACME_SERVER", &pebble.directory)
        // certbot (Python requests) trusts Pebble's API through this.
        .env("REQUESTS_CA_BUNDLE", &pebble.api_ca)
        .env("NGINX_WAIT_SECONDS", "10")
        .output()
        .expect("bash runs the script")
}

fn printed(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn init_letsencrypt_obtains_a_certificate_from_pebble_that_nginx_then_serves() {
    let noxchat = serve(&[]).await;
    assert!(noxchat.ready, "NoxChat did not start");
    let work = std::env::temp_dir().join(format!("noxchat-acme-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&work).unwrap();
    let live = work.join("letsencrypt/live").join(DOMAIN);
    let site = Site::in_front_of(noxchat.base.trim_start_matches("http://"));
    let nginx = NginxFiles::new(&site);
    nginx.render(&site, &live);
    let pebble = Pebble::start(nginx.http_port).await;

    let first = init_letsencrypt(&work, &nginx, &pebble, &[DOMAIN, "admin@example.org"]);
    assert!(first.status.success(), "{}", printed(&first));
    assert!(
        !live.join(".noxchat-temporary").exists(),
        "the temporary certificate is gone"
    );

    // Trusting only Pebble's root: the temporary self-signed certificate
    // would not do. `nginx -s reload` only signals: old workers serve the
    // old certificate until the new ones take over, a moment later.
    let trusting_pebble = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pebble.issuing_root().await).unwrap())
        .resolve(DOMAIN, ([127, 0, 0, 1], nginx.https_port).into())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let healthz = format!("https://{DOMAIN}:{}/healthz", nginx.https_port);
    let mut attempt = 0;
    let served = loop {
        match trusting_pebble.get(&healthz).send().await {
            Ok(served) => break served,
            Err(_) if attempt < 100 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("{error:?}\n{}", nginx.error_log()),
        }
    };
    assert_eq!(served.status(), 200);

    // Run again, it sees certbot manages the certificate and changes nothing.
    let again = init_letsencrypt(&work, &nginx, &pebble, &[DOMAIN, "admin@example.org"]);
    assert!(again.status.success(), "{}", printed(&again));
    assert!(
        printed(&again).contains("already has a certificate"),
        "{}",
        printed(&again)
    );

    noxchat.terminate();
    noxchat.finish(Duration::from_secs(10)).await;
    drop(nginx);
    let _ = std::fs::remove_dir_all(&work);
}

#[tokio::test]
async fn init_letsencrypt_refuses_what_is_not_a_domain_and_an_email() {
    for args in [
        &["localhost", "admin@example.org"][..],
        &[DOMAIN, "not-an-email"],
        &[DOMAIN],
        &["--sideways", DOMAIN, "admin@example.org"],
    ] {
        let output = Command::new("bash")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../deploy/init-letsencrypt.sh"
            ))
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?} was accepted");
        assert!(!output.stderr.is_empty(), "{args:?}: no explanation");
    }
}
