// Every version of a post, oldest first, each after the first shown as a
// word diff against the one before. Loaded on demand: the diff is heavy.
import { Modal, Stack, Text, Title, VisuallyHidden } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import type { Post } from "@/features/forum/api/forum-api";
import { listRevisions, postKeys, type Revision } from "@/features/forum/api/posts-api";
import { diffWords, type DiffPart } from "@/features/forum/components/post/diff";
import { RelativeTime } from "@/lib/relative-time";

// Underlined and struck through as well as tinted, so the change shows without colour.
const INSERTED = { textDecoration: "underline", backgroundColor: "var(--mantine-color-green-light)", color: "inherit" };
const DELETED = { textDecoration: "line-through", backgroundColor: "var(--mantine-color-red-light)", color: "inherit" };
const SOURCE = { whiteSpace: "pre-wrap", overflowWrap: "anywhere", fontFamily: "var(--mantine-font-family-monospace)", fontSize: "var(--mantine-font-size-sm)" } as const;

function DiffText({ parts }: { parts: DiffPart[] }) {
  const { t } = useTranslation();
  return (
    <div style={SOURCE}>
      {parts.map((part, index) =>
        part.kind === "same" ? (
          <span key={index}>{part.text}</span>
        ) : part.kind === "added" ? (
          // Screen readers mostly say nothing of <ins>/<del>: the words are spoken.
          <ins key={index} style={INSERTED}>
            <VisuallyHidden>{t("post.addedStart")}</VisuallyHidden>
            {part.text}
            <VisuallyHidden>{t("post.changeEnd")}</VisuallyHidden>
          </ins>
        ) : (
          <del key={index} style={DELETED}>
            <VisuallyHidden>{t("post.removedStart")}</VisuallyHidden>
            {part.text}
            <VisuallyHidden>{t("post.changeEnd")}</VisuallyHidden>
          </del>
        ),
      )}
    </div>
  );
}

function Version({ revision, previous, current }: { revision: Revision; previous: Revision | undefined; current: boolean }) {
  const { t } = useTranslation();
  const parts = useMemo(() => (previous ? diffWords(previous.body, revision.body) : null), [previous, revision.body]);
  return (
    <Stack gap={4} component="section" aria-labelledby={`revision-${revision.revision}`}>
      <Title order={3} size="h5" id={`revision-${revision.revision}`}>
        {current ? t("post.versionCurrent", { number: revision.revision }) : t("post.version", { number: revision.revision })}
      </Title>
      <Text size="sm" c="dimmed">
        {revision.editor ? `${revision.editor.display_name} · ` : null}
        <RelativeTime value={revision.created_at} />
      </Text>
      {parts ? <DiffText parts={parts} /> : <div style={SOURCE}>{revision.body}</div>}
    </Stack>
  );
}

export function RevisionHistory({ post, opened, onClose }: { post: Post; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const revisions = useQuery({
    queryKey: postKeys.revisions(post.id, post.revision),
    queryFn: () => listRevisions(post.id),
    enabled: opened,
  });
  const items = revisions.data ?? [];
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={t("post.historyTitle", { number: post.number })} closeButtonProps={{ "aria-label": t("nav.close") }}>
      <Stack gap="lg">
        <Text size="sm" c="dimmed">
          {t("post.historyLegend")}
        </Text>
        {revisions.isPending ? <Busy mx="auto" /> : null}
        {revisions.isError ? <Text c="red">{problemMessage(t, revisions.error)}</Text> : null}
        {items.map((revision, index) => (
          <Version key={revision.revision} revision={revision} previous={items[index - 1]} current={index === items.length - 1} />
        ))}
      </Stack>
    </Modal>
  );
}
