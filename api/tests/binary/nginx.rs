//! Debian's nginx with the project's configuration (deploy/nginx/), run as
//! a test's own process on free ports: the template is rendered only for
//! ports, paths, the upstream and a certificate, exactly as an operator
//! without Docker would render it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The name clients use for the site; the certificate is made for it, and
/// every client resolves it to 127.0.0.1 itself.
pub const DOMAIN: &str = "noxchat.test";

/// What the template leaves to the installation.
pub struct Site {
    /// `NOXCHAT_UPSTREAM`: an address, or the name of `upstream_block`.
    pub upstream: String,
    /// An `upstream { }` block for several instances, added to `http { }`.
    pub upstream_block: Option<String>,
    /// A folder with fullchain.pem, privkey.pem and chain.pem; `None`
    /// makes a local certificate authority and a certificate it signed.
    pub certificates: Option<PathBuf>,
    /// Ports to listen on; `None` picks free ones.
    pub http_port: Option<u16>,
}

impl Site {
    /// One NoxChat listening at `address` (`127.0.0.1:port`).
    pub fn in_front_of(address: &str) -> Self {
        Self {
            upstream: address.to_owned(),
            upstream_block: None,
            certificates: None,
            http_port: None,
        }
    }

    /// Several instances, balanced by nginx.
    pub fn in_front_of_all(addresses: &[&str]) -> Self {
        let servers: String = addresses
            .iter()
            .map(|address| format!("    server {address};\n"))
            .collect();
        Self {
            upstream: "noxchat_instances".to_owned(),
            upstream_block: Some(format!("upstream noxchat_instances {{\n{servers}}}\n")),
            certificates: None,
            http_port: None,
        }
    }
}

/// nginx's folder: the rendered configuration, the challenge's webroot,
/// its logs, pid file and temporary files.
pub struct NginxFiles {
    pub dir: PathBuf,
    pub conf: PathBuf,
    pub http_port: u16,
    pub https_port: u16,
    pub webroot: PathBuf,
}

/// nginx running in the foreground as the test's child.
pub struct Nginx {
    pub files: NginxFiles,
    pub dir: PathBuf,
    pub http_port: u16,
    pub https_port: u16,
    /// The certificate authority clients trust: the local one, or the
    /// one that signed the served certificate.
    pub trusted_ca_pem: Vec<u8>,
    pub webroot: PathBuf,
    process: Child,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

/// Runs a program to completion, panicking with its output if it fails.
pub fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e} (scripts/setup.sh installs it)"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A certificate authority and a certificate for `names` (such as
/// `DNS:noxchat.test` or `IP:127.0.0.1`) it signed, in the layout certbot
/// leaves in /etc/letsencrypt/live/<domain>/; returns the authority's PEM.
pub fn make_certificates(dir: &Path, names: &[&str]) -> Vec<u8> {
    std::fs::create_dir_all(dir).unwrap();
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    run(Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-x509", "-nodes", "-days", "2"])
        .args(ec)
        .args(["-keyout", "ca.key", "-out", "ca.pem"])
        .args(["-subj", "/CN=NoxChat test authority"]));
    run(Command::new("openssl")
        .current_dir(dir)
        .args(["req", "-nodes"])
        .args(ec)
        .args(["-keyout", "privkey.pem", "-out", "site.csr"])
        .args([
            "-subj",
            &format!("/CN={}", names[0].split_once(':').unwrap().1),
        ]));
    std::fs::write(
        dir.join("site.ext"),
        format!(
            "subjectAltName={}\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
            names.join(",")
        ),
    )
    .unwrap();
    run(Command::new("openssl")
        .current_dir(dir)
        .args(["x509", "-req", "-in", "site.csr", "-days", "2"])
        .args(["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"])
        .args(["-extfile", "site.ext", "-out", "cert.pem"]));
    let ca = std::fs::read(dir.join("ca.pem")).unwrap();
    let mut fullchain = std::fs::read(dir.join("cert.pem")).unwrap();
    fullchain.extend_from_slice(&ca);
    std::fs::write(dir.join("fullchain.pem"), fullchain).unwrap();
    std::fs::write(dir.join("chain.pem"), &ca).unwrap();
    ca
}

