// One post: its author, when it was written, and the server's safe HTML.
import { Anchor, Avatar, Group, Paper, Stack, Text, Typography } from "@mantine/core";
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, type NavigateFunction } from "react-router";

import type { Picture, Post } from "@/features/forum/api/forum-api";
import { RelativeTime } from "@/lib/relative-time";

/** Links in a post to this app's pages (mentions, quotes) open in the app, without reloading it. */
function followInApp(event: MouseEvent<HTMLElement>, navigate: NavigateFunction): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (!link || link.target || !link.href) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/media/") || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** The post's pictures its text does not show already, as thumbnails opening the full size. */
function Pictures({ pictures, html }: { pictures: Picture[]; html: string }) {
  const { t } = useTranslation();
  const apart = pictures.filter((picture) => !html.includes(picture.url));
  if (apart.length === 0) return null;
  return (
    <Group gap="xs">
      {apart.map((picture, index) => (
        <a key={picture.id} href={picture.url} aria-label={t("forum.picture", { number: index + 1 })}>
          <img
            src={picture.thumbnail_url}
            alt=""
            width={picture.thumbnail_width}
            height={picture.thumbnail_height}
            loading="lazy"
            className="post-picture"
          />
        </a>
      ))}
    </Group>
  );
}

export function PostCard({ post }: { post: Post }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const author = post.author;
  const name = author ? author.display_name : t("forum.deletedUser");
  return (
    <Paper withBorder p="sm" component="article" id={`post-${post.number}`} aria-label={t("forum.post", { number: post.number, name })}>
      <Stack gap="xs">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Avatar src={author?.avatar.small} alt="" radius="xl" />
          <div style={{ minWidth: 0 }}>
            {author ? (
              <Anchor component={Link} to={`/users/${author.handle}`} fw={600} className="break-anywhere">
                {name}
              </Anchor>
            ) : (
              <Text fw={600}>{name}</Text>
            )}
            <Text size="sm" c="dimmed">
              #{post.number} · <RelativeTime value={post.created_at} />
              {post.edited_at ? ` · ${t("forum.edited")}` : null}
            </Text>
          </div>
        </Group>
        {post.html === null || post.html === undefined ? (
          <Text c="dimmed" fs="italic">
            {t("forum.deletedPost")}
          </Text>
        ) : (
          <>
            {post.deleted ? (
              <Text size="sm" c="dimmed" fs="italic">
                {t("forum.deletedPost")}
              </Text>
            ) : null}
            {/* The server renders and sanitises this HTML (an allow-list); showing it is the point. */}
            <Typography className="post-body" onClick={(event) => followInApp(event, navigate)} dangerouslySetInnerHTML={{ __html: post.html }} />
            <Pictures pictures={post.images} html={post.html} />
          </>
        )}
      </Stack>
    </Paper>
  );
}
