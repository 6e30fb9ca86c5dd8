import { useQuery } from "@tanstack/react-query";

import { notificationKeys } from "@/features/notifications/keys";
import { useSession } from "@/lib/session";

/** How many of my notifications are unread; live events keep it current (see `live.ts`). */
export function useUnreadNotifications() {
  const session = useSession();
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async () => (await import("@/features/notifications/api/notifications-api")).unreadNotificationCount(),
    enabled: session.status === "signed-in",
  });
}
