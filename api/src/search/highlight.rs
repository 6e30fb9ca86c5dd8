//! Highlighted fragments as safe HTML: an engine marks where words matched
//! with two private-use characters, which no markup can fake (any found in
//! the text itself only ever make balanced `<mark>` pairs); everything
//! else is escaped here, once, for every engine.

/// Opens a match in an engine's output.
pub const OPEN: char = '\u{E000}';
/// Closes a match.
pub const CLOSE: char = '\u{E001}';

/// `marked` as HTML: its text escaped, its matches in `<mark>…</mark>`.
pub fn to_html(marked: &str) -> String {
    let mut html = String::with_capacity(marked.len() + 16);
    let mut open = false;
    for c in marked.chars() {
        match c {
            OPEN if !open => {
                html.push_str("<mark>");
                open = true;
            }
            CLOSE if open => {
                html.push_str("</mark>");
                open = false;
            }
            OPEN | CLOSE => {}
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_and_everything_else_is_escaped() {
        let marked = format!("<b>{OPEN}Tags{CLOSE}</b> & \"quotes\" it's");
        assert_eq!(
            to_html(&marked),
            "&lt;b&gt;<mark>Tags</mark>&lt;/b&gt; &amp; &quot;quotes&quot; it&#39;s"
        );
    }

    #[test]
    fn stray_markers_only_ever_make_balanced_marks() {
        let marked = format!("{CLOSE}a{OPEN}{OPEN}b{CLOSE}{CLOSE}c{OPEN}d");
        assert_eq!(to_html(&marked), "a<mark>b</mark>c<mark>d</mark>");
    }
}
