//! nginx's upload limit lets through the largest upload the server takes.

use crate::read;

const NGINX_TEMPLATE: &str = "deploy/nginx/templates/noxchat.conf.template";

/// `const NAME: usize = 10 * 1024 * 1024;` in `relative`, evaluated.
fn usize_constant(relative: &str, name: &str) -> u64 {
    let text = read(relative);
    let declaration = format!("const {name}: usize =");
    let Some((_, expression)) = text.split_once(declaration.as_str()) else {
        panic!("{relative}: no `{declaration}` (moved? update this test)");
    };
    let factors = expression.split(';').next().unwrap_or_default().split('*');
    let factors = factors.map(|factor| factor.trim().replace('_', "").parse::<u64>());
    let product: Result<u64, _> = factors.product();
    product.unwrap_or_else(|_| panic!("{relative}: {name} is no product of integers"))
}

/// An nginx size (`11m`, `512k`, `1g`, `1024`) in bytes; 0 is no limit.
fn nginx_size(size: &str) -> u64 {
    let (digits, unit) = size.split_at(size.trim_end_matches(char::is_alphabetic).len());
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => panic!("{NGINX_TEMPLATE}: `{size}` has an unknown unit"),
    };
    let number = digits.parse::<u64>();
    number.unwrap_or_else(|_| panic!("{NGINX_TEMPLATE}: `{size}` is no size")) << shift
}

#[test]
fn nginx_lets_the_largest_upload_through() {
    let image = usize_constant("api/src/media/avatars.rs", "MAX_UPLOAD_BYTES");
    let framing = usize_constant("api/src/media/handlers.rs", "FRAMING_ALLOWANCE");
    let template = read(NGINX_TEMPLATE);
    let lines = template.lines().map(str::trim);
    let sizes = lines.filter_map(|line| line.strip_prefix("client_max_body_size "));
    let sizes: Vec<&str> = sizes
        .map(|size| size.trim_end_matches(';').trim())
        .collect();
    assert!(
        !sizes.is_empty(),
        "{NGINX_TEMPLATE}: no client_max_body_size (1m)"
    );
    for size in sizes {
        let enough = nginx_size(size) == 0 || nginx_size(size) >= image + framing;
        let problem = format!("client_max_body_size {size} < the server's {image} + {framing}");
        assert!(enough, "{NGINX_TEMPLATE}: {problem}");
    }
}
