//! Generated default avatars: the person's initials on a colour derived from
//! their id. The URL (see `core::profile`) carries both, so serving needs no
//! database.

/// The SVG for `initials` on `hue`; the text is escaped.
pub fn svg(hue: u16, initials: &str) -> String {
    let text: String = initials
        .chars()
        .take(2)
        .map(|c| match c {
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '&' => "&amp;".to_owned(),
            '"' => "&quot;".to_owned(),
            other => other.to_string(),
        })
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 256 256\" width=\"256\" height=\"256\">\
         <rect width=\"256\" height=\"256\" fill=\"hsl({hue},55%,45%)\"/>\
         <text x=\"50%\" y=\"50%\" dy=\".35em\" text-anchor=\"middle\" fill=\"#fff\" \
         font-family=\"system-ui,sans-serif\" font-size=\"104\" font-weight=\"600\">{text}</text></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_text_is_escaped() {
        assert!(svg(10, "<&").contains("&lt;&amp;"));
    }
}
