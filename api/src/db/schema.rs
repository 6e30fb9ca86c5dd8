// @generated automatically by Diesel CLI.

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
    }
}

diesel::joinable!(presence -> realtime_instances (instance_id));
diesel::joinable!(presence -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(released_handles -> users (previous_owner));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_event_positions -> users (user_id));
diesel::joinable!(user_events -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    blocks,
    categories,
    friend_requests,
    friendships,
    jobs,
    pending_registrations,
    presence,
    realtime_instances,
    refresh_tokens,
    released_handles,
    sessions,
    user_event_positions,
    user_events,
    users,
);
