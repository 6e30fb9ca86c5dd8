// Rows of topics as lists show them: title, badges, counts, last activity and,
// for a signed-in reader, what is new to them.
import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { TopicFilter, TopicSummary } from "@/features/forum/api/forum-api";
import { RelativeTime } from "@/lib/relative-time";

/** The topic's page, opened where an unread reader left off. */
export function topicPath(topic: TopicSummary): string {
  const reading = topic.reading;
  const resume = reading && reading.status === "unread" && reading.continue_at > 1;
  return resume ? `/forum/t/${topic.id}?post=${reading.continue_at}` : `/forum/t/${topic.id}`;
}

function ReadingBadge({ topic }: { topic: TopicSummary }) {
  const { t } = useTranslation();
  const reading = topic.reading;
  if (!reading || reading.status === "read") return null;
  if (reading.status === "new") return <Badge size="sm">{t("forum.new")}</Badge>;
  if (reading.unread_count < 1) return null;
  return <Badge size="sm">{t("forum.unread", { count: reading.unread_count })}</Badge>;
}

function TopicRow({ topic, showCategory }: { topic: TopicSummary; showCategory: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          {topic.pinned ? (
            <Badge size="sm" variant="default">
              {t("forum.pinned")}
            </Badge>
          ) : null}
          {topic.locked ? (
            <Badge size="sm" variant="default">
              {t("forum.locked")}
            </Badge>
          ) : null}
          <Anchor component={Link} to={topicPath(topic)} fw={600} className="break-anywhere">
            {topic.title}
          </Anchor>
          <ReadingBadge topic={topic} />
        </Group>
        <Text size="sm" c="dimmed">
          {showCategory ? (
            <>
              <Anchor component={Link} to={`/forum/c/${topic.category.slug}`} inherit c="dimmed">
                {topic.category.name}
              </Anchor>
              {" · "}
            </>
          ) : null}
          {t("forum.replies", { count: topic.reply_count })}
          {" · "}
          {t("forum.views", { count: topic.view_count })}
          {" · "}
          {t("forum.lastPost")} <RelativeTime value={topic.last_activity_at} />
        </Text>
      </Stack>
    </Paper>
  );
}

/** The topics given, in the server's order (pinned first), as a labelled list. */
export function TopicList({ topics, label, showCategory = false }: { topics: TopicSummary[]; label: string; showCategory?: boolean }) {
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={label}>
      {topics.map((topic) => (
        <li key={topic.id}>
          <TopicRow topic={topic} showCategory={showCategory} />
        </li>
      ))}
    </Stack>
  );
}

/** Latest, unread or mine: for a signed-in reader (a visitor has only the latest). */
export function TopicFilterControl({ value, onChange }: { value: TopicFilter; onChange(filter: TopicFilter): void }) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("topic.filterLabel")}
      value={value}
      onChange={(next) => onChange(next as TopicFilter)}
      data={(["latest", "unread", "mine"] as const).map((filter) => ({ value: filter, label: t(`topic.filter.${filter}`) }))}
      style={{ alignSelf: "flex-start" }}
    />
  );
}
