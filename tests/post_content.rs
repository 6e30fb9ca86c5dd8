//! What a post shows: its Markdown rendered to safe HTML, mentions of
//! people as links to them, and quotes linking back to the quoted post.

use serde_json::{Value, json};

use crate::support::forum::{Forum, id_of, json_of};

/// The post's `html`.
fn html_of(post: &Value) -> String {
    post["html"].as_str().expect("html").to_owned()
}

fn assert_safe(html: &str) {
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
    assert!(html.contains(r#"href="https://example.org/""#), "{html}");
    assert!(html.contains(r#"rel="nofollow ugc noopener""#), "{html}");
}

#[tokio::test]
async fn post_markdown_is_rendered_to_safe_html_and_the_source_kept() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    // Not at the start of a line, where CommonMark would take the whole
    // line for an HTML block (shown as text too, but not as Markdown).
    let source = "**bold** <script>alert(1)</script> [x](javascript:alert(1)) \
                  [site](https://example.org/)";
    let created = app
        .create_topic(&ursula.access_token, "general", "Tricky", source)
        .await;
    assert_eq!(created["post"]["body"], source);
    assert_safe(&html_of(&created["post"]));
    let id = id_of(&created["topic"]);
    let reply = app.reply(&victor.access_token, &id, source).await;
    assert_safe(&html_of(&reply));
    let listed = app
        .get_ok(&format!("/api/v1/topics/{id}/posts"), None)
        .await;
    assert_safe(&html_of(&listed["items"][1]));

    let edited = app
        .patch_as(
            &format!("/api/v1/posts/{}", id_of(&reply)),
            &victor.access_token,
            &json!({"body": format!("Edited: {source}")}),
        )
        .await;
    let edited = json_of(edited, 200).await;
    let html = html_of(&edited);
    assert_safe(&html);
    assert!(html.contains("Edited:"), "{html}");
}

#[tokio::test]
async fn mentions_of_people_link_to_their_profiles_and_unknown_handles_stay_text() {
    let Forum { app, ursula, .. } = Forum::start().await;
    let created = app
        .create_topic(
            &ursula.access_token,
            "general",
            "Calling",
            "Hi @victor and @nobody_here, not `@victor` in code",
        )
        .await;
    let html = html_of(&created["post"]);
    assert!(html.contains(r#"href="/users/victor""#), "{html}");
    assert!(html.contains(">@victor</a>"), "{html}");
    assert_eq!(
        html.matches("/users/victor").count(),
        1,
        "not in code: {html}"
    );
    assert!(html.contains("<code>@victor</code>"), "{html}");
    assert!(html.contains("@nobody_here"), "{html}");
    assert!(!html.contains("/users/nobody_here"), "{html}");
}

#[tokio::test]
async fn quotes_become_blockquotes_linking_back_to_the_quoted_post() {
    let Forum {
        app,
        ursula,
        victor,
        ..
    } = Forum::start().await;
    let created = app
        .create_topic(&ursula.access_token, "general", "Wisdom", "Well said")
        .await;
    let id = id_of(&created["topic"]);
    let body = "[quote=\"ursula, post:1\"]\nWell said\n[/quote]\n\nI agree";
    let reply = app.reply(&victor.access_token, &id, body).await;
    assert_eq!(reply["body"], body);

    let html = html_of(&reply);
    assert!(!html.contains("[quote"), "{html}");
    assert!(!html.contains("[/quote]"), "{html}");
    assert!(
        html.contains(&format!(r#"href="/topics/{id}/1""#)),
        "{html}"
    );
    assert!(html.contains("ursula"), "{html}");
    let at = |text: &str| {
        html.find(text)
            .unwrap_or_else(|| panic!("{text} in {html}"))
    };
    assert!(at("<blockquote") < at("Well said"), "{html}");
    assert!(at("Well said") < at("</blockquote>"), "{html}");
    assert!(
        at("</blockquote>") < at("I agree"),
        "the rest is not quoted: {html}"
    );
}
