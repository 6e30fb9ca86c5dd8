// My inbox: every notification, newest change first, more on scroll; each
// opens what it is about and is then read; all can be marked read at once.
import { ActionIcon, Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useIntersection } from "@mantine/hooks";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import type { Notification } from "@/features/notifications/api/notifications-api";
import { inboxItems } from "@/features/notifications/cache";
import { MarkAllReadButton } from "@/features/notifications/components/mark-all-read-button";
import { NotificationItem } from "@/features/notifications/components/notification-item";
import { describeNotification } from "@/features/notifications/components/notification-text";
import { useInbox, useMarkOneRead } from "@/features/notifications/hooks/use-inbox";
import { useUnreadNotifications } from "@/features/notifications/hooks/use-unread-notifications";
import { useSession } from "@/lib/session";

function CheckIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path d="m3 8.5 3.2 3L13 4.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function InboxRow({ notification, onRead }: { notification: Notification; onRead(notification: Notification): void }) {
  const { t } = useTranslation();
  const link = useRef<HTMLAnchorElement>(null);
  return (
    <li>
      <Group wrap="nowrap" gap={4} align="center">
        <div style={{ flex: 1, minWidth: 0 }}>
          <NotificationItem ref={link} notification={notification} onOpen={onRead} />
        </div>
        {notification.read ? null : (
          <ActionIcon
            variant="subtle"
            size="lg"
            aria-label={t("notifications.markReadOf", { what: describeNotification(t, notification) })}
            title={t("notifications.markRead")}
            onClick={() => {
              onRead(notification);
              // The button goes away once read: the focus stays on the same notification.
              link.current?.focus();
            }}
          >
            <CheckIcon />
          </ActionIcon>
        )}
      </Group>
    </li>
  );
}

function InboxList() {
  const { t } = useTranslation();
  const inbox = useInbox();
  const unread = useUnreadNotifications().data ?? 0;
  const markOne = useMarkOneRead();
  const { ref, entry } = useIntersection({ rootMargin: "200px" });
  useEffect(() => {
    if (entry?.isIntersecting && inbox.hasNextPage && !inbox.isFetchingNextPage && !inbox.isError) void inbox.fetchNextPage();
  }, [entry?.isIntersecting, inbox]);
  const items = inboxItems(inbox.data);
  return (
    <Stack maw={720} mx="auto">
      <Group justify="space-between" align="center">
        <PageHeading size="h2">{t("notifications.title")}</PageHeading>
        <MarkAllReadButton unread={unread} variant="default" />
      </Group>
      {inbox.isError ? (
        <Alert color="red" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{problemMessage(t, inbox.error)}</Text>
            <Button size="xs" variant="default" onClick={() => void inbox.refetch()}>
              {t("notifications.retry")}
            </Button>
          </Stack>
        </Alert>
      ) : null}
      {inbox.isSuccess && items.length === 0 ? <Text c="dimmed">{t("notifications.empty")}</Text> : null}
      <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: "none" }}>
        {items.map((notification) => (
          <InboxRow key={notification.id} notification={notification} onRead={markOne} />
        ))}
      </Stack>
      <div ref={ref} />
      {inbox.isPending || inbox.isFetchingNextPage ? <Busy mx="auto" /> : null}
      {/* Scrolling near the end loads more by itself; the button is for the keyboard (and kept while loading, with the focus). */}
      {inbox.hasNextPage ? (
        <Button
          variant="default"
          mx="auto"
          aria-busy={inbox.isFetchingNextPage}
          onClick={() => {
            if (!inbox.isFetchingNextPage) void inbox.fetchNextPage();
          }}
        >
          {t("notifications.loadMore")}
        </Button>
      ) : null}
    </Stack>
  );
}

export function NotificationsPage() {
  const session = useSession();
  const location = useLocation();
  if (session.status === "loading") return <Busy />;
  if (session.status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <InboxList />;
}
