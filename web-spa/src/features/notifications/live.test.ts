import { QueryClient } from "@tanstack/react-query";

import type { Inbox } from "@/features/notifications/cache";
import { notificationKeys } from "@/features/notifications/keys";
import { registerNotificationsLive } from "@/features/notifications/live";
import { notification } from "@/features/notifications/test-support";
import { LiveRegistry } from "@/lib/realtime";

function setUp() {
  const registry = new LiveRegistry();
  const queryClient = new QueryClient();
  registerNotificationsLive(registry, queryClient);
  queryClient.setQueryData(notificationKeys.unread, 2);
  queryClient.setQueryData<Inbox>(notificationKeys.inbox, {
    pages: [
      { items: [notification("n2"), notification("n1", { kind: "like" })], next_cursor: "c2" },
      { items: [notification("n0", { read: true })], next_cursor: null },
    ],
    pageParams: [null, "c2"],
  });
  const unread = () => queryClient.getQueryData(notificationKeys.unread);
  const inbox = () =>
    queryClient.getQueryData<Inbox>(notificationKeys.inbox)?.pages.map((page) => page.items.map((item) => `${item.id}${item.read ? "" : "*"}`));
  return { registry, queryClient, unread, inbox };
}

describe("notifications live updates", () => {
  it("put a new notification on top and take the server's count", () => {
    const { registry, unread, inbox } = setUp();
    registry.event({ type: "notification_received", notification: notification("n3"), unread_count: 3 });
    expect(unread()).toBe(3);
    expect(inbox()).toEqual([["n3*", "n2*", "n1*"], ["n0"]]);
  });

  it("move a like notification that counts another liker up, without showing it twice", () => {
    const { registry, inbox } = setUp();
    registry.event({ type: "notification_received", notification: notification("n1", { kind: "like", count: 2 }), unread_count: 2 });
    expect(inbox()).toEqual([["n1*", "n2*"], ["n0"]]);
  });

  it("mark the notifications read elsewhere as read here, some or all", () => {
    const { registry, unread, inbox } = setUp();
    registry.event({ type: "notifications_read", ids: ["n1"], unread_count: 1 });
    expect(unread()).toBe(1);
    expect(inbox()).toEqual([["n2*", "n1"], ["n0"]]);
    registry.event({ type: "notifications_read", ids: null, unread_count: 0 });
    expect(unread()).toBe(0);
    expect(inbox()).toEqual([["n2", "n1"], ["n0"]]);
  });

  it("take the count from a fresh ready, and leave it to the resumed events after a reconnect", () => {
    const { registry, unread } = setUp();
    registry.ready({ counts: { unread_notifications: 7 } } as never, true);
    expect(unread()).toBe(7);
    registry.ready({ counts: { unread_notifications: 9 } } as never, false);
    expect(unread()).toBe(7);
  });

  it("read everything again only when events may have been missed", () => {
    const { registry, queryClient } = setUp();
    registry.event({ type: "notifications_read", ids: null, unread_count: 0 });
    expect(queryClient.getQueryState(notificationKeys.inbox)?.isInvalidated).toBe(false);
    registry.resync();
    expect(queryClient.getQueryState(notificationKeys.unread)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(notificationKeys.inbox)?.isInvalidated).toBe(true);
  });
});
