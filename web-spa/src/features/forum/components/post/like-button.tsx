// A post's likes: the reader's like as a toggle that answers at once (and
// takes itself back if the server refuses), and the count, opening who liked.
import { ActionIcon, Anchor, Button, Group, Popover, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import type { Post } from "@/features/forum/api/forum-api";
import { listLikers, postKeys, setLiked, type LikeState } from "@/features/forum/api/posts-api";
import { HeartIcon } from "@/features/forum/components/post/icons";

function Likers({ post, count }: { post: Post; count: number }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const likers = useQuery({
    queryKey: postKeys.likers(post.id, count),
    queryFn: () => listLikers(post.id, null),
    enabled: opened,
  });
  const people = likers.data?.items ?? [];
  const others = count - people.length;
  return (
    <Popover opened={opened} onChange={setOpened} position="top-start" withinPortal shadow="md">
      <Popover.Target>
        <Button variant="subtle" color="gray" size="compact-sm" onClick={() => setOpened((open) => !open)} aria-label={t("post.likers", { count })}>
          {count}
        </Button>
      </Popover.Target>
      <Popover.Dropdown maw={280}>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t("post.likedBy")}
          </Text>
          {likers.isPending ? <Busy size="sm" /> : null}
          {likers.isError ? (
            <Text size="sm" c="red">
              {problemMessage(t, likers.error)}
            </Text>
          ) : null}
          {people.map((person) => (
            <Anchor key={person.id} component={Link} to={`/users/${person.handle}`} size="sm" className="break-anywhere">
              {person.display_name}
            </Anchor>
          ))}
          {likers.isSuccess && others > 0 ? (
            <Text size="sm" c="dimmed">
              {t("post.andOthers", { count: others })}
            </Text>
          ) : null}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/**
 * `canLike` false: the count alone (signed out, one's own or a deleted post).
 * `onLiked` hears the server's answer: the like alone, to be set on the post
 * as it is by then (an edit may have come meanwhile).
 */
export function LikeButton({ post, canLike, onLiked }: { post: Post; canLike: boolean; onLiked?: (number: number, state: LikeState) => void }) {
  const { t } = useTranslation();
  // What the reader sees until the page hands down a newer version of the post.
  const [local, setLocal] = useState<{ basis: Post; state: LikeState } | null>(null);
  const inflight = useRef(false);
  const shown: LikeState = local && local.basis === post ? local.state : { liked: Boolean(post.liked), like_count: post.like_count };

  const toggle = async () => {
    // One request at a time: a second click would race the first's answer.
    if (inflight.current) return;
    inflight.current = true;
    const before = shown;
    const liked = !before.liked;
    setLocal({ basis: post, state: { liked, like_count: Math.max(0, before.like_count + (liked ? 1 : -1)) } });
    try {
      const state = await setLiked(post.id, liked);
      setLocal({ basis: post, state });
      onLiked?.(post.number, { liked: state.liked, like_count: state.like_count });
    } catch (error) {
      setLocal({ basis: post, state: before });
      notify(problemMessage(t, error), { error: true });
    } finally {
      inflight.current = false;
    }
  };

  return (
    <Group gap={2} wrap="nowrap">
      {canLike ? (
        <ActionIcon
          variant="subtle"
          color={shown.liked ? "red" : "gray"}
          size="lg"
          aria-label={t("post.like")}
          aria-pressed={shown.liked}
          onClick={() => void toggle()}
        >
          <HeartIcon filled={shown.liked} />
        </ActionIcon>
      ) : shown.like_count > 0 ? (
        <Text component="span" c="dimmed" display="inline-flex" px={4}>
          <HeartIcon filled={false} />
        </Text>
      ) : null}
      {shown.like_count > 0 ? <Likers post={post} count={shown.like_count} /> : null}
    </Group>
  );
}
