// How a person's topics and posts show on their profile: each opens where it
// is in the forum; a post shows the start of what it says.
import { Anchor, Paper, Stack, Text, Typography } from "@mantine/core";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import type { AuthoredTopic, UserPost } from "@/features/people/api/activity-api";
import { followInApp } from "@/lib/follow-in-app";
import { RelativeTime } from "@/lib/relative-time";

/** A few lines of a post; a picture never makes the preview taller than these. */
const PREVIEW: CSSProperties = {
  display: "-webkit-box",
  WebkitBoxOrient: "vertical",
  WebkitLineClamp: 4,
  overflow: "hidden",
  maxHeight: "9em",
};

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
