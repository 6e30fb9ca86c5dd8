use super::*;

fn stranger() -> Pair {
    Pair::default()
}

fn person(online_status_visibility: OnlineStatusVisibility) -> User {
    User {
        online_status_visibility,
        ..crate::core::users::example_user()
    }
}

#[test]
fn presence_is_never_shown_to_signed_out_viewers() {
    for visibility in OnlineStatusVisibility::ALL {
        assert!(!may_see_presence(None, &person(*visibility)));
    }
}

#[test]
fn presence_follows_the_setting_and_blocks() {
    use OnlineStatusVisibility::*;
    let friend = Pair {
        friends: true,
        ..stranger()
    };
    let myself = Pair {
        is_self: true,
        ..stranger()
    };
    let blocked = Pair {
        they_blocked_me: true,
        ..stranger()
    };
    for (viewer, visibility, seen) in [
        (stranger(), Everyone, true),
        (stranger(), Friends, false),
        (stranger(), Nobody, false),
        (friend, Everyone, true),
        (friend, Friends, true),
        (friend, Nobody, false),
        (myself, Nobody, true),
        (blocked, Everyone, false),
    ] {
        assert_eq!(
            may_see_presence(Some(&viewer), &person(visibility)),
            seen,
            "{viewer:?} and {visibility:?}"
        );
    }
}

#[test]
fn friend_requests_are_refused_for_self_blocks_friends_and_duplicates() {
    use FriendRequestDenial::*;
    let id = Some(FriendRequestId::generate());
    let cases = [
        (
            Pair {
                is_self: true,
                ..stranger()
            },
            Yourself,
        ),
        (
            Pair {
                they_blocked_me: true,
                ..stranger()
            },
            BlockedByThem,
        ),
        (
            Pair {
                i_blocked_them: true,
                ..stranger()
            },
            YouBlockedThem,
        ),
        (
            Pair {
                friends: true,
                ..stranger()
            },
            AlreadyFriends,
        ),
        (
            Pair {
                request_sent: id,
                ..stranger()
            },
            AlreadySent,
        ),
    ];
    for (pair, denial) in cases {
        assert_eq!(may_send_friend_request(&pair), Err(denial), "{pair:?}");
    }
}

#[test]
fn a_request_to_someone_who_asked_first_makes_friends() {
    assert_eq!(
        may_send_friend_request(&stranger()),
        Ok(FriendRequestEffect::Send)
    );
    let asked = Pair {
        request_received: Some(FriendRequestId::generate()),
        ..stranger()
    };
    assert_eq!(
        may_send_friend_request(&asked),
        Ok(FriendRequestEffect::AcceptTheirs)
    );
}

#[test]
fn nobody_blocks_themselves() {
    assert_eq!(
        may_block(&Pair {
            is_self: true,
            ..stranger()
        }),
        Err(BlockDenial::Yourself)
    );
    assert_eq!(may_block(&stranger()), Ok(()));
}

#[test]
fn messages_follow_privacy_and_blocks_without_telling_which() {
    let friend = Pair {
        friends: true,
        ..stranger()
    };
    assert_eq!(may_message(&stranger(), MessagePrivacy::Everyone), Ok(()));
    assert_eq!(may_message(&friend, MessagePrivacy::Friends), Ok(()));
    assert!(may_message(&stranger(), MessagePrivacy::Friends).is_err());
    assert!(may_message(&friend, MessagePrivacy::Nobody).is_err());
    let blocked = Pair {
        they_blocked_me: true,
        friends: false,
        ..stranger()
    };
    let blocking = Pair {
        i_blocked_them: true,
        ..stranger()
    };
    assert_eq!(
        may_message(&blocked, MessagePrivacy::Everyone),
        Err(MessageDenial::NotAccepted)
    );
    assert_eq!(
        may_message(&blocking, MessagePrivacy::Everyone),
        Err(MessageDenial::NotAccepted)
    );
}

#[test]
fn relationship_names_the_pending_request() {
    let id = FriendRequestId::generate();
    assert_eq!(
        Pair {
            is_self: true,
            ..stranger()
        }
        .relationship()
        .0,
        Relationship::Myself
    );
    assert_eq!(
        Pair {
            request_received: Some(id),
            ..stranger()
        }
        .relationship(),
        (Relationship::RequestReceived, Some(id))
    );
    assert_eq!(stranger().relationship(), (Relationship::None, None));
}

#[test]
fn the_visibility_fragment_hides_blocks_both_ways() {
    let sql = not_blocked_sql("users.id", "$5");
    assert!(
        sql.contains("blocker_id = users.id AND blocks.blocked_id = $5"),
        "{sql}"
    );
    assert!(
        sql.contains("blocker_id = $5 AND blocks.blocked_id = users.id"),
        "{sql}"
    );
}

#[test]
fn only_admins_appoint_moderators_and_manage_categories() {
    use crate::core::Role;
    for actor in [Role::User, Role::Moderator] {
        assert_eq!(may_appoint_moderators(actor), Err(RoleDenial::NotAdmin));
        assert_eq!(may_manage_categories(actor), Err(RoleDenial::NotAdmin));
    }
    assert_eq!(may_appoint_moderators(Role::Admin), Ok(()));
    assert_eq!(may_manage_categories(Role::Admin), Ok(()));
}

#[test]
fn an_admin_keeps_their_role_against_the_api() {
    use crate::core::Role;
    assert_eq!(
        may_change_role_of(Role::Admin),
        Err(RoleDenial::TargetIsAdmin)
    );
    assert_eq!(may_change_role_of(Role::Moderator), Ok(()));
    assert_eq!(may_change_role_of(Role::User), Ok(()));
}
