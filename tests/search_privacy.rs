//! What search must never give away: the messages of someone blocked,
//! even in a room both are in, and the words of private messages, which
//! a misspelt search could otherwise probe for through typo corrections.

use crate::support::TestApp;
use crate::support::forum::id_of;
use crate::support::search::{hits, ids};

#[tokio::test]
async fn the_messages_of_someone_blocked_are_not_found_even_in_a_shared_room() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let carol = app.chatter("carol").await;
    app.make_friends(&bob, &alice).await;
    app.make_friends(&bob, &carol).await;
    let room = id_of(&app.room(&bob, "Book club", &[&alice, &carol]).await);
    app.say(carol.token(), &room, "Секретный план на субботу")
        .await;
    let search = [("type", "messages"), ("q", "секретный план")];

    assert_eq!(
        hits(&app.search(Some(alice.token()), &search).await).len(),
        1
    );
    app.block(&alice, &carol).await;
    assert!(hits(&app.search(Some(alice.token()), &search).await).is_empty());
    assert_eq!(
        hits(&app.search(Some(bob.token()), &search).await).len(),
        1,
        "only between the two of them"
    );
}

#[tokio::test]
async fn words_of_private_messages_are_never_learnt_for_typo_corrections() {
    let app = TestApp::spawn().await;
    let alice = app.chatter("alice").await;
    let bob = app.chatter("bob").await;
    let eve = app.chatter("eve").await;
    let ours = id_of(&app.direct(&alice, &bob).await);
    app.say(alice.token(), &ours, "falcorix").await;
    let created = app
        .create_topic(eve.token(), "general", "Falcorid", "A bait")
        .await;
    let bait = id_of(&created["topic"]);

    // Were `falcorix` a known word, it would not be corrected, and eve
    // would learn from finding nothing that somebody wrote it.
    let page = app.search(Some(eve.token()), &[("q", "falcorix")]).await;
    assert_eq!(ids(&page), [bait]);
}
