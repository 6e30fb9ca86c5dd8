// The friendship buttons that fit how I relate to this user.
import { Button, Group } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import {
  answerFriendRequest,
  cancelFriendRequest,
  removeFriend,
  sendFriendRequest,
  setBlocked,
  type PublicProfile,
} from "@/features/people/api/people-api";

export function FriendshipActions({ user }: { user: PublicProfile }) {
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
  const act = (run: () => Promise<void>) => action.mutate(run);
  const requestId = user.friend_request_id ?? "";
  if (user.relationship === null || user.relationship === undefined) {
    return (
      <Button component={Link} to="/login" state={{ from: `/users/${user.handle}` }} variant="default">
        {t("people.signInToAdd")}
      </Button>
    );
  }
  if (user.relationship === "self") {
    return (
      <Button component={Link} to="/me" variant="default">
        {t("nav.profile")}
      </Button>
    );
  }
  const busy = action.isPending;
  return (
    <Group gap="xs">
      {user.blocked ? null : user.relationship === "none" ? (
        <Button loading={busy} onClick={() => act(() => sendFriendRequest(user.handle))}>
          {t("people.addFriend")}
        </Button>
      ) : user.relationship === "request_sent" ? (
        <Button variant="default" loading={busy} onClick={() => act(() => cancelFriendRequest(requestId))}>
          {t("people.cancelRequest")}
        </Button>
      ) : user.relationship === "request_received" ? (
        <>
          <Button loading={busy} onClick={() => act(() => answerFriendRequest(requestId, true))}>
            {t("people.accept")}
          </Button>
          <Button variant="default" loading={busy} onClick={() => act(() => answerFriendRequest(requestId, false))}>
            {t("people.decline")}
          </Button>
        </>
      ) : (
        <Button variant="default" loading={busy} onClick={() => act(() => removeFriend(user.handle))}>
          {t("people.removeFriend")}
        </Button>
      )}
      <Button variant="subtle" color="red" loading={busy} onClick={() => act(() => setBlocked(user.handle, !user.blocked))}>
        {user.blocked ? t("people.unblock") : t("people.block")}
      </Button>
    </Group>
  );
}
