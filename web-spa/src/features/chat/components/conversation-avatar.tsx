// Who a conversation is with, at a glance: the other person's avatar (with a
// green dot while they are online) for a direct chat; up to three members'
// avatars stacked for a room. Names are said next to it, so the pictures are
// decoration; "online" is said in words for screen readers.
import { Avatar, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { Conversation, UserSummary } from "@/features/chat/api/chat-api";
import { useOnline } from "@/features/chat/hooks/use-online";

/** The person a direct chat is with (null: their account is gone, or the chat is a room). */
export function otherMember(conversation: Conversation, me: string | null): UserSummary | null {
  if (conversation.kind !== "direct") return null;
  return conversation.members.find((member) => member.id !== me) ?? null;
}

/** What a conversation is called: a room's title, or the other person's name. */
export function useConversationName() {
  const { t } = useTranslation();
  return (conversation: Conversation, me: string | null): string =>
    conversation.kind === "room" ? conversation.title || t("chatView.untitledRoom") : (otherMember(conversation, me)?.display_name ?? t("chatView.someone"));
}

export function OnlineDot({ userId, size }: { userId: string | null | undefined; size: number }) {
  const { t } = useTranslation();
  const online = useOnline(userId);
  if (!online) return null;
  const dot = Math.max(8, Math.round(size / 4));
  return (
    <>
      <span
        aria-hidden="true"
        style={{
          position: "absolute",
          right: 0,
          bottom: 0,
          width: dot,
          height: dot,
          borderRadius: "50%",
          background: "var(--mantine-color-green-6)",
          boxShadow: "0 0 0 2px var(--mantine-color-body)",
        }}
      />
      <VisuallyHidden>{t("chatView.online")}</VisuallyHidden>
    </>
  );
}

export function ConversationAvatar({ conversation, me, size = 40 }: { conversation: Conversation; me: string | null; size?: number }) {
  if (conversation.kind === "direct") {
    const other = otherMember(conversation, me);
    return (
      <span style={{ position: "relative", display: "inline-flex", flex: "none" }}>
        <Avatar src={other?.avatar.small} alt="" size={size} radius="xl" />
        <OnlineDot userId={other?.id} size={size} />
      </span>
    );
  }
  // The others first: my own face says nothing about the room.
  const shown = [...conversation.members.filter((member) => member.id !== me), ...conversation.members.filter((member) => member.id === me)].slice(0, 3);
  const small = Math.round(size * 0.62);
  return (
    <span style={{ position: "relative", display: "inline-block", width: size, height: size, flex: "none" }} aria-hidden="true">
      {shown.map((member, index) => (
        <Avatar
          key={member.id}
          src={member.avatar.small}
          alt=""
          size={shown.length === 1 ? size : small}
          radius="xl"
          style={{
            position: "absolute",
            // Three in a triangle, two on a diagonal, one filling the square.
            left: shown.length === 3 ? [0, size - small, (size - small) / 2][index] : index * (size - small),
            top: shown.length === 3 ? [0, 0, size - small][index] : index * (size - small),
            boxShadow: "0 0 0 2px var(--mantine-color-body)",
          }}
        />
      ))}
    </span>
  );
}
