// One message: its pictures and text (links clickable), when it was
// written, "edited", and for one's own its state: a clock while sending,
// "Not sent" with Retry, then ticks (direct chats: sent / read; rooms: read by
// N). Deleted messages keep their place as "Message deleted".
import { Avatar, Button, Group, Paper, Text, VisuallyHidden } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import type { ChatMessage, Conversation, UserSummary } from "@/features/chat/api/chat-api";
import { ClockIcon, TicksIcon } from "@/features/chat/components/chat-icons";
import { MessageActions } from "@/features/chat/components/message-bubble-actions";
import { MessageEditForm } from "@/features/chat/components/message-bubble-edit";
import { MessagePictures } from "@/features/chat/components/message-bubble-pictures";
import { MessageText } from "@/features/chat/components/message-bubble-text";
import { timeOfDay } from "@/features/chat/components/message-list-groups";
import type { MessageItem } from "@/features/chat/hooks/use-messages";
import type { PendingMessage } from "@/features/chat/store/outbox";

export interface MessageBubbleProps {
  item: MessageItem;
  conversation: Conversation;
  /** The sender as the conversation knows them (null: the account is gone). */
  sender: UserSummary | null;
  own: boolean;
  /** The first of its sender's run: a room shows the name above it. */
  first: boolean;
  /** The last of its sender's run: a room shows the avatar beside it. */
  last: boolean;
  /** The newest of my sent messages: its receipt is spelled out, not only ticked. */
  latestOwn: boolean;
  onRetry(clientId: string): void;
  onDiscard(clientId: string): void;
}

/** How far the others read my message, as the conversation's read marks say. */
export function receiptOf(conversation: Conversation, seq: number): { read: boolean; readers: number } {
  const readers = conversation.read_marks.filter((mark) => mark.last_read_seq >= seq).length;
  return { read: readers > 0, readers };
}

function Receipt({ conversation, message, spelled }: { conversation: Conversation; message: ChatMessage; spelled: boolean }) {
  const { t } = useTranslation();
  const { read, readers } = receiptOf(conversation, message.seq);
  const words = !read ? t("chatView.sent") : conversation.kind === "room" ? t("chatView.readBy", { count: readers }) : t("chatView.read");
  return (
    <Group component="span" gap={3} wrap="nowrap">
      {/* Only the ticks in colour: the words keep the dimmed text's contrast on the bubble. The
          primary colour's text shade (the link colour: shade 8 light, 4 dark), not its filled
          one, which is 2.4:1 on my bubble in the dark scheme; this is 4.5:1 in both. */}
      <span style={{ display: "inline-flex", color: read ? "var(--mantine-color-anchor)" : undefined }}>
        <TicksIcon double={read} />
      </span>
      {spelled ? <span>{words}</span> : <VisuallyHidden>{words}</VisuallyHidden>}
    </Group>
  );
}

function SendingMark() {
  const { t } = useTranslation();
  return (
    <Group component="span" gap={3} wrap="nowrap">
      <ClockIcon />
      <VisuallyHidden>{t("chatView.sending")}</VisuallyHidden>
    </Group>
  );
}

function FailedState({ message, onRetry, onDiscard }: { message: PendingMessage; onRetry(): void; onDiscard(): void }) {
  const { t } = useTranslation();
  // A refusal (4xx) says why; a network that never came back needs no more than "Not sent".
  const reason = message.error && message.error.status >= 400 && message.error.status < 500 ? problemMessage(t, message.error) : null;
  return (
    <Group gap={6} wrap="wrap" justify="flex-end">
      <Text size="xs" c="var(--mantine-color-error)" fw={600}>
        {t("chatView.notSent")}
        {reason ? `: ${reason}` : ""}
      </Text>
      <Button size="compact-sm" variant="default" onClick={onRetry}>
        {t("chatView.retry")}
      </Button>
      <Button size="compact-sm" variant="subtle" color="gray" onClick={onDiscard}>
        {t("chatView.discard")}
      </Button>
    </Group>
  );
}

export function MessageBubble({ item, conversation, sender, own, first, last, latestOwn, onRetry, onDiscard }: MessageBubbleProps) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const room = conversation.kind === "room";
  const sent = item.pending ? null : item.message;
  const createdAt = item.pending ? item.message.createdAt : item.message.created_at;
  const body = item.message.body ?? null;
  const pictures = item.pending ? item.message.pictures : item.message.images;
  const deleted = sent?.deleted ?? false;
  const name = own ? t("chatView.you") : (sender?.display_name ?? t("chatView.someone"));
  // Rooms name the sender over the first message of a run; otherwise screen readers alone hear it.
  const showName = room && !own && first;
  const time = timeOfDay(createdAt, i18n.language);
  const exact = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long", timeStyle: "short" }).format(new Date(createdAt));

  let content: ReactNode;
  if (deleted) {
    content = (
      <Text size="sm" fs="italic" c="dimmed">
        {t("chatView.deleted")}
      </Text>
    );
  } else if (editing && sent) {
    content = <MessageEditForm message={sent} onDone={() => setEditing(false)} />;
  } else {
    content = (
      <>
        <MessagePictures pictures={pictures} />
        {body ? <MessageText body={body} /> : null}
      </>
    );
  }

  const bubble = (
    <Paper
      withBorder
      radius="lg"
      px="sm"
      py={6}
      style={{
        maxWidth: "min(36rem, 80%)",
        minWidth: 0,
        background: own ? "var(--mantine-primary-color-light)" : "var(--mantine-color-default)",
      }}
    >
      {showName ? (
        <Text size="xs" fw={700} mb={2}>
          {name}
        </Text>
      ) : (
        <VisuallyHidden>{`${name}:`}</VisuallyHidden>
      )}
      {content}
      <Group gap={6} justify="flex-end" wrap="wrap" mt={2}>
        <Text size="xs" c="dimmed" component="span">
          <Group component="span" gap={6} wrap="nowrap">
            {sent?.edited_at && !deleted ? <span>{t("chatView.edited")}</span> : null}
            <time dateTime={createdAt} title={exact}>
              {time}
            </time>
            {own && sent && !deleted ? <Receipt conversation={conversation} message={sent} spelled={latestOwn} /> : null}
            {item.pending && item.message.state === "sending" ? <SendingMark /> : null}
          </Group>
        </Text>
        {item.pending && item.message.state === "failed" ? (
          // By its client id: the row's key is the list's business (it pairs the id with the sender).
          <FailedState message={item.message} onRetry={() => onRetry(item.message.clientId)} onDiscard={() => onDiscard(item.message.clientId)} />
        ) : null}
      </Group>
    </Paper>
  );

  return (
    <Group gap={6} wrap="nowrap" justify={own ? "flex-end" : "flex-start"} align="flex-end">
      {room && !own ? (
        last ? (
          <Avatar src={sender?.avatar.small} alt="" size={28} radius="xl" />
        ) : (
          <div style={{ width: 28, flex: "none" }} />
        )
      ) : null}
      {/* Beside my bubble, on the inner side, where the thumb reaches it. */}
      {own && sent && !deleted && !editing ? (
        <MessageActions message={sent} label={t("chatView.actions", { time })} onEdit={() => setEditing(true)} />
      ) : null}
      {bubble}
    </Group>
  );
}
