// One post: its author, when it was written, the server's safe HTML and its
// pictures, and what the reader may do with it (like, reply, quote, share,
// edit, see the history, delete or restore, report).
import { Anchor, Avatar, Badge, Group, Paper, Stack, Text, Typography, UnstyledButton } from "@mantine/core";
import { lazy, memo, Suspense, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { Busy } from "@/components/ui/busy";
import type { Post, Topic } from "@/features/forum/api/forum-api";
import { PostActions, RestoreButton } from "@/features/forum/components/post/post-actions";
import { picturesApart, Thumbnails, usePictureViewer } from "@/features/forum/components/post/post-pictures";
import { postPermissions } from "@/features/forum/components/post/permissions";
import { useDialog } from "@/features/forum/components/post/use-dialog";
import { followInApp } from "@/lib/follow-in-app";
import { RelativeTime } from "@/lib/relative-time";
import { useSession } from "@/lib/session";

const PostEditForm = lazy(() => import("@/features/forum/components/post/post-edit-form").then((module) => ({ default: module.PostEditForm })));
const RevisionHistory = lazy(() => import("@/features/forum/components/post/revision-history").then((module) => ({ default: module.RevisionHistory })));

/** Moderators and admins are marked by their name; other people are not. */
function RoleBadge({ role }: { role: NonNullable<Post["author"]>["role"] }) {
  const { t } = useTranslation();
  if (role === "user") return null;
  return (
    <Badge size="xs" variant="light" color={role === "admin" ? "red" : "blue"}>
      {role === "admin" ? t("post.roleAdmin") : t("post.roleModerator")}
    </Badge>
  );
}

export interface PostCardProps {
  post: Post;
  topic: Pick<Topic, "id" | "title" | "locked">;
  /** Quote: the text the reader selected inside this post (or its whole body when nothing is selected). */
  onQuote?(post: Post, text: string): void;
  onReply?(post: Post): void;
  /** The post changed here (edited, deleted, restored): the page puts the new version in its cache. */
  onChanged?(post: Post): void;
  /** Some fields of post `number` changed here (a like): the page sets them on the post as it has it. */
  onPatched?(number: number, fields: Partial<Post>): void;
}

/**
 * Rendered again only when its props change: a topic's page holds many, and
 * renders on every frame and scroll stop; its callbacks should be stable.
 */
export const PostCard = memo(function PostCard(props: PostCardProps) {
  const { topic, onQuote, onReply } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  // The card shows its own change at once, until the page hands down a newer post.
  const [changed, setChanged] = useState<{ basis: Post; post: Post } | null>(null);
  const post = changed && changed.basis === props.post ? changed.post : props.post;
  const onChanged = (next: Post) => {
    setChanged({ basis: props.post, post: next });
    props.onChanged?.(next);
  };

  const [editing, setEditing] = useState(false);
  const history = useDialog();
  const articleRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const can = postPermissions(post, topic, session);
  const html = post.html ?? null;
  const apart = html === null ? [] : picturesApart(post.images, html);
  const pictures = usePictureViewer(bodyRef, editing ? null : html, apart);

  const stopEditing = (saved?: Post) => {
    setEditing(false);
    if (saved) onChanged(saved);
    // The form is gone: keep the keyboard in this post rather than at the top of the page.
    requestAnimationFrame(() => articleRef.current?.focus());
  };

  const author = post.author;
  const name = author ? author.display_name : t("forum.deletedUser");
  return (
    <Paper
      withBorder
      p="sm"
      component="article"
      ref={articleRef}
      tabIndex={-1}
      id={`post-${post.number}`}
      aria-label={t("forum.post", { number: post.number, name })}
    >
      <Stack gap="xs">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Avatar src={author?.avatar.small} alt="" radius="xl" />
          <div style={{ minWidth: 0 }}>
            {author ? (
              <Group gap={6} wrap="wrap">
                <Anchor component={Link} to={`/users/${author.handle}`} fw={600} className="break-anywhere">
                  {name}
                </Anchor>
                <RoleBadge role={author.role} />
              </Group>
            ) : (
              <Text fw={600}>{name}</Text>
            )}
            <Text size="sm" c="dimmed">
              <Anchor component={Link} to={`/forum/t/${topic.id}?post=${post.number}`} c="dimmed" aria-label={t("post.linkTo", { number: post.number })}>
                #{post.number}
              </Anchor>
              {" · "}
              <RelativeTime value={post.created_at} />
              {post.edited_at || post.revision > 1 ? (
                <>
                  {" · "}
                  {can.history ? (
                    <UnstyledButton onClick={history.open} fz="sm" c="dimmed" td="underline" aria-label={t("post.editedShowHistory")}>
                      {t("forum.edited")}
                    </UnstyledButton>
                  ) : (
                    t("forum.edited")
                  )}
                </>
              ) : null}
            </Text>
          </div>
        </Group>
        {post.deleted ? (
          <Group gap="sm">
            <Text size="sm" c="dimmed" fs="italic">
              {post.deleted.by_moderator ? t("post.removedByModerator") : t("forum.deletedPost")}
            </Text>
            {can.restore ? <RestoreButton post={post} onChanged={onChanged} /> : null}
          </Group>
        ) : null}
        {editing ? (
          <Suspense fallback={<Busy />}>
            <PostEditForm post={post} onSaved={stopEditing} onCancel={() => stopEditing()} />
          </Suspense>
        ) : html !== null ? (
          <>
            {/* The server renders and sanitises this HTML (an allow-list); showing it is the point. */}
            <Typography
              ref={bodyRef}
              className="post-body"
              // A deleted post's words stay readable to moderators, set apart.
              c={post.deleted ? "dimmed" : undefined}
              onClick={(event) => {
                pictures.onBodyClick(event);
                followInApp(event, navigate);
              }}
              onKeyDown={pictures.onBodyKeyDown}
              dangerouslySetInnerHTML={{ __html: html }}
            />
            <Thumbnails pictures={apart} onOpen={pictures.openApart} />
          </>
        ) : post.deleted ? null : (
          <Text c="dimmed" fs="italic">
            {t("forum.deletedPost")}
          </Text>
        )}
        {editing ? null : (
          <PostActions
            post={post}
            topic={topic}
            can={can}
            bodyRef={bodyRef}
            onReply={onReply}
            onQuote={onQuote}
            onChanged={onChanged}
            onLiked={props.onPatched}
            onEdit={() => setEditing(true)}
            onHistory={history.open}
          />
        )}
      </Stack>
      {pictures.viewer}
      {history.wanted ? (
        <Suspense fallback={null}>
          <RevisionHistory post={post} opened={history.opened} onClose={history.close} />
        </Suspense>
      ) : null}
    </Paper>
  );
});
