// What live events change in notifications: the unread count is taken from
// each event as the server counted it, and the cached inbox is edited in
// place; nothing is read again unless events may have been missed.
import type { QueryClient } from "@tanstack/react-query";

import { withRead, withReceived, type Inbox } from "@/features/notifications/cache";
import { notificationKeys } from "@/features/notifications/keys";
import type { LiveRegistry } from "@/lib/realtime";

export function registerNotificationsLive(registry: LiveRegistry, queryClient: QueryClient): void {
  const setUnread = (count: number) => queryClient.setQueryData<number>(notificationKeys.unread, Math.max(0, count));

  registry.on("notification_received", (event) => {
    setUnread(event.unread_count);
    queryClient.setQueryData<Inbox>(notificationKeys.inbox, (inbox) => withReceived(inbox, event.notification));
  });
  // Read here or on another device: the same event either way.
  registry.on("notifications_read", (event) => {
    setUnread(event.unread_count);
    queryClient.setQueryData<Inbox>(notificationKeys.inbox, (inbox) => withRead(inbox, event.ids ?? null));
  });
  // A fresh tab takes the count as it is; after a reconnect the resumed
  // events bring it up to date.
  registry.onReady((ready, fresh) => {
    if (fresh) setUnread(ready.counts.unread_notifications);
  });
  registry.onResync(() => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }));
}
