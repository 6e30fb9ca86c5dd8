//! Generated default avatars: the person's initials on a colour derived from
//! their id. The URL carries both, so serving needs no database.

use uuid::Uuid;

/// Up to two initials: of the first two words, upper-cased.
pub fn initials_of(display_name: &str) -> String {
    let letters: String = display_name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

/// A hue (0–359) that stays the same for a user across renames.
pub fn hue_of(user_id: Uuid) -> u16 {
    let bytes = user_id.as_bytes();
    let mixed = bytes.iter().fold(0u32, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(u32::from(*b))
    });
    u16::try_from(mixed % 360).unwrap_or(0)
}

pub fn url(user_id: Uuid, display_name: &str) -> String {
    let initials = initials_of(display_name);
    let encoded: String = initials
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("/media/initials/{}/{encoded}.svg", hue_of(user_id))
}

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
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials_of("Анна Каренина"), "АК");
        assert_eq!(initials_of("alice"), "A");
        assert_eq!(initials_of("Jean Paul Sartre"), "JP");
        assert_eq!(initials_of("!!!"), "?");
    }

    #[test]
    fn urls_are_percent_encoded_and_stable() {
        let id = Uuid::nil();
        assert_eq!(url(id, "Анна Каренина"), url(id, "Анна Каренина"));
        assert!(url(id, "Анна Каренина").ends_with("/%D0%90%D0%9A.svg"));
    }

    #[test]
    fn svg_text_is_escaped() {
        assert!(svg(10, "<&").contains("&lt;&amp;"));
    }
}
