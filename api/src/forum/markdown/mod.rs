//! Markdown to safe HTML: CommonMark (pulldown-cmark) with raw HTML shown
//! as text, then an allow-list sanitiser (ammonia) over the result, so that
//! neither the Markdown nor the renderer can put anything active on a page.
//! Links keep only http, https and mailto (and this server's own paths), and
//! carry `rel="nofollow ugc noopener"`; images show only this server's
//! uploads; an image from elsewhere becomes a plain link to it.

mod mentions;
mod quotes;

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use uuid::Uuid;

pub use mentions::{candidates as mention_candidates, profile_path};
pub use quotes::{QuoteRef, quoted as quoted_posts};

use crate::core::pictures::UPLOADS_PATH;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow ugc noopener"))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .strip_comments(true)
        .add_tag_attributes("img", ["src", "alt", "title"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => is_upload(value).then_some(value.into()),
            ("input", "type") => (value == "checkbox").then_some(value.into()),
            // An absolute URL (its scheme is checked by the sanitiser), or
            // one that resolves, as a browser would, to this server.
            (_, "href") if !stays_here_or_absolute(value) => None,
            _ => Some(value.into()),
        });
    builder
});

fn stays_here_or_absolute(url: &str) -> bool {
    if url::Url::parse(url).is_ok() {
        return true;
    }
    const HERE: &str = "noxchat.invalid";
    url::Url::parse(&format!("https://{HERE}/"))
        .and_then(|base| base.join(url))
        .is_ok_and(|resolved| resolved.host_str() == Some(HERE))
}

fn is_upload(url: &str) -> bool {
    url.starts_with(UPLOADS_PATH)
        && !url.contains("..")
        && url[UPLOADS_PATH.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// A post rendered: its safe HTML, and whom and what it refers to.
#[derive(Debug)]
pub struct Rendered {
    pub html: String,
    /// Handles of the people it mentions outside quotes, lower-cased, once each.
    pub mentions: Vec<String>,
    pub quotes: Vec<QuoteRef>,
}

/// Renders `source` to HTML that is safe to put on a page as is.
pub fn render(source: &str) -> String {
    render_post(source, None, &HashSet::new(), &HashMap::new()).html
}

/// Renders a post of `topic`: as [`render`], with its quotes linked to the
/// posts they quote and naming their authors (`quoted_authors`, found for
/// [`quoted_posts`]), and the mentions of `known_handles` (lower-case)
/// linked to their profiles.
pub fn render_post(
    source: &str,
    topic: Option<Uuid>,
    known_handles: &HashSet<String>,
    quoted_authors: &HashMap<QuoteRef, String>,
) -> Rendered {
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let quoted = quotes::expand(source, topic, quoted_authors);
    let mut linker = mentions::Linker::new(known_handles);
    let events: Vec<Event<'_>> = whole_texts(outside_images_as_links(Parser::new_ext(
        &quoted.markdown,
        options,
    )))
    .flat_map(|event| linker.link(event))
    .collect();
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html: SANITISER.clean(&html).to_string(),
        mentions: linker.mentioned,
        quotes: quoted.quotes,
    }
}

/// Joins the pieces the parser splits a run of text into, so that a handle
/// is seen whole.
fn whole_texts<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let event = events.next()?;
        let Event::Text(first) = event else {
            return Some(event);
        };
        if !matches!(events.peek(), Some(Event::Text(_))) {
            return Some(Event::Text(first));
        }
        let mut joined = first.into_string();
        while let Some(Event::Text(more)) = events.next_if(|e| matches!(e, Event::Text(_))) {
            joined.push_str(&more);
        }
        Some(Event::Text(CowStr::from(joined)))
    })
}

/// Raw HTML is shown as the text it is; an image whose source is not one of
/// this server's uploads becomes a link to it, its description the text.
fn outside_images_as_links<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // Images nest (an image in another's description): each end closes
    // what its own start opened.
    let mut converted = Vec::new();
    events.map(move |event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            link_type,
        }) => {
            let outside = !is_upload(&dest_url);
            converted.push(outside);
            if outside {
                Event::Start(Tag::Link {
                    link_type: plain(link_type),
                    dest_url,
                    title,
                    id,
                })
            } else {
                Event::Start(Tag::Image {
                    dest_url,
                    title,
                    id,
                    link_type,
                })
            }
        }
        Event::End(TagEnd::Image) => {
            if converted.pop().unwrap_or(false) {
                Event::End(TagEnd::Link)
            } else {
                Event::End(TagEnd::Image)
            }
        }
        other => other,
    })
}

fn plain(link_type: LinkType) -> LinkType {
    match link_type {
        LinkType::Email => LinkType::Email,
        _ => LinkType::Inline,
    }
}

#[cfg(test)]
mod tests;
