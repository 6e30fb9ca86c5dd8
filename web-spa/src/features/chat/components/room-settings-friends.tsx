// Choosing friends for a room: searching my friends, ticking several for a
// new room (FriendChooser), or adding one to a room I own (FriendAdder).
// The server decides who may be in a room (friends who accept messages);
// it does not say who refused, so the screens explain it in general words.
import { Avatar, Button, Checkbox, Group, Pill, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import type { UserSummary } from "@/features/chat/api/chat-api";
import { api, call } from "@/lib/api-client";

/** The most others a room takes (100 people with its owner). */
export const ROOM_OTHERS_MAX = 99;
const TYPING_PAUSE_MS = 250;

// Not in chat-api.ts (the messenger's data layer has no friends call): the
// friends feature's own is out of reach, as features do not import each other.
async function findFriends(q: string): Promise<UserSummary[]> {
  const query: { q?: string; limit: number } = { limit: 50 };
  if (q.trim()) query.q = q.trim();
  const page = await call(api.GET("/api/v1/friends", { params: { query } }));
  return page.items.map((friend) => friend.user);
}

/** My friends matching what is typed, the previous answer kept while the next one loads. */
function useFriendSearch(text: string) {
  const [q] = useDebouncedValue(text.trim(), TYPING_PAUSE_MS);
  return useQuery({
    queryKey: ["chat", "friends", q],
    queryFn: () => findFriends(q),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** A person's avatar, name and handle; spans only, as it also sits inside a checkbox's label. */
export function Person({ user, note }: { user: UserSummary; note?: string }) {
  return (
    <Group component="span" gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
      <Avatar component="span" src={user.avatar.small} alt="" size="sm" radius="xl" />
      <span style={{ minWidth: 0, display: "block" }}>
        <Text component="span" display="block" size="sm" fw={500} truncate="end">
          {user.display_name}
        </Text>
        <Text component="span" display="block" size="xs" c="dimmed" truncate="end">
          @{user.handle}
          {note ? ` · ${note}` : ""}
        </Text>
      </span>
    </Group>
  );
}

/** What the search found, or why there is nothing to show. */
function SearchState({ search, empty, text }: { search: ReturnType<typeof useFriendSearch>; empty: boolean; text: string }) {
  const { t } = useTranslation();
  if (search.isPending) return <Busy mx="auto" size="sm" />;
  if (search.isError) {
    return (
      <Group gap="xs">
        <Text c="red" size="sm" role="alert">
          {problemMessage(t, search.error)}
        </Text>
        <Button variant="default" size="compact-sm" onClick={() => void search.refetch()}>
          {t("errors.retry")}
        </Button>
      </Group>
    );
  }
  if (!empty) return null;
  if (text.trim()) return <Text size="sm" c="dimmed">{t("chatSetup.noFriendsMatch")}</Text>;
  return (
    <Text size="sm" c="dimmed">
      {t("chatSetup.noFriends")}{" "}
      <Link to="/people">{t("chatSetup.findPeople")}</Link>
    </Text>
  );
}

/** Friends ticked in a list that can be searched; the ones chosen stay chosen (and shown) across searches. */
export function FriendChooser({
  chosen,
  onChange,
  error,
}: {
  chosen: UserSummary[];
  onChange(chosen: UserSummary[]): void;
  error?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState("");
  const search = useFriendSearch(text);
  const friends = search.data ?? [];
  const isChosen = (user: UserSummary) => chosen.some((c) => c.id === user.id);
  const full = chosen.length >= ROOM_OTHERS_MAX;
  const toggle = (user: UserSummary, on: boolean) =>
    onChange(on ? [...chosen, user] : chosen.filter((c) => c.id !== user.id));
  return (
    <Stack gap="xs" role="group" aria-labelledby={`${id}-label`} aria-describedby={error ? `${id}-error` : undefined}>
      <Text id={`${id}-label`} size="sm" fw={500}>
        {t("chatSetup.members")}
      </Text>
      {chosen.length > 0 ? (
        <Pill.Group>
          {chosen.map((user) => (
            <Pill
              key={user.id}
              withRemoveButton
              onRemove={() => toggle(user, false)}
              // Mantine hides the remove button from the keyboard (made for typing pills); here it is the way to unchoose.
              removeButtonProps={{ "aria-label": t("chatSetup.unchoose", { name: user.display_name }), "aria-hidden": false, tabIndex: 0 }}
            >
              {user.display_name}
            </Pill>
          ))}
        </Pill.Group>
      ) : null}
      <TextInput type="search" label={t("chatSetup.findFriends")} size="sm" value={text} onChange={(event) => setText(event.currentTarget.value)} />
      <SearchState search={search} empty={friends.length === 0} text={text} />
      {friends.length > 0 ? (
        <Stack gap={6} component="ul" aria-label={t("chatSetup.friendsFound")} style={{ listStyle: "none", padding: 0, margin: 0, maxHeight: 280, overflowY: "auto" }}>
          {friends.map((user) => (
            <li key={user.id}>
              <Checkbox
                checked={isChosen(user)}
                disabled={full && !isChosen(user)}
                onChange={(event) => toggle(user, event.currentTarget.checked)}
                label={<Person user={user} />}
                // The name alone: the avatar and handle would make a long label to hear.
                aria-label={user.display_name}
                styles={{ body: { alignItems: "center" } }}
              />
            </li>
          ))}
        </Stack>
      ) : null}
      {error ? (
        <Text id={`${id}-error`} c="red" size="sm" role="alert">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Friends who are not in the room yet, each with its own "Add" button. */
export function FriendAdder({
  memberIds,
  adding,
  onAdd,
}: {
  memberIds: string[];
  /** The friend being added now. */
  adding: string | null;
  onAdd(user: UserSummary): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const search = useFriendSearch(text);
  const friends = (search.data ?? []).filter((user) => !memberIds.includes(user.id));
  return (
    <Stack gap="xs">
      <TextInput type="search" label={t("chatSetup.findFriends")} size="sm" value={text} onChange={(event) => setText(event.currentTarget.value)} />
      <SearchState search={search} empty={friends.length === 0} text={text} />
      {friends.length > 0 ? (
        <Stack gap={6} component="ul" aria-label={t("chatSetup.friendsFound")} style={{ listStyle: "none", padding: 0, margin: 0, maxHeight: 240, overflowY: "auto" }}>
          {friends.map((user) => (
            <Group key={user.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
              <Person user={user} />
              <Button
                size="compact-sm"
                variant="light"
                loading={adding === user.id}
                disabled={adding !== null && adding !== user.id}
                aria-label={t("chatSetup.addNamed", { name: user.display_name })}
                onClick={() => onAdd(user)}
              >
                {t("chatSetup.add")}
              </Button>
            </Group>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
