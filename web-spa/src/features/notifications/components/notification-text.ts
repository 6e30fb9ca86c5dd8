// What a notification says, and where it leads.
import type { TFunction } from "i18next";

import type { Notification } from "@/features/notifications/api/notifications-api";

/** One sentence, in the reader's language: "Anna and 2 others liked your post in “Backups”". */
export function describeNotification(t: TFunction, notification: Notification): string {
  const name = notification.actor?.display_name ?? t("notifications.someone");
  const topic = notification.topic?.title ?? t("notifications.goneTopic");
  switch (notification.kind) {
    case "like": {
      const others = notification.count - 1;
      return others > 0
        ? t("notifications.kind.likeWithOthers", { name, topic, count: others })
        : t("notifications.kind.like", { name, topic });
    }
    case "moderation":
      return notification.action
        ? t(`notifications.moderation.${notification.action}`, { topic })
        : t("notifications.kind.moderation", { topic });
    default:
      return t(`notifications.kind.${notification.kind}`, { name, topic });
  }
}

/**
 * The screen a notification opens: the exact post where there is one, else
 * its topic; a friendship, the person's page (where a request is answered);
 * what is gone, the forum.
 */
export function notificationHref(notification: Notification): string {
  if (notification.kind === "friend_request" || notification.kind === "friend_accepted") {
    return notification.actor ? `/users/${encodeURIComponent(notification.actor.handle)}` : "/friends";
  }
  const topicId = notification.topic?.id;
  if (!topicId) return "/forum";
  const topic = `/forum/t/${encodeURIComponent(topicId)}`;
  return notification.post ? `${topic}?post=${notification.post.number}` : topic;
}
