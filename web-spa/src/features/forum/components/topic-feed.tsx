// Topics page by page (every category's, or one's), more loading as you scroll.
import { Button, Stack, Text } from "@mantine/core";
import { useIntersection } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { forumKeys, listTopics, type TopicFilter } from "@/features/forum/api/forum-api";
import { TopicList } from "@/features/forum/components/topic-list";
import { useViewer } from "@/lib/session";

const EMPTY = { latest: "forum.noTopics", unread: "topic.noUnread", mine: "topic.noMine" } as const;

/** `slug` null: the latest topics of every category, each naming its category. */
export function TopicFeed({ slug, label, filter = "latest" }: { slug: string | null; label: string; filter?: TopicFilter }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const topics = useInfiniteQuery({
    queryKey: forumKeys.topics(viewer ?? "", slug, filter),
    queryFn: ({ pageParam }) => listTopics(slug, pageParam, filter),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    enabled: viewer !== null,
  });
  const { ref, entry } = useIntersection({ rootMargin: "200px" });
  useEffect(() => {
    if (entry?.isIntersecting && topics.hasNextPage && !topics.isFetchingNextPage && !topics.isError) void topics.fetchNextPage();
  }, [entry?.isIntersecting, topics]);
  const items = topics.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs">
      {topics.isError ? <Text c="red">{problemMessage(t, topics.error)}</Text> : null}
      {topics.isSuccess && items.length === 0 ? <Text c="dimmed">{t(EMPTY[filter])}</Text> : null}
      <TopicList topics={items} label={label} showCategory={slug === null} />
      <div ref={ref} />
      {topics.isPending || topics.isFetching ? <Busy mx="auto" /> : null}
      {topics.hasNextPage && !topics.isFetchingNextPage ? (
        <Button variant="default" onClick={() => void topics.fetchNextPage()}>
          {t("forum.moreTopics")}
        </Button>
      ) : null}
    </Stack>
  );
}
