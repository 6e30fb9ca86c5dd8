// One category: its description, a "New topic" button for a signed-in person,
// and its topics, pinned first, more as you scroll.
import { Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import { forumKeys, getCategory } from "@/features/forum/api/forum-api";
import { ForumTrail } from "@/features/forum/components/forum-trail";
import { NewTopic } from "@/features/forum/components/new-topic-form";
import { TopicFeed } from "@/features/forum/components/topic-feed";
import { TopicFilterControl } from "@/features/forum/components/topic-list";
import { useTopicFilter } from "@/features/forum/hooks/use-topic-filter";
import { useSession } from "@/lib/session";

export function CategoryPage() {
  const { t } = useTranslation();
  const { slug = "" } = useParams();
  const session = useSession();
  const [filter, setFilter] = useTopicFilter();
  const category = useQuery({ queryKey: forumKeys.category(slug), queryFn: () => getCategory(slug) });
  if (category.isPending) return <Busy mx="auto" />;
  if (category.isError) {
    return (
      <Stack maw={800} mx="auto">
        <ForumTrail />
        <Text c="red">{problemMessage(t, category.error)}</Text>
      </Stack>
    );
  }
  return (
    <Stack maw={800} mx="auto">
      <ForumTrail />
      <PageHeading size="h2">{category.data.name}</PageHeading>
      {category.data.description ? <Text>{category.data.description}</Text> : null}
      {session.status === "signed-in" ? <NewTopic key={slug} slug={slug} /> : null}
      {session.status === "signed-in" ? <TopicFilterControl value={filter} onChange={setFilter} /> : null}
      <TopicFeed slug={slug} label={t("forum.topics")} filter={filter} />
    </Stack>
  );
}
