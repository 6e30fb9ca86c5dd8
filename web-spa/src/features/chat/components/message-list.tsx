// A conversation's messages: by day (a heading per day) and by sender (runs
// of one person's messages), mine on the right. Opens at the newest; older
// ones load as the reader scrolls up (or by the button) without moving what
// is on screen; scrolled up, new ones wait behind "Jump to latest (N new)".
// What is seen, with the tab visible, is marked read; others' new messages
// are announced politely to screen readers.
import { Button, Stack, Text, VisuallyHidden } from "@mantine/core";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import type { Conversation } from "@/features/chat/api/chat-api";
import { ArrowDownIcon } from "@/features/chat/components/chat-icons";
import { MessageBubble } from "@/features/chat/components/message-bubble";
import { dayLabel, groupMessages } from "@/features/chat/components/message-list-groups";
import { useChatScroll, useLoadNearTop } from "@/features/chat/components/message-list-scroll";
import { useMarkRead } from "@/features/chat/hooks/use-mark-read";
import { useMessages, type MessageItem } from "@/features/chat/hooks/use-messages";
import { useSendMessage } from "@/features/chat/hooks/use-send-message";

/** An item with what grouping asks of it. */
interface Row {
  key: string;
  senderId: string | null;
  createdAt: string;
  item: MessageItem;
}

function toRow(item: MessageItem, me: string): Row {
  return item.pending
    ? { key: item.key, senderId: me, createdAt: item.message.createdAt, item }
    : { key: item.key, senderId: item.message.sender?.id ?? null, createdAt: item.message.created_at, item };
}

const subscribeVisibility = (listener: () => void) => {
  document.addEventListener("visibilitychange", listener);
  return () => document.removeEventListener("visibilitychange", listener);
};
const tabVisible = () => document.visibilityState === "visible";

