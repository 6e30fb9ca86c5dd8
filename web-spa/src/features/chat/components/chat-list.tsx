// The chat list: my conversations, latest activity first (the live
// connection moves one up as its messages arrive), a search box over the
// loaded ones, and buttons to start a chat or a room.
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { lazy, Suspense, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import { ChatListItem } from "@/features/chat/components/chat-list-item";
import { otherMember, useConversationName } from "@/features/chat/components/conversation-avatar";
import { useConversations } from "@/features/chat/hooks/use-conversations";

const NewChatDialog = lazy(() => import("@/features/chat/components/new-chat-dialog").then((module) => ({ default: module.NewChatDialog })));
const NewRoomDialog = lazy(() => import("@/features/chat/components/new-room-dialog").then((module) => ({ default: module.NewRoomDialog })));

type Dialog = "chat" | "room";

/** Lower case without accents: "Ёлка" finds "елка", "José" finds "jose". */
function fold(text: string): string {
  return text.toLocaleLowerCase().normalize("NFD").replace(/\p{Diacritic}/gu, "");
}

const LIST_STYLE = { listStyle: "none", margin: 0, padding: 0 } as const;

export function ChatList({ activeId, me }: { activeId: string | null; me: string }) {
  const { t } = useTranslation();
  const list = useConversations();
  const nameOf = useConversationName();
  const [search, setSearch] = useState("");
  // Each dialog is mounted the first time it opens and then kept, so Mantine hands the focus back on closing.
  const [dialogs, setDialogs] = useState<{ wanted: Dialog[]; opened: Dialog | null }>({ wanted: [], opened: null });
  const open = (dialog: Dialog) => setDialogs(({ wanted }) => ({ wanted: wanted.includes(dialog) ? wanted : [...wanted, dialog], opened: dialog }));
  const close = () => setDialogs(({ wanted }) => ({ wanted, opened: null }));

  const query = fold(search.trim());
  const shown = useMemo(
    () =>
      query
        ? list.conversations.filter((conversation) => {
            const handle = otherMember(conversation, me)?.handle ?? "";
            return fold(nameOf(conversation, me)).includes(query) || fold(handle).includes(query);
          })
        : list.conversations,
    [list.conversations, query, me, nameOf],
  );
  const now = new Date();

  return (
    <Stack gap="xs" h="100%" style={{ minHeight: 0 }}>
      <Stack gap="xs" px="sm" pt="sm">
        <Group justify="space-between" gap="xs">
          <PageHeading size="h3">{t("chatView.title")}</PageHeading>
          <Group gap={6}>
            <Button size="compact-sm" onClick={() => open("chat")}>
              {t("chatView.newChat")}
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => open("room")}>
              {t("chatView.newRoom")}
            </Button>
          </Group>
        </Group>
        <TextInput
          type="search"
          aria-label={t("chatView.search")}
          placeholder={t("chatView.search")}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
      </Stack>
      <nav aria-label={t("chatView.conversations")} style={{ flex: 1, minHeight: 0, overflowY: "auto", padding: "0 var(--mantine-spacing-xs)" }}>
        {list.isPending ? (
          <Busy mx="auto" my="md" />
        ) : list.error && list.conversations.length === 0 ? (
          <Stack align="center" gap="xs" p="md">
            <Text role="alert" c="var(--mantine-color-error)" ta="center">
              {problemMessage(t, list.error)}
            </Text>
            <Button variant="default" onClick={list.refetch}>
              {t("chatView.tryAgain")}
            </Button>
          </Stack>
        ) : shown.length === 0 ? (
          <Text c="dimmed" ta="center" p="md" size="sm">
            {query ? t("chatView.noMatch") : t("chatView.noChats")}
          </Text>
        ) : (
          <ul style={LIST_STYLE}>
            {shown.map((conversation) => (
              <li key={conversation.id}>
                <ChatListItem conversation={conversation} me={me} now={now} active={conversation.id === activeId} />
              </li>
            ))}
          </ul>
        )}
        {list.hasMore ? (
          <Group justify="center" py="xs">
            <Button variant="subtle" size="compact-sm" loading={list.isLoadingMore} onClick={list.loadMore}>
              {t("chatView.moreChats")}
            </Button>
          </Group>
        ) : null}
      </nav>
      {dialogs.wanted.includes("chat") ? (
        <Suspense fallback={null}>
          <NewChatDialog opened={dialogs.opened === "chat"} onClose={close} />
        </Suspense>
      ) : null}
      {dialogs.wanted.includes("room") ? (
        <Suspense fallback={null}>
          <NewRoomDialog opened={dialogs.opened === "room"} onClose={close} />
        </Suspense>
      ) : null}
    </Stack>
  );
}
