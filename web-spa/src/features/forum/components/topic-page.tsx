// A topic: its title and category, then its posts by number, from the first
// (or from `?post=N`), with earlier and later ones loaded on request; at its
// end the reply form. A signed-in reader's place is marked as they read.
import { Badge, Button, Group, Stack, Text } from "@mantine/core";
import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import {
  forumKeys,
  getTopic,
  listPosts,
  nextStretch,
  previousStretch,
  type Post,
  type PostPage,
  type PostStretch,
  type Topic,
} from "@/features/forum/api/forum-api";
import { ForumTrail } from "@/features/forum/components/forum-trail";
import { PostCard } from "@/features/forum/components/post-card";
import { ReplyForm } from "@/features/forum/components/reply-form";
import { useReadMarks } from "@/features/forum/hooks/use-read-marks";
import { useViewer } from "@/lib/session";

/** The post number to open at: `?post=N`, or the first. */
function startingPost(value: string | null): number {
  const number = Number(value);
  return Number.isInteger(number) && number > 1 ? number : 1;
}

/** The newest post number the server says this reader has read (0 when none, or signed out). */
function lastRead(topic: Topic): number {
  return topic.reading ? Math.max(0, topic.last_post_number - topic.reading.unread_count) : 0;
}

function Posts({ id, start, alreadyRead }: { id: string; start: number; alreadyRead: number }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const observeRead = useReadMarks(id, viewer !== null && viewer !== "anonymous", alreadyRead);
  const posts = useInfiniteQuery({
    queryKey: forumKeys.posts(viewer ?? "", id, start),
    queryFn: ({ pageParam }) => listPosts(id, pageParam),
    initialPageParam: { from: start, direction: "after" } as PostStretch,
    getNextPageParam: (last) => nextStretch(last),
    getPreviousPageParam: (first, _pages, firstStretch) => previousStretch(first, firstStretch),
    enabled: viewer !== null,
  });
  // Opened at a post: bring it into view once it is there.
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || start === 1 || !posts.isSuccess) return;
    scrolled.current = true;
    document.getElementById(`post-${start}`)?.scrollIntoView({ block: "start" });
  }, [posts.isSuccess, start]);
  if (posts.isPending) return <Busy mx="auto" />;
  if (posts.isError && !posts.data) return <Text c="red">{problemMessage(t, posts.error)}</Text>;
  const items = posts.data.pages.flatMap((page) => page.items);
  return (
    <Stack gap="sm">
      {posts.hasPreviousPage ? (
        <Button variant="default" loading={posts.isFetchingPreviousPage} onClick={() => void posts.fetchPreviousPage()}>
          {t("forum.earlierPosts")}
        </Button>
      ) : null}
      <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("forum.posts")}>
        {items.map((post) => (
          <li key={post.id} ref={observeRead} data-number={post.number}>
            <PostCard post={post} />
          </li>
        ))}
      </Stack>
      {posts.isError ? <Text c="red">{problemMessage(t, posts.error)}</Text> : null}
      {posts.hasNextPage ? (
        <Button variant="default" loading={posts.isFetchingNextPage} onClick={() => void posts.fetchNextPage()}>
          {t("forum.morePosts")}
        </Button>
      ) : null}
    </Stack>
  );
}

export function TopicPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const start = startingPost(search.get("post"));
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const topic = useQuery({
    queryKey: forumKeys.topic(viewer ?? "", id),
    queryFn: () => getTopic(id),
    enabled: viewer !== null,
    // Each read counts as a view: coming back to the tab is not another one.
    refetchOnWindowFocus: false,
  });
  if (topic.isPending) return <Busy mx="auto" />;
  if (topic.isError) {
    return (
      <Stack maw={800} mx="auto">
        <ForumTrail />
        <Text c="red">{problemMessage(t, topic.error)}</Text>
      </Stack>
    );
  }
  const data = topic.data;
  // A sent reply joins the posts shown when they reach the end of the topic;
  // otherwise "Load more posts" reaches it.
  const appendPost = (post: Post) => {
    queryClient.setQueryData<InfiniteData<PostPage, PostStretch>>(forumKeys.posts(viewer ?? "", id, start), (posts) => {
      const last = posts?.pages.at(-1);
      if (!posts || !last || last.next_cursor) return posts;
      const items = [...last.items.filter((item) => item.number !== post.number), post];
      return { ...posts, pages: [...posts.pages.slice(0, -1), { ...last, items }] };
    });
    queryClient.setQueryData<Topic>(forumKeys.topic(viewer ?? "", id), (old) =>
      old ? { ...old, last_post_number: Math.max(old.last_post_number, post.number), reply_count: old.reply_count + 1 } : old,
    );
    void queryClient.invalidateQueries({ queryKey: ["forum", "topics"], refetchType: "none" });
  };
  return (
    <Stack maw={800} mx="auto">
      <ForumTrail category={data.category} />
      <PageHeading size="h2" className="break-anywhere">
        {data.title}
      </PageHeading>
      {data.pinned || data.locked ? (
        <Group gap="xs">
          {data.pinned ? <Badge variant="default">{t("forum.pinned")}</Badge> : null}
          {data.locked ? <Badge variant="default">{t("forum.locked")}</Badge> : null}
        </Group>
      ) : null}
      <Posts key={`${id}:${start}`} id={id} start={start} alreadyRead={lastRead(data)} />
      <ReplyForm topic={data} onSent={appendPost} />
    </Stack>
  );
}
