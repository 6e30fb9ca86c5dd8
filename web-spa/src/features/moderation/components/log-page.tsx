// The moderators' log, the latest first: what was done, by whom, to whom,
// why and when, each action as a sentence in the reader's language.
import { Anchor, Paper, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";

import { listLog, moderationKeys, type LoggedAction } from "@/features/moderation/api/moderation-api";
import { ListFooter } from "@/features/moderation/components/list-footer";
import { UserLink } from "@/features/moderation/components/user-link";
import { RelativeTime } from "@/lib/relative-time";

export function LogPage() {
  const { t } = useTranslation();
  const log = useInfiniteQuery({
    queryKey: moderationKeys.log(),
    queryFn: ({ pageParam }) => listLog(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2} size="h3">
        {t("moderation.log.title")}
      </Title>
      {log.isSuccess && items.length === 0 ? <Text c="dimmed">{t("moderation.log.empty")}</Text> : null}
      {items.length > 0 ? (
        <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("moderation.log.list")}>
          {items.map((entry) => (
            <li key={entry.id}>
              <LogEntry entry={entry} />
            </li>
          ))}
        </Stack>
      ) : null}
      <ListFooter query={log} />
    </Stack>
  );
}

/** The sentence for an action, with the topic and the person it concerns as links where they still exist. */
export function ActionSentence({ entry }: { entry: LoggedAction }) {
  const { t } = useTranslation();
  const title = entry.topic?.title ?? t("moderation.log.unknownTopic");
  const topicId = entry.topic?.id;
  const handle = entry.target_user?.handle ?? t("moderation.deletedUser");
  const components = {
    topic: topicId ? <Anchor component={Link} to={`/forum/t/${topicId}`} inherit className="break-anywhere" /> : <Text span inherit fs="italic" />,
    user: entry.target_user ? <Anchor component={Link} to={`/users/${encodeURIComponent(entry.target_user.handle)}`} inherit /> : <Text span inherit />,
  };
  return <Trans i18nKey={`moderation.log.actions.${entry.action}`} values={{ title, handle }} components={components} />;
}

/** Ban and unban sentences name the person already; the others say whose content it was. */
const NAMES_TARGET = new Set(["user_banned", "user_unbanned"]);

function LogEntry({ entry }: { entry: LoggedAction }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Stack gap={4}>
        <Text className="break-anywhere">
          <ActionSentence entry={entry} />
        </Text>
        <Text size="sm" c="dimmed">
          {t("moderation.log.by")} <UserLink user={entry.moderator} /> · <RelativeTime value={entry.created_at} />
        </Text>
        {entry.target_user && !NAMES_TARGET.has(entry.action) ? (
          <Text size="sm" c="dimmed">
            {t("moderation.log.concerns")} <UserLink user={entry.target_user} />
          </Text>
        ) : null}
        {entry.reason ? (
          <Text size="sm" className="break-anywhere">
            <Text span inherit fw={600}>
              {t("moderation.log.reason")}:
            </Text>{" "}
            {entry.reason}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
