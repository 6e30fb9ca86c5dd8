// @generated automatically by Diesel CLI.

diesel::table! {
    bans (user_id) {
        user_id -> Uuid,
        until -> Nullable<Timestamptz>,
        reason -> Text,
        banned_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    blocks (blocker_id, blocked_id) {
        blocker_id -> Uuid,
        blocked_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Int4,
        topic_count -> Int4,
        last_activity_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    conversation_members (conversation_id, user_id) {
        conversation_id -> Uuid,
        user_id -> Uuid,
        joined_at -> Timestamptz,
        last_read_seq -> Int8,
        muted -> Bool,
        activity_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    conversations (id) {
        id -> Uuid,
        kind -> Text,
        title -> Nullable<Text>,
        owner_id -> Nullable<Uuid>,
        direct_low -> Nullable<Uuid>,
        direct_high -> Nullable<Uuid>,
        last_seq -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    forum_stats (user_id) {
        user_id -> Uuid,
        topics -> Int4,
        posts -> Int4,
        likes_received -> Int4,
    }
}

diesel::table! {
    friend_requests (id) {
        id -> Uuid,
        sender_id -> Uuid,
        recipient_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    friendships (user_id, friend_id) {
        user_id -> Uuid,
        friend_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        run_at -> Timestamptz,
        attempts -> Int4,
        leased_until -> Nullable<Timestamptz>,
        lease_token -> Nullable<Uuid>,
        last_error -> Nullable<Text>,
        dead_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    message_images (message_id, upload_id) {
        message_id -> Uuid,
        upload_id -> Uuid,
        position -> Int4,
    }
}

diesel::table! {
    messages (id) {
        id -> Uuid,
        conversation_id -> Uuid,
        seq -> Int8,
        sender_id -> Nullable<Uuid>,
        client_id -> Uuid,
        body -> Nullable<Text>,
        created_at -> Timestamptz,
        edited_at -> Nullable<Timestamptz>,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    moderation_log (id) {
        id -> Uuid,
        moderator_id -> Nullable<Uuid>,
        action -> Text,
        target_user_id -> Nullable<Uuid>,
        topic_id -> Nullable<Uuid>,
        topic_title -> Nullable<Text>,
        post_id -> Nullable<Uuid>,
        reason -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        topic_id -> Nullable<Uuid>,
        topic_title -> Nullable<Text>,
        post_id -> Nullable<Uuid>,
        post_number -> Nullable<Int4>,
        count -> Int4,
        action -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    pending_registrations (id) {
        id -> Uuid,
        email -> Text,
        handle -> Text,
        display_name -> Text,
        password_hash -> Text,
        locale -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    post_images (post_id, upload_id) {
        post_id -> Uuid,
        upload_id -> Uuid,
        position -> Int4,
    }
}

diesel::table! {
    post_likes (post_id, user_id) {
        post_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    post_revisions (post_id, revision) {
        post_id -> Uuid,
        revision -> Int4,
        source -> Text,
        created_at -> Timestamptz,
        editor_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    posts (id) {
        id -> Uuid,
        topic_id -> Uuid,
        number -> Int4,
        author_id -> Nullable<Uuid>,
        source -> Text,
        html -> Text,
        reply_to -> Nullable<Int4>,
        like_count -> Int4,
        revision -> Int4,
        created_at -> Timestamptz,
        edited_at -> Nullable<Timestamptz>,
        deleted_at -> Nullable<Timestamptz>,
        deleted_by_moderator -> Bool,
    }
}

diesel::table! {
    presence (user_id, instance_id) {
        user_id -> Uuid,
        instance_id -> Uuid,
    }
}

diesel::table! {
    realtime_instances (id) {
        id -> Uuid,
        alive_until -> Timestamptz,
    }
}

diesel::table! {
    reports (id) {
        id -> Uuid,
        post_id -> Uuid,
        reporter_id -> Uuid,
        reason -> Text,
        created_at -> Timestamptz,
        status -> Text,
        handled_by -> Nullable<Uuid>,
        handled_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        session_id -> Uuid,
        created_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    released_handles (handle) {
        handle -> Text,
        previous_owner -> Nullable<Uuid>,
        released_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        remember -> Bool,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    topic_reads (user_id, topic_id) {
        user_id -> Uuid,
        topic_id -> Uuid,
        last_read_number -> Int4,
    }
}

diesel::table! {
    topic_watches (user_id, topic_id) {
        user_id -> Uuid,
        topic_id -> Uuid,
        level -> Text,
    }
}

diesel::table! {
    topics (id) {
        id -> Uuid,
        category_id -> Uuid,
        author_id -> Nullable<Uuid>,
        title -> Text,
        created_at -> Timestamptz,
        last_activity_at -> Timestamptz,
        last_post_number -> Int4,
        reply_count -> Int4,
        view_count -> Int8,
        pinned -> Bool,
        locked -> Bool,
    }
}

diesel::table! {
    uploads (id) {
        id -> Uuid,
        owner_id -> Uuid,
        key -> Text,
        width -> Int4,
        height -> Int4,
        thumbnail_width -> Int4,
        thumbnail_height -> Int4,
        created_at -> Timestamptz,
        attached_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    user_event_positions (user_id) {
        user_id -> Uuid,
        last_seq -> Int8,
    }
}

diesel::table! {
    user_events (user_id, seq) {
        user_id -> Uuid,
        seq -> Int8,
        event -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        handle -> Text,
        display_name -> Text,
        password_hash -> Text,
        locale -> Text,
        email_verified_at -> Nullable<Timestamptz>,
        password_changed_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        bio -> Text,
        avatar_key -> Nullable<Text>,
        message_privacy -> Text,
        last_seen_at -> Nullable<Timestamptz>,
        online_status_visibility -> Text,
        role -> Text,
        read_receipts -> Bool,
    }
}

diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(conversation_members -> users (user_id));
diesel::joinable!(forum_stats -> users (user_id));
diesel::joinable!(message_images -> messages (message_id));
diesel::joinable!(message_images -> uploads (upload_id));
diesel::joinable!(messages -> conversations (conversation_id));
diesel::joinable!(messages -> users (sender_id));
diesel::joinable!(moderation_log -> posts (post_id));
diesel::joinable!(moderation_log -> topics (topic_id));
diesel::joinable!(notifications -> posts (post_id));
diesel::joinable!(notifications -> topics (topic_id));
diesel::joinable!(post_images -> posts (post_id));
diesel::joinable!(post_images -> uploads (upload_id));
diesel::joinable!(post_likes -> posts (post_id));
diesel::joinable!(post_likes -> users (user_id));
diesel::joinable!(post_revisions -> posts (post_id));
diesel::joinable!(post_revisions -> users (editor_id));
diesel::joinable!(posts -> topics (topic_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(presence -> realtime_instances (instance_id));
diesel::joinable!(presence -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(reports -> posts (post_id));
diesel::joinable!(released_handles -> users (previous_owner));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(topic_reads -> topics (topic_id));
diesel::joinable!(topic_reads -> users (user_id));
diesel::joinable!(topic_watches -> topics (topic_id));
diesel::joinable!(topic_watches -> users (user_id));
diesel::joinable!(topics -> categories (category_id));
diesel::joinable!(topics -> users (author_id));
diesel::joinable!(uploads -> users (owner_id));
diesel::joinable!(user_event_positions -> users (user_id));
diesel::joinable!(user_events -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    bans,
    blocks,
    categories,
    conversation_members,
    conversations,
    forum_stats,
    friend_requests,
    friendships,
    jobs,
    message_images,
    messages,
    moderation_log,
    notifications,
    pending_registrations,
    post_images,
    post_likes,
    post_revisions,
    posts,
    presence,
    realtime_instances,
    refresh_tokens,
    reports,
    released_handles,
    sessions,
    topic_reads,
    topic_watches,
    topics,
    uploads,
    user_event_positions,
    user_events,
    users,
);
