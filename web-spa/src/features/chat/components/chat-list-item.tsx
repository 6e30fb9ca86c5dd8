// One conversation in the chat list: a link with its avatar, name, the time
// and a preview of the last message, its unread count (grey when muted) and
// a muted mark. Its name says all of it in words, as one sentence.
import { Badge, Group, NavLink, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { ChatMessage, Conversation } from "@/features/chat/api/chat-api";
import { MutedIcon } from "@/features/chat/components/chat-icons";
import { ConversationAvatar, otherMember, useConversationName } from "@/features/chat/components/conversation-avatar";
import { localDay } from "@/features/chat/components/message-list-groups";
import { useOnline } from "@/features/chat/hooks/use-online";

/** The time of the last message: its hour today, its weekday this week, its date before. */
export function shortTime(iso: string, now: Date, language: string): string {
  const date = new Date(iso);
  if (localDay(date) === localDay(now)) return new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" }).format(date);
  const days = (now.getTime() - date.getTime()) / (24 * 3600 * 1000);
  if (days < 6) return new Intl.DateTimeFormat(language, { weekday: "short" }).format(date);
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(language, sameYear ? { day: "numeric", month: "short" } : { day: "numeric", month: "short", year: "2-digit" }).format(date);
}

function usePreview() {
  const { t } = useTranslation();
  return (conversation: Conversation, message: ChatMessage | null | undefined, me: string): string => {
    if (!message) return t("chatView.noMessages");
    if (message.deleted) return t("chatView.deleted");
    // The first line is enough: the rest would be cut off anyway.
    const words = message.body?.split("\n", 1)[0] || (message.images.length ? t("chatView.picture") : "");
    if (message.sender?.id === me) return t("chatView.youSaid", { text: words });
    if (conversation.kind === "room" && message.sender) return t("chatView.theySaid", { name: message.sender.display_name, text: words });
    return words;
  };
}

export function ChatListItem({ conversation, me, now, active }: { conversation: Conversation; me: string; now: Date; active: boolean }) {
  const { t, i18n } = useTranslation();
  const name = useConversationName()(conversation, me);
  const preview = usePreview()(conversation, conversation.last_message, me);
  const unread = conversation.unread_count;
  const online = useOnline(otherMember(conversation, me)?.id);
  const time = shortTime(conversation.last_activity_at, now, i18n.language);
  // Said as one sentence with pauses: the pieces are laid out apart, and read together they would run into each other.
  const label = [
    name,
    online ? t("chatView.online") : null,
    preview,
    time,
    unread > 0 ? t("chatView.unread", { count: unread }) : null,
    conversation.muted ? t("chatView.muted") : null,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <NavLink
      aria-label={label}
      component={Link}
      to={`/chats/${conversation.id}`}
      active={active}
      aria-current={active ? "page" : undefined}
      variant="light"
      py="xs"
      style={{ borderRadius: "var(--mantine-radius-md)" }}
      leftSection={<ConversationAvatar conversation={conversation} me={me} />}
      label={
        <Group component="span" gap={6} wrap="nowrap" justify="space-between">
          <Text component="span" fw={unread > 0 ? 700 : 600} size="sm" truncate="end" style={{ minWidth: 0 }}>
            {name}
          </Text>
          <Text component="span" size="xs" c="dimmed" style={{ flex: "none" }}>
            <time dateTime={conversation.last_activity_at}>{time}</time>
          </Text>
        </Group>
      }
      description={
        <Group component="span" gap={6} wrap="nowrap" justify="space-between">
          <Text component="span" size="sm" c="dimmed" truncate="end" style={{ minWidth: 0 }}>
            {preview}
          </Text>
          <Group component="span" gap={4} wrap="nowrap" style={{ flex: "none" }}>
            {conversation.muted ? (
              <Text component="span" c="dimmed" style={{ display: "inline-flex" }}>
                <MutedIcon />
              </Text>
            ) : null}
            {unread > 0 ? (
              <Badge component="span" size="sm" circle={unread < 10} color={conversation.muted ? "gray" : undefined}>
                {unread > 99 ? "99+" : unread}
              </Badge>
            ) : null}
          </Group>
        </Group>
      }
    />
  );
}
