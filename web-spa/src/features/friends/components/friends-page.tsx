// Friends / Incoming / Outgoing, each with a count, a search box and more on scroll.
import { Avatar, Badge, Button, Group, Paper, Stack, Tabs, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue, useIntersection } from "@mantine/hooks";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation } from "react-router";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { answer, cancel, listPage, unfriend, type ListKind, type ListPage } from "@/features/friends/api/friends-api";
import { useFriendsSummary } from "@/features/friends/hooks/use-friends-summary";
import { RelativeTime } from "@/lib/relative-time";
import { useSession } from "@/lib/session";
import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";

function ItemActions({ kind, item }: { kind: ListKind; item: ListPage["items"][number] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: (run: () => Promise<void>) => run(),
    // What an answer changes: the counts, the lists and the profiles shown.
    onSettled: () =>
      Promise.all(
        [["friends-summary"], ["friends-list"], ["user"]].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  const busy = action.isPending;
  if (kind === "incoming") {
    return (
      <Group gap="xs">
        <Button size="xs" loading={busy} onClick={() => action.mutate(() => answer(item.key, true))}>
          {t("people.accept")}
        </Button>
        <Button size="xs" variant="default" loading={busy} onClick={() => action.mutate(() => answer(item.key, false))}>
          {t("people.decline")}
        </Button>
      </Group>
    );
  }
  if (kind === "outgoing") {
    return (
      <Button size="xs" variant="default" loading={busy} onClick={() => action.mutate(() => cancel(item.key))}>
        {t("people.cancelRequest")}
      </Button>
    );
  }
  return (
    <Button size="xs" variant="default" loading={busy} onClick={() => action.mutate(() => unfriend(item.user.handle))}>
      {t("people.removeFriend")}
    </Button>
  );
}

function PeopleList({ kind }: { kind: ListKind }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [query] = useDebouncedValue(text, 300);
  const list = useInfiniteQuery({
    queryKey: ["friends-list", kind, query],
    queryFn: ({ pageParam }) => listPage(kind, query, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const { ref, entry } = useIntersection({ rootMargin: "200px" });
  useEffect(() => {
    if (entry?.isIntersecting && list.hasNextPage && !list.isFetchingNextPage && !list.isError) void list.fetchNextPage();
  }, [entry?.isIntersecting, list]);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack pt="md">
      <TextInput type="search" label={t("friends.filter")} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      {list.isError ? <Text c="red">{problemMessage(t, list.error)}</Text> : null}
      {list.isSuccess && items.length === 0 ? <Text c="dimmed">{t(`friends.empty.${kind}`)}</Text> : null}
      <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {items.map((item) => (
          <li key={item.key}>
            <Paper withBorder p="xs">
              <Group justify="space-between" wrap="nowrap">
                <UnstyledButton component={Link} to={`/users/${item.user.handle}`}>
                  <Group wrap="nowrap">
                    <Avatar src={item.user.avatar.small} alt="" radius="xl" />
                    <div>
                      <Text fw={500}>{item.user.display_name}</Text>
                      <Text size="sm" c="dimmed">
                        @{item.user.handle} · <RelativeTime value={item.at} />
                      </Text>
                    </div>
                  </Group>
                </UnstyledButton>
                <ItemActions kind={kind} item={item} />
              </Group>
            </Paper>
          </li>
        ))}
      </Stack>
      <div ref={ref} />
      {list.isFetching ? <Busy mx="auto" /> : null}
    </Stack>
  );
}

export function FriendsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const summary = useFriendsSummary();
  if (session.status === "loading") return <Busy />;
  if (session.status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const count = (n: number | undefined) => (n ? <Badge size="sm" variant="light" ml={6}>{n}</Badge> : null);
  return (
    <Stack maw={720} mx="auto">
      <PageHeading size="h2">{t("friends.title")}</PageHeading>
      <Tabs defaultValue="friends" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="friends">
            {t("friends.tabFriends")}
            {count(summary.data?.friends)}
          </Tabs.Tab>
          <Tabs.Tab value="incoming">
            {t("friends.tabIncoming")}
            {count(summary.data?.incoming)}
          </Tabs.Tab>
          <Tabs.Tab value="outgoing">
            {t("friends.tabOutgoing")}
            {count(summary.data?.outgoing)}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="friends">
          <PeopleList kind="friends" />
        </Tabs.Panel>
        <Tabs.Panel value="incoming">
          <PeopleList kind="incoming" />
        </Tabs.Panel>
        <Tabs.Panel value="outgoing">
          <PeopleList kind="outgoing" />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