/// deploy/nginx/templates/noxchat.conf.template with its variables set.
fn render_site(
    site: &Site,
    http_port: u16,
    https_port: u16,
    certs: &Path,
    webroot: &Path,
) -> String {
    let template =
        std::fs::read_to_string(repository().join("deploy/nginx/templates/noxchat.conf.template"))
            .unwrap();
    let values = [
        ("NOXCHAT_DOMAIN", DOMAIN.to_owned()),
        ("NOXCHAT_UPSTREAM", site.upstream.clone()),
        ("NGINX_HTTP_PORT", http_port.to_string()),
        ("NGINX_HTTPS_PORT", https_port.to_string()),
        ("NGINX_CERT_DIR", certs.display().to_string()),
        ("NGINX_WEBROOT", webroot.display().to_string()),
        ("NGINX_RESOLVER", "127.0.0.1".to_owned()),
    ];
    let rendered = values.iter().fold(template, |text, (name, value)| {
        text.replace(&format!("${{{name}}}"), value)
    });
    assert!(
        !rendered.contains("${"),
        "the template has a variable the test does not know"
    );
    rendered
}

/// deploy/nginx/nginx.conf with the container's paths moved into `dir`.
fn render_main(dir: &Path, site: &Site) -> String {
    let main = std::fs::read_to_string(repository().join("deploy/nginx/nginx.conf")).unwrap();
    let at = |name: &str| dir.join(name).display().to_string();
    // The image's `nginx` user does not exist here; workers run as nobody
    // (or as the test's user, when it is not root and cannot switch).
    let user = if run(Command::new("id").arg("-u")).trim() == "0" {
        "user nobody nogroup;"
    } else {
        ""
    };
    let mut extra = format!(
        "http {{\n    client_body_temp_path {};\n    proxy_temp_path {};\n    \
         fastcgi_temp_path {};\n    uwsgi_temp_path {};\n    scgi_temp_path {};\n",
        at("body"),
        at("proxy"),
        at("fastcgi"),
        at("uwsgi"),
        at("scgi")
    );
    if let Some(block) = &site.upstream_block {
        extra.push_str(block);
    }
    main.replacen("user nginx;", user, 1)
        .replace("worker_processes auto;", "worker_processes 1;")
        .replace("worker_rlimit_nofile 65535;", "")
        .replace("worker_connections 16384;", "worker_connections 1024;")
        .replace("/var/log/nginx/error.log", &at("error.log"))
        .replace("/var/log/nginx/access.log", &at("access.log"))
        .replace("/var/run/nginx.pid", &at("nginx.pid"))
        .replace("/etc/nginx/conf.d/noxchat.conf", &at("noxchat.conf"))
        .replacen("http {\n", &extra, 1)
}

impl NginxFiles {
    /// A folder and free ports for `site` (its `http_port`, if set).
    pub fn new(site: &Site) -> Self {
        let dir = std::env::temp_dir().join(format!("noxchat-nginx-{}", uuid::Uuid::new_v4()));
        let webroot = dir.join("webroot");
        std::fs::create_dir_all(webroot.join(".well-known/acme-challenge")).unwrap();
        Self {
            conf: dir.join("nginx.conf"),
            dir,
            http_port: site.http_port.unwrap_or_else(super::free_port),
            https_port: super::free_port(),
            webroot,
        }
    }

    /// Renders the configuration for `site`, serving the certificate in
    /// `cert_dir`.
    pub fn render(&self, site: &Site, cert_dir: &Path) {
        let rendered = render_site(
            site,
            self.http_port,
            self.https_port,
            cert_dir,
            &self.webroot,
        );
        std::fs::write(self.dir.join("noxchat.conf"), rendered).unwrap();
        std::fs::write(&self.conf, render_main(&self.dir, site)).unwrap();
    }

    /// `nginx -t`: the configuration is valid for this nginx.
    pub fn check(&self) {
        run(self.command().arg("-t").arg("-q"));
    }

