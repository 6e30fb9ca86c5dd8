// The end of a paged list: loading, the error of the last page asked, or a
// button for the next page.
import { Button, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";

interface PagedQuery {
  isFetching: boolean;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): Promise<unknown>;
}

export function ListFooter({ query }: { query: PagedQuery }) {
  const { t } = useTranslation();
  return (
    <>
      {query.isError ? (
        <Text c="red" role="alert">
          {problemMessage(t, query.error)}
        </Text>
      ) : null}
      {query.isFetching ? <Busy mx="auto" /> : null}
      {query.hasNextPage && !query.isFetchingNextPage ? (
        <Button variant="default" onClick={() => void query.fetchNextPage()}>
          {t("moderation.more")}
        </Button>
      ) : null}
    </>
  );
}
