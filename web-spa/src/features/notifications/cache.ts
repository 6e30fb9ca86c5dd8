// How a change to notifications rewrites the cached inbox, in place: live
// events and optimistic marks share these, so the list is never refetched
// for something the client already knows.
import type { InfiniteData } from "@tanstack/react-query";

import type { Notification, NotificationPage } from "@/features/notifications/api/notifications-api";

export type Inbox = InfiniteData<NotificationPage, string | null>;

/** A new or changed notification (a like counting another liker) goes to the top, once. */
export function withReceived(inbox: Inbox | undefined, notification: Notification): Inbox | undefined {
  if (!inbox) return inbox;
  const pages = inbox.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== notification.id) }));
  const [first, ...rest] = pages;
  if (!first) return inbox;
  return { ...inbox, pages: [{ ...first, items: [notification, ...first.items] }, ...rest] };
}

/** Marks `ids` read, or every notification when `ids` is null. */
export function withRead(inbox: Inbox | undefined, ids: readonly string[] | null): Inbox | undefined {
  if (!inbox) return inbox;
  const marked = (item: Notification) => !item.read && (ids === null || ids.includes(item.id));
  if (!inbox.pages.some((page) => page.items.some(marked))) return inbox;
  return {
    ...inbox,
    pages: inbox.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => (marked(item) ? { ...item, read: true } : item)),
    })),
  };
}

/** The inbox's notifications in order, each once (a live update may have moved one up). */
export function inboxItems(inbox: { pages: NotificationPage[] } | undefined): Notification[] {
  const seen = new Set<string>();
  const items: Notification[] = [];
  for (const page of inbox?.pages ?? []) {
    for (const item of page.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  }
  return items;
}
