// What live events change in the friends screens: the counts are adjusted
// in place, and only the lists an event touches are read again.
import type { QueryClient } from "@tanstack/react-query";

import type { FriendsSummary, ListKind } from "@/features/friends/api/friends-api";
import type { LiveRegistry } from "@/lib/realtime";

type Change = Partial<Record<keyof FriendsSummary, number>>;

export function registerFriendsLive(
  registry: LiveRegistry,
  queryClient: QueryClient,
  me: () => string | null,
  announce: (senderName: string) => void,
): void {
  const adjust = (change: Change) =>
    queryClient.setQueryData<FriendsSummary>(["friends-summary"], (summary) =>
      summary
        ? {
            friends: Math.max(0, summary.friends + (change.friends ?? 0)),
            incoming: Math.max(0, summary.incoming + (change.incoming ?? 0)),
            outgoing: Math.max(0, summary.outgoing + (change.outgoing ?? 0)),
          }
        : summary,
    );
  const reload = (...kinds: ListKind[]) =>
    kinds.forEach((kind) => void queryClient.invalidateQueries({ queryKey: ["friends-list", kind] }));

  registry.on("friend_request_sent", (event) => {
    if (event.recipient.id === me()) {
      adjust({ incoming: 1 });
      reload("incoming");
      announce(event.sender.display_name);
    } else {
      adjust({ outgoing: 1 });
      reload("outgoing");
    }
  });
  registry.on("friend_request_accepted", (event) => {
    const mine = event.sender_id === me();
    adjust(mine ? { outgoing: -1, friends: 1 } : { incoming: -1, friends: 1 });
    reload(mine ? "outgoing" : "incoming", "friends");
  });
  for (const type of ["friend_request_declined", "friend_request_cancelled"] as const) {
    registry.on(type, (event) => {
      const mine = event.sender_id === me();
      adjust(mine ? { outgoing: -1 } : { incoming: -1 });
      reload(mine ? "outgoing" : "incoming");
    });
  }
  registry.on("friendship_ended", () => {
    adjust({ friends: -1 });
    reload("friends");
  });
  // After a reconnect the resumed events bring the counts up to date; a
  // fresh tab takes them as they are.
  registry.onReady((ready, fresh) => {
    if (!fresh) return;
    queryClient.setQueryData<FriendsSummary>(["friends-summary"], (summary) =>
      summary ? { ...summary, incoming: ready.counts.incoming_friend_requests } : summary,
    );
  });
  registry.onResync(() => {
    void queryClient.invalidateQueries({ queryKey: ["friends-summary"] });
    void queryClient.invalidateQueries({ queryKey: ["friends-list"] });
  });
}
