// My notification inbox: the list, the unread count, and marking read.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type Notification = components["schemas"]["Notification"];
export type NotificationPage = components["schemas"]["Page_Notification"];

const PAGE_SIZE = 20;

export async function notificationsPage(cursor: string | null): Promise<NotificationPage> {
  const query = cursor ? { cursor, limit: PAGE_SIZE } : { limit: PAGE_SIZE };
  return call(api.GET("/api/v1/notifications", { params: { query } }));
}

export async function unreadNotificationCount(): Promise<number> {
  return (await call(api.GET("/api/v1/notifications/unread-count"))).unread_count;
}

export async function markNotificationRead(id: string): Promise<void> {
  await call(api.POST("/api/v1/notifications/{id}/read", { params: { path: { id } }, parseAs: "text" }));
}

export async function markAllNotificationsRead(): Promise<void> {
  await call(api.POST("/api/v1/notifications/read", { parseAs: "text" }));
}
