// A topic's posts around where the reader opened it: the opening post put at
// the top of the screen, earlier and later ones loading as the reader nears
// either end (or by the buttons there), posts added meanwhile behind a
// "new replies" button rather than under the reader's eyes.
import { Button, Stack, Text } from "@mantine/core";
import { useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type Ref } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import { Busy } from "@/components/ui/busy";
import type { Post, Topic } from "@/features/forum/api/forum-api";
import { PostCard } from "@/features/forum/components/post-card";
import { NewRepliesBar } from "@/features/forum/components/topic/new-replies-bar";
import { useKeepInPlace } from "@/features/forum/hooks/use-keep-in-place";
import { useLoadWhenNear } from "@/features/forum/hooks/use-load-when-near";
import { useNewReplies } from "@/features/forum/hooks/use-new-replies";
import { usePostStream } from "@/features/forum/hooks/use-post-stream";
import { useReadingPosition } from "@/features/forum/hooks/use-reading-position";
import { useViewer } from "@/lib/session";

export interface PostStreamHandle {
  /** A reply the reader sent: shown when the posts shown reach the end (else false). */
  addSent(post: Post): boolean;
  /** Brings a shown post to the top of the screen and focuses it; false when it is not shown. */
  reveal(number: number): boolean;
}

export interface PostStreamProps {
  topic: Topic;
  start: number;
  /** How the start post is shown: left where it is (the top of the topic), scrolled to, or also focused (a jump). */
  opening: "in-place" | "scroll" | "focus";
  /** A ref for each post's element, for read marks. */
  observeRead(element: HTMLElement | null): void;
  /** The post the reader is at, as they scroll. */
  onPosition(number: number): void;
  /** Handed to every post card: a new function renders them all again, so keep it the same. */
  onQuote?(post: Post, text: string): void;
  /** As `onQuote`, the same function from render to render. */
  onReply?(post: Post): void;
  ref?: Ref<PostStreamHandle>;
}

const LIST_STYLE = { listStyle: "none", padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: "var(--mantine-spacing-sm)" } as const;

/** Posts clear the fixed header when scrolled to. */
const POST_SCROLL_MARGIN = "calc(var(--app-shell-header-offset, 0px) + var(--mantine-spacing-sm))";

export function PostStream({ topic, start, opening, observeRead, onPosition, onQuote, onReply, ref }: PostStreamProps) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const stream = usePostStream(topic.id, start);
  const { query, posts } = stream;
  const newReplies = useNewReplies(topic.id, stream, viewer === "anonymous" ? null : viewer);
  const list = useRef<HTMLOListElement>(null);
  // What the cards show of the topic: a new count of posts is no reason to render them all again.
  const { id, title, locked } = topic;
  const cardTopic = useMemo(() => ({ id, title, locked }), [id, title, locked]);

  const findPost = (number: number) => list.current?.querySelector<HTMLElement>(`:scope > [data-number="${number}"]`) ?? null;
  const reveal = (number: number, focus: boolean): boolean => {
    const element = findPost(number);
    if (!element) return false;
    element.scrollIntoView({ block: "start" });
    // The post card (its label says which post) rather than the bare list item, when it takes the focus.
    if (focus) (element.querySelector<HTMLElement>("article[tabindex]") ?? element).focus({ preventScroll: true });
    return true;
  };
  useImperativeHandle(ref, () => ({ addSent: stream.addSent, reveal: (number) => reveal(number, true) }));

  // The start post to the top of the screen before the first paint; loading
  // at the edges waits for it, or the top edge, on screen until then, would load.
  const [placed, setPlaced] = useState(false);
  /** The start post, and where it was put on the screen. */
  const startPlace = useRef<{ number: number; top: number } | null>(null);
  useLayoutEffect(() => {
    if (placed || !query.isSuccess) return;
    const target = posts.find((post) => post.number >= start) ?? posts.at(-1);
    if (opening !== "in-place" && target && reveal(target.number, opening === "focus")) {
      startPlace.current = { number: target.number, top: findPost(target.number)?.getBoundingClientRect().top ?? 0 };
    }
    setPlaced(true);
  }, [query.isSuccess]); // once: later loads keep the reader where they are
  // The page's heading takes the focus after in-app navigation, which scrolls
  // up to it when the posts came from the cache along with it: back to the start.
  useEffect(() => {
    const place = startPlace.current;
    if (placed && place && findPost(place.number)?.getBoundingClientRect().top !== place.top) reveal(place.number, false);
  }, [placed]);

  // New replies the reader asked for: shown once they are on the page.
  const [revealNext, setRevealNext] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (revealNext !== null && reveal(revealNext, true)) setRevealNext(null);
  }, [revealNext, posts]);

  const keepInPlace = useKeepInPlace(list, posts[0]?.number);
  const loadEarlier = () => {
    keepInPlace();
    // Never cancels a load under way at the other end.
    void query.fetchPreviousPage({ cancelRefetch: false });
  };
  const loadLater = () => void query.fetchNextPage({ cancelRefetch: false });
  const idle = placed && !query.isFetching && !query.isError;
  const topEdge = useLoadWhenNear(loadEarlier, idle && query.hasPreviousPage);
  const bottomEdge = useLoadWhenNear(loadLater, idle && query.hasNextPage);
  useReadingPosition(list, onPosition);

  if (query.isPending) return <Busy mx="auto" />;
  if (query.isError && !query.data) return <Text c="red">{problemMessage(t, query.error)}</Text>;
  return (
    <Stack gap="sm">
      {query.hasPreviousPage ? (
        <>
          <div ref={topEdge} />
          <Button variant="default" loading={query.isFetchingPreviousPage} onClick={loadEarlier}>
            {t("forum.earlierPosts")}
          </Button>
        </>
      ) : null}
      <ol ref={list} style={LIST_STYLE} aria-label={t("forum.posts")}>
        {posts.map((post) => (
          <li key={post.id} ref={observeRead} data-number={post.number} tabIndex={-1} style={{ scrollMarginTop: POST_SCROLL_MARGIN }}>
            <PostCard post={post} topic={cardTopic} onQuote={onQuote} onReply={onReply} onChanged={stream.replace} onPatched={stream.patch} />
          </li>
        ))}
      </ol>
      {query.isError ? <Text c="red">{problemMessage(t, query.error)}</Text> : null}
      {query.hasNextPage ? (
        <>
          <Button variant="default" loading={query.isFetchingNextPage} onClick={loadLater}>
            {t("forum.morePosts")}
          </Button>
          <div ref={bottomEdge} />
        </>
      ) : null}
      <NewRepliesBar
        count={newReplies.count}
        loading={newReplies.show.isPending}
        error={newReplies.show.error}
        onShow={() =>
          newReplies.show.mutate(undefined, {
            onSuccess: (added) => setRevealNext(added[0]?.number ?? null),
          })
        }
      />
    </Stack>
  );
}
