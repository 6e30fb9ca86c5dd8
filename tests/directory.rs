//! The user directory: search and pagination, and its query plan at scale.

use diesel::prelude::*;
use serde_json::Value;

use crate::support::TestApp;
use crate::support::app::assert_problem;

async fn search(app: &TestApp, viewer: &str, query: &str) -> Value {
    let response = app
        .get(&format!("/api/v1/users?{query}"), Some(viewer))
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

fn handles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["handle"].as_str().unwrap().to_owned())
        .collect()
}

/// Registers the people searched for, and returns the token of one more,
/// who searches: the directory is for signed-in people only. The searcher's
/// name matches none of the searches.
async fn populate(app: &TestApp) -> String {
    for (handle, name) in [
        ("anna", "Анна Смирнова"),
        ("annabel", "Annabel Lee"),
        ("joanna", "Joanna Newsom"),
        ("boris", "Борис Аннин"),
        ("ivan_k", "Иван Кузнецов"),
        ("marianna", "Марианна Петрова"),
    ] {
        app.named_user(handle, name).await;
    }
    app.named_user("qwxyz", "Qwxyz").await.access_token
}

#[tokio::test]
async fn search_matches_names_and_handles_in_any_case_and_script() {
    let app = TestApp::spawn().await;
    let viewer = populate(&app).await;
    assert_eq!(
        handles(&search(&app, &viewer, "q=anna").await)[0],
        "anna",
        "exact handle first"
    );
    let found = handles(&search(&app, &viewer, "q=ANN").await);
    for expected in ["anna", "annabel", "joanna", "marianna"] {
        assert!(
            found.contains(&expected.to_owned()),
            "{expected} in {found:?}"
        );
    }
    // Cyrillic, any case, prefix before substring.
    let cyrillic = handles(&search(&app, &viewer, "q=%D0%90%D0%9D%D0%9D").await); // "АНН"
    assert_eq!(
        cyrillic[0], "anna",
        "Анна starts with the text: {cyrillic:?}"
    );
    assert!(cyrillic.contains(&"marianna".to_owned()) && cyrillic.contains(&"boris".to_owned()));
    // Two letters: prefixes only.
    let short = handles(&search(&app, &viewer, "q=iv").await);
    assert_eq!(short, vec!["ivan_k"]);
    assert!(handles(&search(&app, &viewer, "q=zzz").await).is_empty());
    // Wildcards are literal.
    assert!(handles(&search(&app, &viewer, "q=%25").await).is_empty());
}

#[tokio::test]
async fn pages_cover_every_match_once() {
    let app = TestApp::spawn().await;
    let viewer = populate(&app).await;
    for query in ["q=n", "q=ann", ""] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut url = format!("{query}&limit=2");
            if let Some(cursor) = &cursor {
                url.push_str(&format!("&cursor={cursor}"));
            }
            let page = search(&app, &viewer, &url).await;
            seen.extend(handles(&page));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            seen.len(),
            "no duplicates for {query:?}: {seen:?}"
        );
        let all = handles(&search(&app, &viewer, &format!("{query}&limit=50")).await);
        assert_eq!(seen, all, "paging gives the same order for {query:?}");
    }
    assert_problem(
        app.get("/api/v1/users?cursor=nonsense", Some(&viewer))
            .await,
        400,
        "invalid_cursor",
    )
    .await;
    assert_problem(
        app.get("/api/v1/users?limit=0", Some(&viewer)).await,
        400,
        "invalid_limit",
    )
    .await;
    assert_problem(
        app.get(
            &format!("/api/v1/users?q={}", "x".repeat(101)),
            Some(&viewer),
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn users_who_blocked_me_are_not_listed_even_when_i_sign_out() {
    let app = TestApp::spawn().await;
    let hermit = app.named_user("hermit", "Hermit").await;
    let seeker = app.named_user("seeker", "Seeker").await;
    app.put_as("/api/v1/blocks/seeker", &hermit.access_token)
        .await;
    let page: Value = app
        .get("/api/v1/users?q=hermit", Some(&seeker.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert!(handles(&page).is_empty());
    let someone = app.named_user("someone", "Someone").await;
    assert_eq!(
        handles(&search(&app, &someone.access_token, "q=hermit").await),
        vec!["hermit"]
    );
    assert_problem(
        app.get("/api/v1/users?q=hermit", None).await,
        401,
        "authentication_required",
    )
    .await;
}

/// At 100k users the real search query reads a bounded set of candidates
/// from the indexes: `users` is never read whole (a sequential scan only
/// ever feeds a `Limit`, which stops it at the first candidates found when
/// a fragment is so common that most rows match).
#[tokio::test]
async fn search_uses_indexes_at_100k_users() {
    let app = TestApp::spawn().await;
    let url = app.db.url.clone();
    let plans = tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).unwrap();
        diesel::sql_query(
            "INSERT INTO users (id, email, handle, display_name, password_hash)
             SELECT gen_random_uuid(), 'u' || n || '@example.org', 'user_' || n,
                    (ARRAY['Анна','Boris','Ivan','Мария','Olga'])[1 + n % 5] || ' ' || md5(n::text),
                    'x'
             FROM generate_series(1, 100000) AS n",
        )
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query("ANALYZE users")
            .execute(&mut conn)
            .unwrap();
        ["мари", "Boris", "iv", "user_4242"].map(|text| {
            (
                text,
                noxchat::core::directory::explain_search(&mut conn, text).unwrap(),
            )
        })
    })
    .await
    .unwrap();
    for (text, plan) in plans {
        if std::env::var_os("NOXCHAT_SHOW_PLANS").is_some() {
            println!("plan for {text:?}:\n{plan}\n");
        }
        let lines: Vec<&str> = plan.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.contains("Seq Scan on users") {
                assert!(
                    index > 0 && lines[index - 1].contains("Limit"),
                    "an unbounded sequential scan for {text:?}:\n{plan}"
                );
            }
        }
        assert!(
            plan.contains("Index"),
            "no index used for {text:?}:\n{plan}"
        );
    }
}
