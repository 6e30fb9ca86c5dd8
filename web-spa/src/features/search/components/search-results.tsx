// One kind of search results, page by page, more loading as you scroll;
// what to say when there is nothing to search for, nothing found, or a problem.
import { Button, Stack, Text } from "@mantine/core";
import { useIntersection } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { search, searchKeys, type SearchRequest } from "@/features/search/api/search-api";
import { HitList } from "@/features/search/components/hit-list";

export function SearchResults({ viewer, request }: { viewer: string; request: SearchRequest }) {
  const { t } = useTranslation();
  const results = useInfiniteQuery({
    queryKey: searchKeys.results(viewer, request),
    queryFn: ({ pageParam }) => search(request, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
    enabled: request.q !== "",
  });
  const { ref, entry } = useIntersection({ rootMargin: "200px" });
  useEffect(() => {
    if (entry?.isIntersecting && results.hasNextPage && !results.isFetchingNextPage && !results.isError) void results.fetchNextPage();
  }, [entry?.isIntersecting, results]);

  if (request.q === "") return <Text c="dimmed">{t("search.prompt")}</Text>;
  const hits = results.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="xs">
      {/* Announced when a search ends, so a screen reader hears the outcome. */}
      <div role="status">
        {results.isSuccess && hits.length === 0 ? <Text c="dimmed">{t("search.nothingFound", { query: request.q })}</Text> : null}
        {results.isError ? <Text c="red">{problemMessage(t, results.error)}</Text> : null}
      </div>
      <HitList hits={hits} label={t(`search.found.${request.kind}`)} />
      <div ref={ref} />
      {results.isPending || results.isFetching ? <Busy mx="auto" /> : null}
      {results.hasNextPage && !results.isFetchingNextPage ? (
        <Button variant="default" onClick={() => void results.fetchNextPage()}>
          {t("search.more")}
        </Button>
      ) : null}
      {results.isError && !results.data ? (
        <Button variant="default" onClick={() => void results.refetch()}>
          {t("search.retry")}
        </Button>
      ) : null}
    </Stack>
  );
}