const LIST_STYLE = { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" } as const;

function DayHeading({ children }: { children: string }) {
  const line = <span aria-hidden="true" style={{ flex: 1, borderTop: "1px solid var(--mantine-color-default-border)" }} />;
  return (
    <div style={{ display: "flex", alignItems: "center", gap: "var(--mantine-spacing-xs)", margin: "var(--mantine-spacing-sm) 0" }}>
      {line}
      <Text component="h3" size="xs" c="dimmed" fw={600} m={0}>
        {children}
      </Text>
      {line}
    </div>
  );
}

export function MessageList({ conversation, me }: { conversation: Conversation; me: string }) {
  const { t, i18n } = useTranslation();
  const messages = useMessages(conversation.id);
  const { retry, discard } = useSendMessage(conversation.id);
  const markRead = useMarkRead(conversation.id);
  const [announcements, setAnnouncements] = useState<{ id: number; text: string }[]>([]);
  const announced = useRef(0);

  const rows = useMemo(() => messages.items.map((item) => toRow(item, me)), [messages.items, me]);
  const scroll = useChatScroll({
    items: rows,
    // A first load that failed shows no list: what comes on trying again is history, not arrivals.
    loaded: !messages.isPending && !(messages.error && messages.items.length === 0),
    own: (row) => row.senderId === me,
    onArrived: (arrived) => {
      // Each its own line: a live region reads what is added, even the same words again.
      const added = arrived.map((row) => {
        const name = row.item.pending ? "" : (row.item.message.sender?.display_name ?? t("chatView.someone"));
        return { id: (announced.current += 1), text: t("chatView.newFrom", { name }) };
      });
      setAnnouncements((list) => [...list, ...added].slice(-3));
    },
  });
  const loadOlder = () => {
    scroll.keepPlace();
    messages.loadOlder();
  };
  // Not while the history is being read again (a resync): the older page would be asked of pages about to change.
  const topEdge = useLoadNearTop(scroll.scroller, loadOlder, messages.hasOlder && !messages.isLoadingOlder && !messages.isFetching && !messages.error);

  // Read when the newest message is on screen, and only while the tab is seen.
  const visible = useSyncExternalStore(subscribeVisibility, tabVisible, () => true);
  useEffect(() => {
    if (scroll.atBottom && visible && messages.newestSeq !== null) markRead(messages.newestSeq);
  }, [scroll.atBottom, visible, messages.newestSeq, markRead]);

  const days = useMemo(() => groupMessages(rows, me), [rows, me]);
  const latestOwn = useMemo(() => [...rows].reverse().find((row) => row.senderId === me && !row.item.pending)?.key, [rows, me]);
  const now = new Date();
  const words = { today: t("chatView.today"), yesterday: t("chatView.yesterday") };

  if (messages.isPending) return <Busy m="auto" />;
  if (messages.error && rows.length === 0) {
    return (
      <Stack m="auto" align="center" gap="xs" p="md">
        <Text role="alert" c="var(--mantine-color-error)" ta="center">
          {problemMessage(t, messages.error)}
        </Text>
        <Button variant="default" onClick={messages.refetch}>
          {t("chatView.tryAgain")}
        </Button>
      </Stack>
    );
  }

  return (
    <div style={{ position: "relative", flex: 1, minHeight: 0, display: "flex", flexDirection: "column" }}>
      <section
        ref={scroll.scroller}
        aria-label={t("chatView.messages")}
        tabIndex={0}
        onScroll={scroll.onScroll}
        style={{ flex: 1, minHeight: 0, overflowY: "auto", overscrollBehavior: "contain", padding: "0 var(--mantine-spacing-sm)" }}
      >
        <div ref={scroll.content}>
          {messages.hasOlder ? (
            <Stack align="center" py="xs" gap={4}>
              <div ref={topEdge} />
              <Button variant="subtle" size="compact-sm" loading={messages.isLoadingOlder} onClick={loadOlder}>
                {t("chatView.earlier")}
              </Button>
              {messages.error ? (
                <Text role="alert" size="sm" c="var(--mantine-color-error)">
                  {problemMessage(t, messages.error)}
                </Text>
              ) : null}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed" ta="center" py="sm">
              {rows.length ? t("chatView.beginning") : t("chatView.empty")}
            </Text>
          )}
          {days.map((day) => (
            <div key={day.day}>
              <DayHeading>{dayLabel(day.day, now, i18n.language, words)}</DayHeading>
              <ol style={LIST_STYLE}>
                {day.runs.flatMap((run) =>
                  run.messages.map((row, index) => (
                    <li key={row.key} data-key={row.key} style={{ marginTop: index === 0 ? "var(--mantine-spacing-sm)" : 2 }}>
                      <MessageBubble
                        item={row.item}
                        conversation={conversation}
                        sender={row.item.pending ? null : (row.item.message.sender ?? null)}
                        own={run.own}
                        first={index === 0}
                        last={index === run.messages.length - 1}
                        latestOwn={row.key === latestOwn}
                        onRetry={retry}
                        onDiscard={discard}
                      />
                    </li>
                  )),
                )}
              </ol>
            </div>
          ))}
          <div style={{ height: "var(--mantine-spacing-sm)" }} />
        </div>
      </section>
      {!scroll.atBottom ? (
        <Button
          onClick={scroll.jumpToLatest}
          radius="xl"
          size="compact-md"
          leftSection={<ArrowDownIcon />}
          style={{ position: "absolute", bottom: "var(--mantine-spacing-sm)", left: "50%", transform: "translateX(-50%)", boxShadow: "var(--mantine-shadow-md)" }}
        >
          {scroll.unseen > 0 ? t("chatView.jumpNew", { count: scroll.unseen }) : t("chatView.jump")}
        </Button>
      ) : null}
      <VisuallyHidden aria-live="polite">
        {announcements.map((announcement) => (
          <p key={announcement.id}>{announcement.text}</p>
        ))}
      </VisuallyHidden>
    </div>
  );
}
