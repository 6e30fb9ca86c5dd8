// The home page's window on the forum: the latest topics, and the way in.
import { Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { homeKeys, listLatestTopics, type LatestTopic } from "@/features/home/api/latest-topics-api";
import { RelativeTime } from "@/lib/relative-time";
import { useViewer } from "@/lib/session";

function LatestTopicRow({ topic }: { topic: LatestTopic }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={2}>
        <Anchor component={Link} to={`/forum/t/${topic.id}`} fw={600} className="break-anywhere">
          {topic.title}
        </Anchor>
        <Text size="sm" c="dimmed">
          {topic.category.name}
          {" · "}
          {t("activity.replies", { count: topic.reply_count })}
          {" · "}
          {t("activity.lastPost")} <RelativeTime value={topic.last_activity_at} />
        </Text>
      </Stack>
    </Paper>
  );
}

function LatestTopicList({ viewer }: { viewer: string }) {
  const { t } = useTranslation();
  const topics = useQuery({ queryKey: homeKeys.latestTopics(viewer), queryFn: listLatestTopics });
  if (topics.isPending) return <Busy mx="auto" />;
  if (topics.isError) return <Text c="var(--mantine-color-error)">{problemMessage(t, topics.error)}</Text>;
  if (topics.data.length === 0) return <Text c="dimmed">{t("activity.noLatest")}</Text>;
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("activity.latestTitle")}>
      {topics.data.map((topic) => (
        <li key={topic.id}>
          <LatestTopicRow topic={topic} />
        </li>
      ))}
    </Stack>
  );
}

export function LatestTopics() {
  const { t } = useTranslation();
  const viewer = useViewer();
  return (
    <Stack gap="xs" component="section" aria-labelledby="home-latest-topics" w="100%" mt="md">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h3" id="home-latest-topics">
          {t("activity.latestTitle")}
        </Title>
        <Anchor component={Link} to="/forum">
          {t("activity.goToForum")}
        </Anchor>
      </Group>
      {viewer === null ? <Busy mx="auto" /> : <LatestTopicList viewer={viewer} />}
    </Stack>
  );
}
