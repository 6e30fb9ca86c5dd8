// What the messenger asks of the server: conversations (direct chats and
// rooms), their messages, read marks and muting. Typed from the OpenAPI
// document; problems arrive as ApiProblem errors.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export { chatKeys } from "@/features/chat/keys";

export type ChatMessage = components["schemas"]["ChatMessage"];
export type Picture = components["schemas"]["Picture"];
export type UserSummary = components["schemas"]["UserSummary"];
export type ConversationKind = components["schemas"]["ConversationKind"];
export type ReadState = components["schemas"]["ReadState"];
/** Another member's read mark (shown only while both keep read receipts on). */
export type ReadMark = components["schemas"]["ReadMark"];
export type Conversation = components["schemas"]["Conversation"];
export interface ConversationPage {
  items: Conversation[];
  next_cursor?: string | null;
}
/** A stretch of messages in seq order (oldest first); `has_more`: more lie beyond, in the direction read. */
export type MessagePage = components["schemas"]["History"];
/** Which stretch of messages: the newest, or those just before or after a seq. */
export interface MessageStretch {
  before?: number;
  after?: number;
  limit?: number;
}
export interface NewMessage {
  client_id: string;
  body?: string | null;
  upload_ids?: string[];
}

/** How many messages a page of history holds. */
export const MESSAGE_PAGE_SIZE = 50;

const path = (id: string) => ({ params: { path: { id } } });

/** A page of my conversations, the latest activity first. */
export async function listConversations(cursor: string | null = null): Promise<ConversationPage> {
  return call(api.GET("/api/v1/conversations", { params: { query: cursor ? { cursor } : {} } }));
}

export async function getConversation(id: string): Promise<Conversation> {
  return call(api.GET("/api/v1/conversations/{id}", path(id)));
}

/** My direct conversation with `userId`, made if needed; 403 `cannot_message` when they do not accept it. */
export async function openDirect(userId: string): Promise<Conversation> {
  return call(api.POST("/api/v1/conversations/direct", { body: { user_id: userId } }));
}

export async function createRoom(title: string, memberIds: string[]): Promise<Conversation> {
  return call(api.POST("/api/v1/conversations/rooms", { body: { title, member_ids: memberIds } }));
}

export async function renameRoom(id: string, title: string): Promise<Conversation> {
  return call(api.PATCH("/api/v1/conversations/{id}", { ...path(id), body: { title } }));
}

export async function addMember(id: string, userId: string): Promise<Conversation> {
  return call(api.POST("/api/v1/conversations/{id}/members", { ...path(id), body: { user_id: userId } }));
}

/** Removes someone from a room (its owner), or, with my own id, leaves it. */
export async function removeMember(id: string, userId: string): Promise<void> {
  await call(api.DELETE("/api/v1/conversations/{id}/members/{user_id}", { params: { path: { id, user_id: userId } } }));
}

export async function mute(id: string): Promise<Conversation> {
  return call(api.PUT("/api/v1/conversations/{id}/mute", path(id)));
}

export async function unmute(id: string): Promise<Conversation> {
  return call(api.DELETE("/api/v1/conversations/{id}/mute", path(id)));
}

/** The newest messages, or those just `before` or `after` a seq; in seq order. */
export async function listMessages(id: string, stretch: MessageStretch = {}): Promise<MessagePage> {
  const query = { limit: stretch.limit ?? MESSAGE_PAGE_SIZE, ...(stretch.before ? { before: stretch.before } : {}), ...(stretch.after ? { after: stretch.after } : {}) };
  return call(api.GET("/api/v1/conversations/{id}/messages", { params: { path: { id }, query } }));
}

/** How a message is sent: as whom (an access token, instead of the session's current one), and until when. */
export interface SendOptions {
  token?: string;
  signal?: AbortSignal;
}

/** Sends a message; the same `client_id` again answers the message it made (never a second one). */
export async function sendMessage(id: string, message: NewMessage, options: SendOptions = {}): Promise<ChatMessage> {
  const body = { client_id: message.client_id, body: message.body ?? null, ...(message.upload_ids?.length ? { upload_ids: message.upload_ids } : {}) };
  const headers = options.token ? { Authorization: `Bearer ${options.token}` } : undefined;
  return call(api.POST("/api/v1/conversations/{id}/messages", { ...path(id), body, headers, signal: options.signal }));
}

export async function editMessage(id: string, seq: number, body: string): Promise<ChatMessage> {
  return call(api.PATCH("/api/v1/conversations/{id}/messages/{seq}", { params: { path: { id, seq } }, body: { body } }));
}

export async function deleteMessage(id: string, seq: number): Promise<void> {
  await call(api.DELETE("/api/v1/conversations/{id}/messages/{seq}", { params: { path: { id, seq } } }));
}

/** Moves my read mark forward to `seq` (never back). */
export async function markRead(id: string, seq: number): Promise<ReadState> {
  return call(api.POST("/api/v1/conversations/{id}/read", { ...path(id), body: { seq } }));
}
