// One notification as a link to what it is about: who, what, when, and
// whether it is still unread (shown by more than colour).
import { Avatar, Box, Group, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { Notification } from "@/features/notifications/api/notifications-api";
import { describeNotification, notificationHref } from "@/features/notifications/components/notification-text";
import { RelativeTime } from "@/lib/relative-time";

function Picture({ notification }: { notification: Notification }) {
  // A moderator acts for the forum, not as a person: a sign rather than their face.
  if (notification.kind === "moderation") {
    return (
      <Avatar radius="xl" color="orange" alt="">
        <svg width="20" height="20" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
          <path d="M10 2.5 3.5 5v4.5c0 4 2.8 6.9 6.5 8 3.7-1.1 6.5-4 6.5-8V5L10 2.5Z" strokeLinejoin="round" />
        </svg>
      </Avatar>
    );
  }
  return <Avatar src={notification.actor?.avatar.small} alt="" radius="xl" />;
}

export function NotificationItem({
  notification,
  onOpen,
  ref,
}: {
  notification: Notification;
  /** Called as the link is followed (to mark it read, close a dropdown). */
  onOpen(notification: Notification): void;
  ref?: Ref<HTMLAnchorElement>;
}) {
  const { t } = useTranslation();
  const unread = !notification.read;
  return (
    <UnstyledButton
      component={Link}
      ref={ref}
      to={notificationHref(notification)}
      onClick={() => onOpen(notification)}
      display="block"
      p="xs"
      w="100%"
      style={{
        borderRadius: "var(--mantine-radius-md)",
        background: unread ? "var(--mantine-primary-color-light)" : undefined,
      }}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm">
        <Picture notification={notification} />
        <Box style={{ flex: 1, minWidth: 0 }}>
          {unread ? <VisuallyHidden>{t("notifications.unreadMark")}</VisuallyHidden> : null}
          <Text size="sm" fw={unread ? 600 : 400} className="break-anywhere">
            {describeNotification(t, notification)}
          </Text>
          {notification.kind === "moderation" && notification.reason ? (
            <Text size="sm" className="break-anywhere">
              {t("notifications.reason", { reason: notification.reason })}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            <RelativeTime value={notification.updated_at} />
          </Text>
        </Box>
        {unread ? (
          <Box
            aria-hidden="true"
            mt={6}
            w={10}
            h={10}
            style={{ flex: "none", borderRadius: "50%", background: "var(--mantine-primary-color-filled)" }}
          />
        ) : null}
      </Group>
    </UnstyledButton>
  );
}
