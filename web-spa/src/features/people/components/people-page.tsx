// Find people by name or handle; more load as you scroll.
import { Avatar, Button, Group, Paper, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue, useIntersection } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation } from "react-router";

import { problemMessage } from "@/components/ui/problem-text";
import { searchUsers } from "@/features/people/api/people-api";
import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { useSession } from "@/lib/session";

// The directory is for signed-in people only: the server leaves out whoever
// blocked the viewer, which it could not do for someone signed out.
export function PeoplePage() {
  const session = useSession();
  const location = useLocation();
  if (session.status === "loading") return <Busy />;
  if (session.status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Directory />;
}

function Directory() {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [query] = useDebouncedValue(text, 300);
  const people = useInfiniteQuery({
    queryKey: ["people", query],
    queryFn: ({ pageParam }) => searchUsers(query, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const { ref, entry } = useIntersection({ rootMargin: "200px" });
  useEffect(() => {
    if (entry?.isIntersecting && people.hasNextPage && !people.isFetchingNextPage && !people.isError) void people.fetchNextPage();
  }, [entry?.isIntersecting, people]);
  const users = people.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack maw={720} mx="auto">
      <PageHeading size="h2">{t("people.title")}</PageHeading>
      <TextInput
        label={t("people.search")}
        placeholder={t("people.searchPlaceholder")}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        type="search"
      />
      {people.isError ? <Text c="red">{problemMessage(t, people.error)}</Text> : null}
      {people.isSuccess && users.length === 0 ? <Text c="dimmed">{t("people.nobody")}</Text> : null}
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("people.results")}>
        {users.map((user) => (
          <li key={user.id}>
            <Paper withBorder p="xs">
              <UnstyledButton component={Link} to={`/users/${user.handle}`} style={{ display: "block" }}>
                <Group>
                  <Avatar src={user.avatar.small} alt="" radius="xl" />
                  <div>
                    <Text fw={500}>{user.display_name}</Text>
                    <Text size="sm" c="dimmed">
                      @{user.handle}
                    </Text>
                  </div>
                </Group>
              </UnstyledButton>
            </Paper>
          </li>
        ))}
      </Stack>
      <div ref={ref} />
      {people.isFetching ? <Busy mx="auto" /> : null}
      {people.hasNextPage && !people.isFetchingNextPage ? (
        <Button variant="default" onClick={() => void people.fetchNextPage()}>
          {t("people.more")}
        </Button>
      ) : null}
    </Stack>
  );
}