    /// `nginx` with this folder as its prefix and configuration.
    pub fn command(&self) -> Command {
        let mut command = Command::new("/usr/sbin/nginx");
        command.arg("-p").arg(&self.dir).arg("-c").arg(&self.conf);
        command
    }

    /// The same command as one shell line, for scripts that run it.
    pub fn command_line(&self, extra: &str) -> String {
        format!(
            "/usr/sbin/nginx -p '{}' -c '{}' {extra}",
            self.dir.display(),
            self.conf.display()
        )
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

/// Stops an nginx that went into the background by itself (as a script
/// starts it), then removes the folder.
impl Drop for NginxFiles {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("nginx.pid")) {
            let _ = Command::new("kill").args(["-TERM", pid.trim()]).status();
            let gone = || !Path::new(&format!("/proc/{}", pid.trim())).exists();
            for _ in 0..100 {
                if gone() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Nginx {
    pub async fn start(site: Site) -> Self {
        let files = NginxFiles::new(&site);
        let (cert_dir, trusted_ca_pem) = match &site.certificates {
            Some(folder) => (
                folder.clone(),
                std::fs::read(folder.join("chain.pem")).unwrap(),
            ),
            None => {
                let folder = files.dir.join("live");
                let ca = make_certificates(&folder, &[&format!("DNS:{DOMAIN}")]);
                (folder, ca)
            }
        };
        files.render(&site, &cert_dir);
        files.check();
        let process = files
            .command()
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx is installed (scripts/setup.sh)");
        let nginx = Self {
            dir: files.dir.clone(),
            http_port: files.http_port,
            https_port: files.https_port,
            webroot: files.webroot.clone(),
            files,
            trusted_ca_pem,
            process,
        };
        wait_for_port(nginx.https_port)
            .await
            .unwrap_or_else(|()| panic!("nginx did not start:\n{}", nginx.error_log()));
        nginx
    }

    pub fn https_base(&self) -> String {
        format!("https://{DOMAIN}:{}", self.https_port)
    }

    pub fn http_base(&self) -> String {
        format!("http://{DOMAIN}:{}", self.http_port)
    }

    /// A client that trusts this site's certificate and finds [`DOMAIN`]
    /// on loopback; `from` picks its own address (127.0.0.0/8 is all
    /// loopback), so nginx sees it as a distinct client.
    pub fn client(&self, from: [u8; 4]) -> reqwest::Client {
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&self.trusted_ca_pem).unwrap())
            .resolve(DOMAIN, ([127, 0, 0, 1], self.https_port).into())
            .local_address(std::net::IpAddr::from(from))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Plain HTTP on the port that answers the challenge and redirects.
    pub fn plain_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .resolve(DOMAIN, ([127, 0, 0, 1], self.http_port).into())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A WebSocket to the real-time gateway over TLS, through nginx.
    pub async fn realtime_socket(
        &self,
    ) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>
    {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.https_port))
            .await
            .unwrap();
        let connector = native_tls::TlsConnector::builder()
            .add_root_certificate(native_tls::Certificate::from_pem(&self.trusted_ca_pem).unwrap())
            .build()
            .unwrap();
        let url = format!("wss://{DOMAIN}:{}/api/v1/realtime", self.https_port);
        let (ws, _) = tokio_tungstenite::client_async_tls_with_config(
            url,
            tcp,
            None,
            Some(tokio_tungstenite::Connector::NativeTls(connector)),
        )
        .await
        .expect("a WebSocket through nginx");
        ws
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default()
    }

    /// `nginx -s reload`, as after a certificate changes.
    pub fn reload(&self) {
        run(self.files.command().args(["-s", "reload"]));
    }
}

/// Stops nginx and its workers (SIGTERM: a fast shutdown); its folder
/// goes with its files.
impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status();
        let _ = self.process.wait();
        // Not for the folder's own Drop to signal a pid that may be reused.
        let _ = std::fs::remove_file(self.dir.join("nginx.pid"));
    }
}

/// Waits up to five seconds for something to listen on `port`.
pub async fn wait_for_port(port: u16) -> Result<(), ()> {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(())
}
