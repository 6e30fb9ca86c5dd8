// The inbox and the ways to mark it read, shared by the bell's dropdown and
// the notifications page (one cache, so both always agree).
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import {
  markAllNotificationsRead,
  markNotificationRead,
  notificationsPage,
  type Notification,
} from "@/features/notifications/api/notifications-api";
import { withRead, type Inbox } from "@/features/notifications/cache";
import { notificationKeys } from "@/features/notifications/keys";

export function useInbox() {
  return useInfiniteQuery({
    queryKey: notificationKeys.inbox,
    queryFn: ({ pageParam }) => notificationsPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
}

/**
 * Marks read at once on screen, then tells the server. The server's
 * `notifications_read` event then brings the exact count; a failure reloads
 * what is shown.
 */
function useMarkRead<T>(send: (target: T) => Promise<void>, ids: (target: T) => string[] | null, unreadAfter: (unread: number, target: T) => number) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onMutate: async (target: T) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.all });
      queryClient.setQueryData<Inbox>(notificationKeys.inbox, (inbox) => withRead(inbox, ids(target)));
      queryClient.setQueryData<number>(notificationKeys.unread, (unread) =>
        unread === undefined ? unread : Math.max(0, unreadAfter(unread, target)),
      );
    },
    onError: (error) => {
      notify(problemMessage(t, error), { error: true });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

/** Marks one notification read (a no-op for one already read). */
export function useMarkOneRead() {
  const mark = useMarkRead<Notification>(
    (notification) => markNotificationRead(notification.id),
    (notification) => [notification.id],
    (unread) => unread - 1,
  );
  return (notification: Notification) => {
    if (!notification.read) mark.mutate(notification);
  };
}

export function useMarkAllRead() {
  return useMarkRead<void>(
    () => markAllNotificationsRead(),
    () => null,
    () => 0,
  );
}
