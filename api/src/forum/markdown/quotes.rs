//! Quotes: a line `[quote="anna, post:3"]` (or `[quote="anna, post:3,
//! topic:<id>"]` for another topic) opens a quote of that post, a line
//! `[/quote]` closes it, and they may nest. Before the Markdown is parsed,
//! each becomes a Markdown blockquote whose first line names the quoted
//! post's real author (looked up, never taken from the tag, so nobody can
//! put words in another's mouth) and links to the post. The rest stays the
//! quoting author's Markdown, sanitised like everything else.

use std::collections::HashMap;

use uuid::Uuid;

/// A post that a post quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QuoteRef {
    /// Another topic's id; `None`: the quoting post's own topic.
    pub topic: Option<Uuid>,
    pub number: i32,
}

/// The quote tags of one post's source, turned into Markdown.
pub struct Quoted {
    pub markdown: String,
    pub quotes: Vec<QuoteRef>,
}

struct Opening {
    quote: QuoteRef,
}

/// The posts `source` quotes, in order: what to look up before [`expand`].
pub fn quoted(source: &str) -> Vec<QuoteRef> {
    let lines: Vec<&str> = source.split('\n').collect();
    matched_tags(&lines)
        .iter()
        .zip(&lines)
        .filter(|(tag, _)| **tag == Some(Tag::Open))
        .filter_map(|(_, line)| parse_opening(line).map(|opening| opening.quote))
        .collect()
}

/// Rewrites `source`'s matched quote tags as blockquotes linking to the
/// quoted posts, in `this_topic` unless a tag names another, each naming
/// its author as `authors` has it (no one, for a post not found).
pub fn expand(
    source: &str,
    this_topic: Option<Uuid>,
    authors: &HashMap<QuoteRef, String>,
) -> Quoted {
    let lines: Vec<&str> = source.split('\n').collect();
    let matched = matched_tags(&lines);
    let mut markdown = String::with_capacity(source.len() + 64);
    let mut quotes = Vec::new();
    let mut depth = 0usize;
    for (index, line) in lines.iter().enumerate() {
        let prefix = |depth: usize| "> ".repeat(depth);
        match matched[index] {
            Some(Tag::Open) => {
                if let Some(opening) = parse_opening(line) {
                    depth += 1;
                    let topic = opening.quote.topic.or(this_topic);
                    let number = opening.quote.number;
                    let target = topic.map_or_else(
                        || format!("#{number}"),
                        |topic| format!("[#{number}](/topics/{topic}/{number})"),
                    );
                    let author = authors
                        .get(&opening.quote)
                        .map(|handle| format!("**@{handle}** "))
                        .unwrap_or_default();
                    markdown.push_str(&format!("{}{author}{target}\n", prefix(depth)));
                    markdown.push_str(&prefix(depth));
                    markdown.push('\n');
                    quotes.push(opening.quote);
                }
            }
            Some(Tag::Close) => {
                depth = depth.saturating_sub(1);
                // A blank line ends the quote, or the next line would be
                // taken lazily into its last paragraph.
                markdown.push_str(prefix(depth).trim_end());
                markdown.push('\n');
            }
            None => {
                markdown.push_str(&prefix(depth));
                markdown.push_str(line);
                markdown.push('\n');
            }
        }
    }
    markdown.pop();
    Quoted { markdown, quotes }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Open,
    Close,
}

/// Which lines are quote tags that have their partner; a tag without one
/// (or inside a fenced code block) stays the text it is.
fn matched_tags(lines: &[&str]) -> Vec<Option<Tag>> {
    let mut matched = vec![None; lines.len()];
    let mut open = Vec::new();
    let mut in_fence = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if in_fence {
            continue;
        } else if parse_opening(trimmed).is_some() {
            open.push(index);
        } else if trimmed == "[/quote]"
            && let Some(start) = open.pop()
        {
            matched[start] = Some(Tag::Open);
            matched[index] = Some(Tag::Close);
        }
    }
    matched
}

