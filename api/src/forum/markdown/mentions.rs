//! `@handle` mentions: in the text of a post (not in code, not inside a
//! link), each handle of an existing person becomes a link to their
//! profile. Which handles exist is asked once per post, for the candidates
//! [`candidates`] finds.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// Where a person's profile is read in the web app.
pub fn profile_path(handle: &str) -> String {
    format!("/users/{handle}")
}

/// Every `@handle` written in `source`, lower-cased, each once: the handles
/// to look up before rendering. Some may sit in code; they are only looked up.
pub fn candidates(source: &str) -> Vec<String> {
    let mut found: Vec<String> = mentions_in(source)
        .map(|(_, handle)| handle.to_ascii_lowercase())
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// `(byte offset of '@', handle)` for each mention-shaped word: an `@` that
/// does not continue a word (so no email address), then 3–32 of `a-z 0-9 _`
/// that the next character does not continue.
fn mentions_in(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    text.match_indices('@').filter_map(move |(at, _)| {
        let continues_word = text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if continues_word {
            return None;
        }
        let start = at + 1;
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(bytes.len(), |length| start + length);
        let continues_after = text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
        ((3..=32).contains(&(end - start)) && !continues_after).then(|| (at, &text[start..end]))
    })
}

/// Links the mentions of known people in the events' text, and records the
/// handles mentioned outside quotes (those inside quote someone else).
pub struct Linker<'k> {
    known: &'k HashSet<String>,
    in_code: usize,
    in_link: usize,
    in_quote: usize,
    pub mentioned: Vec<String>,
}

impl<'k> Linker<'k> {
    pub fn new(known: &'k HashSet<String>) -> Self {
        Self {
            known,
            in_code: 0,
            in_link: 0,
            in_quote: 0,
            mentioned: Vec::new(),
        }
    }

    /// The events to emit for `event`, in order.
    pub fn link<'a>(&mut self, event: Event<'a>) -> Vec<Event<'a>> {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code += 1,
            Event::End(TagEnd::CodeBlock) => self.in_code = self.in_code.saturating_sub(1),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.in_link = self.in_link.saturating_sub(1);
            }
            Event::Start(Tag::BlockQuote(_)) => self.in_quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => self.in_quote = self.in_quote.saturating_sub(1),
            Event::Text(text) if self.in_code == 0 && self.in_link == 0 => {
                return self.split(text.clone());
            }
            _ => {}
        }
        vec![event]
    }

    fn split<'a>(&mut self, text: CowStr<'a>) -> Vec<Event<'a>> {
        let mut events = Vec::new();
        let mut written = 0;
        for (at, handle) in mentions_in(&text) {
            let lower = handle.to_ascii_lowercase();
            if !self.known.contains(&lower) {
                continue;
            }
            if at > written {
                events.push(Event::Text(text[written..at].to_owned().into()));
            }
            events.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: profile_path(&lower).into(),
                title: "".into(),
                id: "".into(),
            }));
            events.push(Event::Text(format!("@{handle}").into()));
            events.push(Event::End(TagEnd::Link));
            written = at + 1 + handle.len();
            if self.in_quote == 0 && !self.mentioned.contains(&lower) {
                self.mentioned.push(lower);
            }
        }
        if written == 0 {
            return vec![Event::Text(text)];
        }
        if written < text.len() {
            events.push(Event::Text(text[written..].to_owned().into()));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_shaped_words_are_found_but_not_emails_or_fragments() {
        assert_eq!(
            candidates("hi @Anna and @bob_k, @anna! mail me@example.org, @ab, @x.y @ok1"),
            ["anna", "bob_k", "ok1"]
        );
        assert_eq!(candidates("@ивана @abcé"), Vec::<String>::new());
    }
}
