// A list that loads a page at a time by a "Load more" button, and says when
// there is nothing yet or what went wrong.
import { Button, Stack, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";

interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export interface PagedListProps<T> {
  queryKey: readonly unknown[];
  fetchPage(cursor: string | null): Promise<Page<T>>;
  /** The list's accessible name. */
  label: string;
  empty: string;
  more: string;
  itemKey(item: T): string;
  renderItem(item: T): ReactNode;
}

export function PagedList<T>({ queryKey, fetchPage, label, empty, more, itemKey, renderItem }: PagedListProps<T>) {
  const { t } = useTranslation();
  const pages = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  if (pages.isPending) return <Busy mx="auto" />;
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs">
      {items.length > 0 ? (
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={label}>
          {items.map((item) => (
            <li key={itemKey(item)}>{renderItem(item)}</li>
          ))}
        </Stack>
      ) : null}
      {/* Announced, so a screen reader hears that nothing came or what failed. */}
      <div role="status">
        {pages.isSuccess && items.length === 0 ? <Text c="dimmed">{empty}</Text> : null}
        {pages.isError ? <Text c="var(--mantine-color-error)">{problemMessage(t, pages.error)}</Text> : null}
      </div>
      {/* After a failed page the same button asks again. */}
      {pages.hasNextPage ? (
        <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()} style={{ alignSelf: "flex-start" }}>
          {more}
        </Button>
      ) : null}
      {pages.isError && !pages.data ? (
        <Button variant="default" onClick={() => void pages.refetch()} style={{ alignSelf: "flex-start" }}>
          {t("activity.retry")}
        </Button>
      ) : null}
    </Stack>
  );
}
