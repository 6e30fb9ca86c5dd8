// The forum's front page: its categories, then the latest topics of all of them.
import { Anchor, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import { forumKeys, listCategories, type Category } from "@/features/forum/api/forum-api";
import { TopicFeed } from "@/features/forum/components/topic-feed";
import { TopicFilterControl } from "@/features/forum/components/topic-list";
import { useTopicFilter } from "@/features/forum/hooks/use-topic-filter";
import { RelativeTime } from "@/lib/relative-time";
import { useSession } from "@/lib/session";

function CategoryRow({ category }: { category: Category }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Anchor component={Link} to={`/forum/c/${category.slug}`} fw={600} size="lg">
          {category.name}
        </Anchor>
        {category.description ? <Text size="sm">{category.description}</Text> : null}
        <Text size="sm" c="dimmed">
          {t("forum.topicCount", { count: category.topic_count })}
          {category.last_activity_at ? (
            <>
              {" · "}
              {t("forum.lastPost")} <RelativeTime value={category.last_activity_at} />
            </>
          ) : null}
        </Text>
      </Stack>
    </Paper>
  );
}

function Categories() {
  const { t } = useTranslation();
  const categories = useQuery({ queryKey: forumKeys.categories(), queryFn: listCategories });
  if (categories.isPending) return <Busy mx="auto" />;
  if (categories.isError) return <Text c="red">{problemMessage(t, categories.error)}</Text>;
  if (categories.data.length === 0) return <Text c="dimmed">{t("forum.noCategories")}</Text>;
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("forum.categories")}>
      {categories.data.map((category) => (
        <li key={category.id}>
          <CategoryRow category={category} />
        </li>
      ))}
    </Stack>
  );
}

export function ForumHomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const [filter, setFilter] = useTopicFilter();
  return (
    <Stack maw={800} mx="auto">
      <PageHeading size="h2">{t("forum.title")}</PageHeading>
      <Stack gap="xs" component="section" aria-labelledby="forum-categories">
        <Title order={2} size="h3" id="forum-categories">
          {t("forum.categories")}
        </Title>
        <Categories />
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="forum-latest">
        <Title order={2} size="h3" id="forum-latest">
          {t("forum.latest")}
        </Title>
        {session.status === "signed-in" ? <TopicFilterControl value={filter} onChange={setFilter} /> : null}
        <TopicFeed slug={null} label={t("forum.latest")} filter={filter} />
      </Stack>
    </Stack>
  );
}
