// What the messenger's tests share: people, conversations and messages as
// the server sends them.
import type { ChatMessage, Conversation, ConversationPage, MessagePage, UserSummary } from "@/features/chat/api/chat-api";
import type { ConversationsData, MessagesData } from "@/features/chat/cache";

export function person(handle: string, name: string): UserSummary {
  return { id: `id-${handle}`, handle, display_name: name, avatar: { large: "", small: "", is_default: true }, role: "user" };
}

export const me = person("me", "Me");
export const anna = person("anna", "Anna");
export const boris = person("boris", "Boris");

export function chatMessage(conversationId: string, seq: number, changes: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `m-${conversationId}-${seq}`,
    conversation_id: conversationId,
    client_id: `client-${conversationId}-${seq}`,
    seq,
    body: `message ${seq}`,
    images: [],
    deleted: false,
    sender: anna,
    created_at: new Date(Date.UTC(2026, 10, 22, 10, 0, seq)).toISOString(),
    edited_at: null,
    ...changes,
  };
}

export function conversation(id: string, changes: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: "direct",
    members: [me, anna],
    last_message: null,
    last_read_seq: 0,
    unread_count: 0,
    muted: false,
    owner: null,
    title: null,
    last_activity_at: "2026-11-22T09:00:00Z",
    read_marks: [],
    ...changes,
  };
}

/** A cached chat list of the given pages. */
export function conversationsData(...pages: Conversation[][]): ConversationsData {
  const list: ConversationPage[] = pages.map((items, i) => ({ items, next_cursor: i < pages.length - 1 ? `c${i + 1}` : null }));
  return { pages: list, pageParams: list.map((_, i) => (i === 0 ? null : `c${i}`)) };
}

/** A cached history: each page a seq range (newest page first), `hasMore` on the oldest. */
export function messagesData(conversationId: string, ranges: [number, number][], hasMore = false): MessagesData {
  const pages: MessagePage[] = ranges.map(([from, to], i) => ({
    items: Array.from({ length: to - from + 1 }, (_, k) => chatMessage(conversationId, from + k)),
    has_more: i < ranges.length - 1 || hasMore,
  }));
  return { pages, pageParams: ranges.map(([from], i) => (i === 0 ? null : (ranges[i - 1]?.[0] ?? from))) };
}
