// One conversation: a header (back to the list on a phone, who it is with,
// "online" or how many members, "typing…", the settings), the messages, and
// the composer.
import { ActionIcon, Alert, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import type { Conversation } from "@/features/chat/api/chat-api";
import { ChevronIcon, SettingsIcon } from "@/features/chat/components/chat-icons";
import { ConversationAvatar, otherMember, useConversationName } from "@/features/chat/components/conversation-avatar";
import { MessageComposer } from "@/features/chat/components/message-composer";
import { MessageList } from "@/features/chat/components/message-list";
import { useConnectionState } from "@/features/chat/hooks/use-connection-state";
import { useConversation } from "@/features/chat/hooks/use-conversations";
import { useOnline } from "@/features/chat/hooks/use-online";
import { useTyping } from "@/features/chat/hooks/use-typing";
import { ApiProblem } from "@/lib/problem";

const RoomSettings = lazy(() => import("@/features/chat/components/room-settings").then((module) => ({ default: module.RoomSettings })));

/** Under the name: who is typing, else whether they are online (direct) or how many are in it (room). */
function Subtitle({ conversation, me }: { conversation: Conversation; me: string }) {
  const { t } = useTranslation();
  const typing = useTyping(conversation.id);
  const other = otherMember(conversation, me);
  const online = useOnline(other?.id);
  let text: string | null;
  if (typing.length > 0) {
    if (conversation.kind === "direct") text = t("chatView.typing");
    else if (typing.length === 1) text = t("chatView.typingOne", { name: typing[0] });
    else if (typing.length === 2) text = t("chatView.typingTwo", { first: typing[0], second: typing[1] });
    else text = t("chatView.typingMany", { count: typing.length });
  } else if (conversation.kind === "room") {
    text = t("chatView.members", { count: conversation.members.length });
  } else {
    text = online ? t("chatView.online") : null;
  }
  // Dimmed (the app's dimmed keeps 4.5:1 in both schemes), "typing…" in italics:
  // the primary colour's filled shade is a background, 2.7:1 as text on the dark one.
  return (
    <Text size="xs" c="dimmed" truncate="end" mih={18} fs={typing.length > 0 ? "italic" : undefined}>
      {text}
    </Text>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <ActionIcon component={Link} to="/chats" variant="subtle" color="gray" c="var(--mantine-color-text)" size="lg" aria-label={t("chatView.back")} hiddenFrom="md">
      <ChevronIcon direction="left" />
    </ActionIcon>
  );
}

function Header({ conversation, me }: { conversation: Conversation; me: string }) {
  const { t } = useTranslation();
  const name = useConversationName()(conversation, me);
  const [settings, setSettings] = useState({ wanted: false, opened: false });
  const settingsLabel = conversation.kind === "room" ? t("chatView.roomSettings") : t("chatView.chatSettings");
  return (
    <Group gap="sm" wrap="nowrap" px="sm" py={6} style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
      <BackLink />
      <ConversationAvatar conversation={conversation} me={me} size={36} />
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Title order={2} size="h5" lineClamp={1} tabIndex={-1} style={{ overflowWrap: "anywhere", outline: "none" }}>
          {name}
        </Title>
        <Subtitle conversation={conversation} me={me} />
      </Stack>
      <ActionIcon variant="subtle" color="gray" c="var(--mantine-color-text)" size="lg" aria-label={settingsLabel} title={settingsLabel} onClick={() => setSettings({ wanted: true, opened: true })}>
        <SettingsIcon />
      </ActionIcon>
      {/* Mounted once opened, and kept, so its code loads on demand and the focus goes back to the button. */}
      {settings.wanted ? (
        <Suspense fallback={null}>
          <RoomSettings conversation={conversation} opened={settings.opened} onClose={() => setSettings({ wanted: true, opened: false })} />
        </Suspense>
      ) : null}
    </Group>
  );
}

/** Offline, what one sends waits: the person is told so where they write. */
function OfflineBanner() {
  const { t } = useTranslation();
  const offline = useConnectionState() === "offline";
  return (
    <div role="status">
      {offline ? (
        <Alert color="gray" variant="light" radius={0} py={6}>
          {t("chatView.offline")}
        </Alert>
      ) : null}
    </div>
  );
}

export function ConversationView({ id, me }: { id: string; me: string }) {
  const { t } = useTranslation();
  const query = useConversation(id);
  if (query.isPending) return <Busy m="auto" />;
  // Left or removed meanwhile: what is cached is no longer to be shown.
  const gone = query.error instanceof ApiProblem && query.error.status === 404;
  if (!query.data || gone) {
    return (
      <Stack p="md" gap="sm">
        <Group gap="xs">
          <BackLink />
        </Group>
        <Text role="alert">{problemMessage(t, query.error)}</Text>
        <Anchor component={Link} to="/chats">
          {t("chatView.allChats")}
        </Anchor>
      </Stack>
    );
  }
  const conversation = query.data;
  return (
    <div style={{ display: "flex", flexDirection: "column", height: "100%", minHeight: 0 }}>
      <Header conversation={conversation} me={me} />
      <OfflineBanner />
      {/* A conversation of its own (or another person's, signed in on this tab): scroll place, counts and draft start afresh. */}
      <MessageList key={`list-${me}-${id}`} conversation={conversation} me={me} />
      <div style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
        <MessageComposer key={`composer-${me}-${id}`} conversationId={id} />
      </div>
    </div>
  );
}
