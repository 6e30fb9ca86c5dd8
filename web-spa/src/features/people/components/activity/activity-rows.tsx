// How a person's topics and posts show on their profile: each opens where it
// is in the forum; a post shows the start of what it says.
import { Anchor, Paper, Stack, Text, Typography } from "@mantine/core";
import type { CSSProperties, MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, type NavigateFunction } from "react-router";

import type { AuthoredTopic, UserPost } from "@/features/people/api/activity-api";
import { RelativeTime } from "@/lib/relative-time";

/** A few lines of a post; a picture never makes the preview taller than these. */
const PREVIEW: CSSProperties = {
  display: "-webkit-box",
  WebkitBoxOrient: "vertical",
  WebkitLineClamp: 4,
  overflow: "hidden",
  maxHeight: "9em",
};

/** Links in a post to this app's pages (mentions, quotes) open in the app, without reloading it. */
function followInApp(event: MouseEvent<HTMLElement>, navigate: NavigateFunction): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (!link || link.target || !link.href) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/media/") || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  void navigate(url.pathname + url.search + url.hash);
}

export function AuthoredTopicRow({ topic }: { topic: AuthoredTopic }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Anchor component={Link} to={`/forum/t/${topic.id}`} fw={600} className="break-anywhere">
          {topic.title}
        </Anchor>
        <Text size="sm" c="dimmed">
          <Anchor component={Link} to={`/forum/c/${topic.category.slug}`} inherit c="dimmed">
            {topic.category.name}
          </Anchor>
          {" · "}
          {t("activity.replies", { count: topic.reply_count })}
          {" · "}
          {t("activity.lastPost")} <RelativeTime value={topic.last_activity_at} />
        </Text>
      </Stack>
    </Paper>
  );
}

export function UserPostRow({ post }: { post: UserPost }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Anchor component={Link} to={`/forum/t/${post.topic.id}?post=${post.number}`} fw={600} className="break-anywhere">
          {post.topic.title}
        </Anchor>
        <Text size="sm" c="dimmed">
          {t("activity.postNumber", { number: post.number })}
          {" · "}
          <RelativeTime value={post.created_at} />
          {post.like_count > 0 ? (
            <>
              {" · "}
              {t("activity.likes", { count: post.like_count })}
            </>
          ) : null}
        </Text>
        {/* The server renders and sanitises this HTML (an allow-list), as it does for every post. */}
        <Typography
          className="post-body"
          fz="sm"
          style={PREVIEW}
          onClick={(event) => followInApp(event, navigate)}
          dangerouslySetInnerHTML={{ __html: post.html }}
        />
      </Stack>
    </Paper>
  );
}