/// `[quote="anna, post:3"]` or `[quote="anna, post:3, topic:<uuid>"]`.
fn parse_opening(line: &str) -> Option<Opening> {
    let inner = line.trim().strip_prefix("[quote=\"")?.strip_suffix("\"]")?;
    let mut parts = inner.split(',').map(str::trim);
    let handle = parts.next()?;
    let valid_handle = (1..=32).contains(&handle.len())
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid_handle {
        return None;
    }
    let number: i32 = parts.next()?.strip_prefix("post:")?.parse().ok()?;
    if number < 1 {
        return None;
    }
    let topic = match parts.next() {
        None => None,
        Some(part) => Some(part.strip_prefix("topic:")?.parse::<Uuid>().ok()?),
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Opening {
        quote: QuoteRef { topic, number },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_becomes_a_blockquote_naming_and_linking_its_post() {
        let topic = Uuid::nil();
        let authors = HashMap::from([(
            QuoteRef {
                topic: None,
                number: 3,
            },
            "anna".to_owned(),
        )]);
        let quoted = expand(
            "[quote=\"Anna, post:3\"]\nShe said *this*.\n[/quote]\nAnd I agree.",
            Some(topic),
            &authors,
        );
        assert_eq!(
            quoted.markdown,
            format!("> **@anna** [#3](/topics/{topic}/3)\n> \n> She said *this*.\n\nAnd I agree.")
        );
        assert_eq!(
            quoted.quotes,
            [QuoteRef {
                topic: None,
                number: 3
            }]
        );
    }

    #[test]
    fn quotes_nest_and_may_name_another_topic() {
        let other = Uuid::from_u128(7);
        let quoted = expand(
            &format!(
                "[quote=\"a_b, post:2, topic:{other}\"]\n[quote=\"cd, post:1\"]\ninner\n[/quote]\nouter\n[/quote]"
            ),
            Some(Uuid::nil()),
            &HashMap::new(),
        );
        assert!(
            quoted.markdown.contains("> > inner\n"),
            "{}",
            quoted.markdown
        );
        assert!(quoted.markdown.contains(&format!("(/topics/{other}/2)")));
        assert_eq!(quoted.quotes.len(), 2);
    }

    #[test]
    fn tags_without_a_partner_in_code_or_malformed_stay_text() {
        for source in [
            "[quote=\"anna, post:3\"]\nnever closed",
            "[/quote]",
            "```\n[quote=\"anna, post:3\"]\n[/quote]\n```",
            "[quote=\"an](javascript:x), post:3\"]\nx\n[/quote]",
            "[quote=\"anna, post:0\"]\nx\n[/quote]",
            "[quote=\"anna, post:3, topic:nope\"]\nx\n[/quote]",
        ] {
            let quoted = expand(source, Some(Uuid::nil()), &HashMap::new());
            assert!(quoted.quotes.is_empty(), "{source}");
            assert!(!quoted.markdown.starts_with("> "), "{source}");
            assert_eq!(self::quoted(source), [], "{source}");
        }
    }

    #[test]
    fn the_author_shown_is_the_real_one_not_the_tags() {
        let quote = QuoteRef {
            topic: None,
            number: 1,
        };
        let authors = HashMap::from([(quote, "boris".to_owned())]);
        let source = "[quote=\"admin, post:1\"]\nI never said this\n[/quote]";
        assert_eq!(quoted(source), [quote]);
        let expanded = expand(source, Some(Uuid::nil()), &authors);
        assert!(
            expanded.markdown.starts_with("> **@boris** [#1]"),
            "{}",
            expanded.markdown
        );
        assert!(!expanded.markdown.contains("admin"));
        let unknown = expand(source, Some(Uuid::nil()), &HashMap::new());
        assert!(
            unknown.markdown.starts_with("> [#1]"),
            "{}",
            unknown.markdown
        );
    }
}
