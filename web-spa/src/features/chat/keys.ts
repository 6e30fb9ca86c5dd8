// The messenger's query keys, shared by its screens, its live handlers and
// the nav badge. Apart from the API module so the live handlers (loaded with
// the app) do not pull the API calls into the initial bundle.
// No viewer in the keys: the whole cache is cleared when the account changes (main.tsx).
export const chatKeys = {
  /** Everything of the feature: what a resync reloads. */
  all: ["chat"] as const,
  /** The chat list: an infinite query of ConversationPage, latest activity first. */
  conversations: () => ["chat", "conversations"] as const,
  /** One conversation (Conversation). */
  conversation: (id: string) => ["chat", "conversation", id] as const,
  /** A conversation's messages: an infinite query of MessagePage, the newest page first. */
  messages: (id: string) => ["chat", "messages", id] as const,
  /** The unread badge: a number, only ever set from the live connection. */
  unread: ["chat", "unread"] as const,
};

/** Where a person's unsent messages are kept (localStorage), so they survive a reload. */
export function outboxStorageKey(userId: string): string {
  return `noxchat.outbox.${userId}`;
}
