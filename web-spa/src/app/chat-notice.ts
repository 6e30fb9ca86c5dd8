// The small in-app notice of a message in a conversation other than the one
// on screen. The messenger decides when (not mine, not muted, not the open
// conversation); the address is checked here too, as the messenger learns
// which conversation is open only once its screen has loaded.
import type { ChatMessage, Conversation } from "@/features/chat/api/chat-api";
import { notify } from "@/components/ui/notify";
import i18n from "@/lib/i18n";

const PREVIEW_LENGTH = 90;

export function chatNoticeText(message: ChatMessage, conversation: Conversation | undefined): string {
  const name = message.sender?.display_name ?? i18n.t("chatSetup.someone");
  const body = (message.body ?? "").replace(/\s+/g, " ").trim();
  const text = body
    ? body.length > PREVIEW_LENGTH
      ? `${body.slice(0, PREVIEW_LENGTH - 1)}…`
      : body
    : i18n.t("chatSetup.picture");
  return conversation?.kind === "room" && conversation.title
    ? i18n.t("chatSetup.noticeInRoom", { name, room: conversation.title, text })
    : i18n.t("chatSetup.notice", { name, text });
}

export function showChatNotice(message: ChatMessage, conversation: Conversation | undefined): void {
  if (location.pathname === `/chats/${message.conversation_id}`) return;
  notify(chatNoticeText(message, conversation));
}
