// The reports queue: open reports, the longest waiting first, each with the
// reported post, who reported it and why, to resolve (acted on) or dismiss
// (nothing wrong); a switch shows the handled ones.
import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import {
  handleReport,
  listReports,
  moderationKeys,
  type Report,
  type ReportPage,
  type ReportStatus,
} from "@/features/moderation/api/moderation-api";
import { ListFooter } from "@/features/moderation/components/list-footer";
import { UserLink } from "@/features/moderation/components/user-link";
import { RelativeTime } from "@/lib/relative-time";

const STATUSES: ReportStatus[] = ["open", "resolved", "dismissed"];
const EXCERPT_LENGTH = 280;

function statusFrom(value: string | null): ReportStatus {
  return STATUSES.find((status) => status === value) ?? "open";
}

/** The post's words as plain text, shortened: enough to judge the report without opening it. */
function excerpt(post: Report["post"]): string | null {
  const source = post.html ? (new DOMParser().parseFromString(post.html, "text/html").body.textContent ?? "") : (post.body ?? "");
  const text = source.replace(/\s+/g, " ").trim();
  if (!text) return null;
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…` : text;
}

export function ReportsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const status = statusFrom(search.get("status"));
  return (
    <Stack>
      <Title order={2} size="h3">
        {t("moderation.reports.title")}
      </Title>
      <SegmentedControl
        aria-label={t("moderation.reports.status")}
        value={status}
        onChange={(value) => setSearch(value === "open" ? {} : { status: value }, { replace: true })}
        data={STATUSES.map((value) => ({ value, label: t(`moderation.reports.statuses.${value}`) }))}
        fullWidth
        maw={420}
      />
      <ReportList key={status} status={status} />
    </Stack>
  );
}

function ReportList({ status }: { status: ReportStatus }) {
  const { t } = useTranslation();
  const reports = useInfiniteQuery({
    queryKey: moderationKeys.reports(status),
    queryFn: ({ pageParam }) => listReports(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = reports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      {reports.isSuccess && items.length === 0 ? <Text c="dimmed">{t(`moderation.reports.none.${status}`)}</Text> : null}
      {items.length > 0 ? (
        <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("moderation.reports.list")}>
          {items.map((report) => (
            <li key={report.id}>
              <ReportCard report={report} />
            </li>
          ))}
        </Stack>
      ) : null}
      <ListFooter query={reports} />
    </Stack>
  );
}

function ReportCard({ report }: { report: Report }) {
  const { t } = useTranslation();
  const post = report.post;
  const text = excerpt(post);
  return (
    <Paper withBorder p="sm" component="article" aria-label={t("moderation.reports.about", { number: post.number })}>
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t("moderation.reports.reportedBy")} <UserLink user={report.reporter} /> · <RelativeTime value={report.created_at} />
        </Text>
        <Text className="break-anywhere">
          <Text span fw={600}>
            {t("moderation.reports.reason")}:
          </Text>{" "}
          {report.reason}
        </Text>
        <Paper withBorder p="xs">
          <Stack gap={4}>
            <Group gap="xs">
              <Text size="sm">
                {t("moderation.reports.postBy")} <UserLink user={post.author} />
              </Text>
              {post.deleted ? (
                <Badge variant="default" size="sm">
                  {t("moderation.reports.postDeleted")}
                </Badge>
              ) : null}
            </Group>
            <Text size="sm" className="break-anywhere" fs={text ? undefined : "italic"}>
              {text ?? t("moderation.reports.noText")}
            </Text>
            <Anchor component={Link} to={`/forum/t/${post.topic_id}?post=${post.number}`} size="sm">
              {t("moderation.reports.openPost", { number: post.number })}
            </Anchor>
          </Stack>
        </Paper>
        {report.status === "open" ? <ReportActions report={report} /> : <Handled report={report} />}
      </Stack>
    </Paper>
  );
}

function Handled({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed">
      {t(`moderation.reports.handled.${report.status}`)} <UserLink user={report.handled_by} />
      {report.handled_at ? (
        <>
          {" · "}
          <RelativeTime value={report.handled_at} />
        </>
      ) : null}
    </Text>
  );
}

function ReportActions({ report }: { report: Report }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const handle = useMutation({
    mutationFn: (outcome: "resolve" | "dismiss") => handleReport(report.id, outcome, note),
    onSuccess: (_, outcome) => {
      notify(t(outcome === "resolve" ? "moderation.reports.resolved" : "moderation.reports.dismissed"));
      removeFromQueue(report.id);
    },
    onError: (error) => {
      notify(problemMessage(t, error), { error: true });
      // Another moderator was quicker: the queue is stale.
      void queryClient.invalidateQueries({ queryKey: moderationKeys.reports("open") });
    },
  });
  const removeFromQueue = (id: string) => {
    queryClient.setQueryData<InfiniteData<ReportPage, string | null>>(moderationKeys.reports("open"), (data) =>
      data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })) } : data,
    );
    void queryClient.invalidateQueries({ queryKey: ["moderation", "reports"], refetchType: "none" });
    void queryClient.invalidateQueries({ queryKey: moderationKeys.log(), refetchType: "none" });
  };
  return (
    <Stack gap="xs">
      <TextInput
        label={t("moderation.noteLabel")}
        description={t("moderation.noteHint")}
        value={note}
        maxLength={500}
        onChange={(event) => setNote(event.currentTarget.value)}
        size="sm"
      />
      <Group gap="xs">
        <Button size="sm" onClick={() => handle.mutate("resolve")} loading={handle.isPending && handle.variables === "resolve"} disabled={handle.isPending}>
          {t("moderation.reports.resolve")}
        </Button>
        <Button
          size="sm"
          variant="default"
          onClick={() => handle.mutate("dismiss")}
          loading={handle.isPending && handle.variables === "dismiss"}
          disabled={handle.isPending}
        >
          {t("moderation.reports.dismiss")}
        </Button>
      </Group>
    </Stack>
  );
}
