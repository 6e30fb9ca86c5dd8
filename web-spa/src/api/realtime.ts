// Generated from openapi/asyncapi.json by scripts/realtime-types.mjs: do not edit.

export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Where a user's avatar can be fetched, in the two stored sizes. */
        AvatarUrls: {
            /** @description True when no avatar was uploaded and these point at generated initials. */
            is_default: boolean;
            /**
             * @description 256×256.
             * @example /media/avatars/3f9a…-256.jpg
             */
            large: string;
            /**
             * @description 64×64, for lists.
             * @example /media/avatars/3f9a…-64.jpg
             */
            small: string;
        };
        /** @description A message in a conversation. */
        ChatMessage: {
            /** @description Plain text (clients make links clickable); null once deleted. */
            body?: string | null;
            /**
             * Format: uuid
             * @description The id the sender's client chose, which makes a retry safe.
             */
            client_id: string;
            conversation_id: components["schemas"]["ConversationId"];
            /** Format: date-time */
            created_at: string;
            deleted: boolean;
            /** Format: date-time */
            edited_at?: string | null;
            id: components["schemas"]["MessageId"];
            images: components["schemas"]["Picture"][];
            sender?: null | components["schemas"]["UserSummary"];
            /**
             * Format: int64
             * @description Its place in the conversation: 1, 2, 3, … without gaps.
             */
            seq: number;
        };
        /** @description What a client sends, as a JSON text frame. */
        ClientFrame: {
            token: string;
            /** @enum {string} */
            type: "authenticate";
        } | {
            /** Format: int64 */
            after: number;
            /** @enum {string} */
            type: "resume";
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** @enum {string} */
            type: "typing";
        } | {
            topic_id?: null | components["schemas"]["TopicId"];
            /** @enum {string} */
            type: "view_topic";
        };
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        ConversationId: string;
        /** @description What a client shows at once, without another request. */
        Counts: {
            /**
             * Format: int64
             * @description Friend requests waiting for my answer.
             */
            incoming_friend_requests: number;
            /**
             * Format: int64
             * @description Messages others wrote after my read marks, in the conversations I
             *     did not mute: the badge. Events that change it carry it anew.
             */
            unread_messages: number;
            /**
             * Format: int64
             * @description My notifications not yet read.
             */
            unread_notifications: number;
        };
        /** @description Something that happened which a person's devices must learn. */
        Event: {
            /** Format: date-time */
            created_at: string;
            recipient: components["schemas"]["UserSummary"];
            request_id: components["schemas"]["FriendRequestId"];
            sender: components["schemas"]["UserSummary"];
            /** @enum {string} */
            type: "friend_request_sent";
        } | {
            recipient_id: components["schemas"]["UserId"];
            request_id: components["schemas"]["FriendRequestId"];
            sender_id: components["schemas"]["UserId"];
            /** @enum {string} */
            type: "friend_request_accepted";
        } | {
            recipient_id: components["schemas"]["UserId"];
            request_id: components["schemas"]["FriendRequestId"];
            sender_id: components["schemas"]["UserId"];
            /** @enum {string} */
            type: "friend_request_declined";
        } | {
            recipient_id: components["schemas"]["UserId"];
            request_id: components["schemas"]["FriendRequestId"];
            sender_id: components["schemas"]["UserId"];
            /** @enum {string} */
            type: "friend_request_cancelled";
        } | {
            /** @enum {string} */
            type: "friendship_ended";
            user_ids: components["schemas"]["UserId"][];
        } | {
            /** @enum {string} */
            type: "user_blocked";
            user_id: components["schemas"]["UserId"];
        } | {
            /** @enum {string} */
            type: "user_unblocked";
            user_id: components["schemas"]["UserId"];
        } | {
            session_id: components["schemas"]["SessionId"];
            /** @enum {string} */
            type: "session_ended";
        } | {
            me: components["schemas"]["MeResponse"];
            /** @enum {string} */
            type: "profile_changed";
        } | {
            notification: components["schemas"]["Notification"];
            /** @enum {string} */
            type: "notification_received";
            /**
             * Format: int64
             * @description My unread notifications now.
             */
            unread_count: number;
        } | {
            /**
             * @description Whether my devices should alert me (a sound, a desktop
             *     notification): not for my own messages, nor where I muted.
             */
            alert?: boolean;
            conversation_id: components["schemas"]["ConversationId"];
            message: components["schemas"]["ChatMessage"];
            /** @enum {string} */
            type: "message_created";
            /**
             * Format: int64
             * @description My unread messages now, in the conversations I did not mute:
             *     the badge.
             */
            unread_messages?: number;
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            message: components["schemas"]["ChatMessage"];
            /** @enum {string} */
            type: "message_edited";
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** Format: int64 */
            seq: number;
            /** @enum {string} */
            type: "message_deleted";
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** Format: int64 */
            seq: number;
            /** @enum {string} */
            type: "conversation_read";
            /**
             * Format: int64
             * @description When I read it: my unread messages now, in the conversations I
             *     did not mute (absent from others' read marks).
             */
            unread_messages?: number | null;
            user_id: components["schemas"]["UserId"];
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            muted: boolean;
            /** @enum {string} */
            type: "conversation_muted";
            /**
             * Format: int64
             * @description My unread messages now, in the conversations I did not mute.
             */
            unread_messages: number;
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** @enum {string} */
            type: "conversation_changed";
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** @enum {string} */
            type: "conversation_left";
            /**
             * Format: int64
             * @description My unread messages now, in the conversations I did not mute.
             */
            unread_messages?: number;
        } | {
            ids?: components["schemas"]["NotificationId"][] | null;
            /** @enum {string} */
            type: "notifications_read";
            /** Format: int64 */
            unread_count: number;
        };
        /**
         * @description Why a client frame was refused: stable codes for clients to act on.
         * @enum {string}
         */
        FrameError: "frame_too_large" | "invalid_json" | "invalid_frame" | "unknown_frame_type" | "rate_limited" | "already_authenticated" | "already_resumed" | "unknown_conversation";
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        FriendRequestId: string;
        Heartbeat: {
            /** Format: int64 */
            interval_ms: number;
            /** Format: int64 */
            timeout_ms: number;
        };
        /**
         * @description The language a user reads NoxChat (and its emails) in.
         * @enum {string}
         */
        Locale: "en" | "ru";
        /** @description The signed-in user's own account. */
        MeResponse: {
            avatar: components["schemas"]["AvatarUrls"];
            bio: string;
            /** Format: date-time */
            created_at: string;
            /** @example Анна Каренина */
            display_name: string;
            /** @example anna@example.org */
            email: string;
            email_verified: boolean;
            /** @example anna_k */
            handle: string;
            id: components["schemas"]["UserId"];
            locale: components["schemas"]["Locale"];
            /** @description Who may message me. */
            message_privacy: components["schemas"]["MessagePrivacy"];
            /** @description Who sees when I was last online. */
            online_status_visibility: components["schemas"]["OnlineStatusVisibility"];
            /** @description Whether I send and see read receipts in conversations. */
            read_receipts?: boolean;
            /** @description `user`, `moderator` or `admin`. */
            role?: components["schemas"]["Role"];
            /**
             * @deprecated
             * @description Deprecated: whether anyone may see it (`online_status_visibility` is
             *     not `nobody`).
             */
            show_online_status: boolean;
        };
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        MessageId: string;
        /**
         * @description Who may start a chat with me.
         * @enum {string}
         */
        MessagePrivacy: "everyone" | "friends" | "nobody";
        /**
         * @description What a moderator did to my content.
         * @enum {string}
         */
        ModerationAction: "post_removed" | "post_restored" | "topic_locked" | "topic_unlocked" | "topic_moved" | "topic_renamed" | "topic_deleted";
        /** @description An entry of my inbox. */
        Notification: {
            action?: null | components["schemas"]["ModerationAction"];
            actor?: null | components["schemas"]["UserSummary"];
            /**
             * Format: int32
             * @description For likes, how many since I last read it; otherwise 1.
             */
            count: number;
            /** Format: date-time */
            created_at: string;
            id: components["schemas"]["NotificationId"];
            kind: components["schemas"]["NotificationKind"];
            post?: null | components["schemas"]["PostRef"];
            read: boolean;
            reason?: string | null;
            topic?: null | components["schemas"]["NotificationTopic"];
            /**
             * Format: date-time
             * @description When it last changed (a new like); the inbox is in this order.
             */
            updated_at: string;
        };
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        NotificationId: string;
        /**
         * @description What a notification is about.
         * @enum {string}
         */
        NotificationKind: "reply" | "quote" | "mention" | "like" | "friend_request" | "friend_accepted" | "moderation";
        /** @description The topic of a notification: its title as it was when notified. */
        NotificationTopic: {
            id?: null | components["schemas"]["TopicId"];
            title: string;
        };
        /**
         * @description Who sees when I was last online (never people signed out).
         * @enum {string}
         */
        OnlineStatusVisibility: "everyone" | "friends" | "nobody";
        /** @description An uploaded picture. */
        Picture: {
            /** Format: int32 */
            height: number;
            id: components["schemas"]["UploadId"];
            /** Format: int32 */
            thumbnail_height: number;
            /**
             * @description At most 400 pixels on its long side; JPEG.
             * @example /media/uploads/3f9a…-thumb.jpg
             */
            thumbnail_url: string;
            /** Format: int32 */
            thumbnail_width: number;
            /**
             * @description At most 1600 pixels on its long side; JPEG.
             * @example /media/uploads/3f9a….jpg
             */
            url: string;
            /** Format: int32 */
            width: number;
        };
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        PostId: string;
        /** @description The post a notification is about. */
        PostRef: {
            id: components["schemas"]["PostId"];
            /** Format: int32 */
            number: number;
        };
        Ready: {
            counts: components["schemas"]["Counts"];
            /**
             * @description The server pings this often, and closes the connection with 4005
             *     when it has heard nothing from the client for `timeout_ms`.
             */
            heartbeat: components["schemas"]["Heartbeat"];
            /**
             * @description The people I may see online right now; `presence` frames follow
             *     their changes.
             */
            online: components["schemas"]["UserId"][];
            /**
             * Format: int64
             * @description The number of my newest event (0: none yet).
             */
            position: number;
            /** @description The session this connection is signed in with. */
            session_id: components["schemas"]["SessionId"];
            user: components["schemas"]["MeResponse"];
        };
        /**
         * @description What a person may do beyond their own things.
         * @enum {string}
         */
        Role: "user" | "moderator" | "admin";
        /** @description What the server sends, as JSON text frames. */
        ServerFrame: (components["schemas"]["Ready"] & {
            /** @enum {string} */
            type: "ready";
        }) | {
            /** Format: date-time */
            at: string;
            event: components["schemas"]["Event"];
            /**
             * Format: int64
             * @description My event number: 1, 2, 3, … without gaps.
             */
            seq: number;
            /** @enum {string} */
            type: "event";
        } | {
            /** Format: int64 */
            position: number;
            /** @enum {string} */
            type: "resync_required";
        } | {
            /**
             * Format: date-time
             * @description When they were last online, set when they go offline.
             */
            last_seen_at?: string | null;
            online: boolean;
            /** @enum {string} */
            type: "presence";
            user_id: components["schemas"]["UserId"];
        } | {
            conversation_id: components["schemas"]["ConversationId"];
            /** Format: int64 */
            expires_in_ms: number;
            /** @enum {string} */
            type: "user_typing";
            user_id: components["schemas"]["UserId"];
        } | {
            author_id: components["schemas"]["UserId"];
            /** Format: int32 */
            number: number;
            topic_id: components["schemas"]["TopicId"];
            /** @enum {string} */
            type: "topic_post_added";
        } | {
            topic_id: components["schemas"]["TopicId"];
            /** @enum {string} */
            type: "topic_changed";
        } | {
            code: components["schemas"]["FrameError"];
            message: string;
            /** @enum {string} */
            type: "error";
        };
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        SessionId: string;
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        TopicId: string;
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        UploadId: string;
        /**
         * Format: uuid
         * @example 0193f4d2-7c1e-7a3b-9f00-5a1b2c3d4e5f
         */
        UserId: string;
        /** @description A user as shown in lists. */
        UserSummary: {
            avatar: components["schemas"]["AvatarUrls"];
            /** @example Анна Каренина */
            display_name: string;
            /** @example anna_k */
            handle: string;
            id: components["schemas"]["UserId"];
            /** @description Moderators and admins show a badge by their name. */
            role: components["schemas"]["Role"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

type Schemas = components["schemas"];
export type ClientFrame = Schemas["ClientFrame"];
export type ServerFrame = Schemas["ServerFrame"];
export type ServerFrameOf<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;
export type LiveEvent = Schemas["Event"];
export type LiveEventOf<T extends LiveEvent["type"]> = Extract<LiveEvent, { type: T }>;
export type FrameError = Schemas["FrameError"];

/** The server's close codes, by reason. */
export const CLOSE_CODES = {
  /** The first frame was not a valid `authenticate`: fix the client; do not retry as is. */
  authentication_expected: 4000,
  /** The token is not valid, or its session has ended: sign in again. */
  unauthorized: 4001,
  /** The access token has expired: refresh it, then reconnect. */
  token_expired: 4002,
  /** No `authenticate` within 5 seconds: reconnect. */
  authentication_timeout: 4003,
  /** This connection's session ended (signed out here or elsewhere, password changed or reset, account deleted): sign in again. */
  session_ended: 4004,
  /** Nothing was heard from the client within `ready.heartbeat.timeout_ms`: reconnect and resume. */
  heartbeat_timeout: 4005,
  /** The client did not take frames fast enough: reconnect and resume after the last `seq` received. */
  too_slow: 4008,
  /** Frames kept coming too fast after `rate_limited`: reconnect later, and slow down. */
  flooding: 4029,
  /** The server is restarting: reconnect soon (to any instance) and resume. */
  service_restart: 1012,
  /** The server cannot reach its database for a moment: reconnect with backoff and resume. */
  try_again_later: 1013,
} as const;
