// The header's bell: my unread count, kept current by live events, and the
// latest notifications in a dropdown. The layout loads it after the first
// page, like the user menu.
import { ActionIcon, Box, Button, Divider, Group, Indicator, Popover, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { inboxItems } from "@/features/notifications/cache";
import { MarkAllReadButton } from "@/features/notifications/components/mark-all-read-button";
import { NotificationItem } from "@/features/notifications/components/notification-item";
import { useInbox, useMarkOneRead } from "@/features/notifications/hooks/use-inbox";
import { useUnreadNotifications } from "@/features/notifications/hooks/use-unread-notifications";

/** As many as a dropdown shows; the page has the rest. */
const LATEST = 8;

function BellIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <path d="M5 8a5 5 0 0 1 10 0c0 4.5 2 6 2 6H3s2-1.5 2-6Z" strokeLinejoin="round" />
      <path d="M8.3 17a1.9 1.9 0 0 0 3.4 0" strokeLinecap="round" />
    </svg>
  );
}

function LatestNotifications({ unread, onLeave }: { unread: number; onLeave(): void }) {
  const { t } = useTranslation();
  const inbox = useInbox();
  const markOne = useMarkOneRead();
  const items = inboxItems(inbox.data).slice(0, LATEST);
  return (
    <Stack gap={0}>
      <Group justify="space-between" wrap="nowrap" px="sm" py="xs">
        <Text fw={600}>{t("notifications.title")}</Text>
        <MarkAllReadButton unread={unread} variant="subtle" size="compact-sm" />
      </Group>
      <Divider />
      {inbox.isPending ? (
        <Busy size="sm" m="md" mx="auto" />
      ) : inbox.isError ? (
        <Text size="sm" p="sm" c="var(--mantine-color-error)">
          {problemMessage(t, inbox.error)}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" p="sm" c="dimmed">
          {t("notifications.empty")}
        </Text>
      ) : (
        <Box
          component="ul"
          p={4}
          m={0}
          style={{ listStyle: "none", maxHeight: "min(60vh, 480px)", overflowY: "auto" }}
        >
          {items.map((notification) => (
            <li key={notification.id}>
              <NotificationItem
                notification={notification}
                onOpen={(opened) => {
                  markOne(opened);
                  onLeave();
                }}
              />
            </li>
          ))}
        </Box>
      )}
      <Divider />
      <Button component={Link} to="/notifications" variant="subtle" radius={0} fullWidth onClick={onLeave}>
        {t("notifications.seeAll")}
      </Button>
    </Stack>
  );
}

export default function NotificationBell() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const unread = useUnreadNotifications().data ?? 0;
  const label = unread > 0 ? t("notifications.bellUnread", { count: unread }) : t("notifications.bell");
  return (
    <Indicator
      // The count is in the button's name; the badge only shows it.
      label={<span aria-hidden="true">{unread > 99 ? "99+" : unread}</span>}
      disabled={unread === 0}
      color="red"
      size={18}
      offset={4}
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        width={360}
        shadow="md"
        trapFocus
        returnFocus
        withinPortal
      >
        <Popover.Target>
          <ActionIcon variant="default" size="lg" aria-label={label} onClick={() => setOpened((open) => !open)}>
            <BellIcon />
          </ActionIcon>
        </Popover.Target>
        {/* Never wider than a phone's screen. */}
        <Popover.Dropdown p={0} maw="calc(100vw - 16px)">
          <LatestNotifications unread={unread} onLeave={() => setOpened(false)} />
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
