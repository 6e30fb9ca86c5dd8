// What live events change on profiles: presence in place, and the
// relationship shown on a profile read again when it changed.
import type { QueryClient } from "@tanstack/react-query";

import type { PublicProfile } from "@/features/people/api/people-api";
import type { LiveRegistry } from "@/lib/realtime";

export function registerPeopleLive(registry: LiveRegistry, queryClient: QueryClient): void {
  const relationshipChanged = () => void queryClient.invalidateQueries({ queryKey: ["user"] });
  for (const type of [
    "friend_request_sent",
    "friend_request_accepted",
    "friend_request_declined",
    "friend_request_cancelled",
    "friendship_ended",
    "user_blocked",
    "user_unblocked",
  ] as const) {
    registry.on(type, relationshipChanged);
  }
  registry.onPresence((presence) =>
    queryClient.setQueriesData<PublicProfile>({ queryKey: ["user"] }, (profile) =>
      profile && profile.id === presence.user_id && profile.online !== null && profile.online !== undefined
        ? { ...profile, online: presence.online, last_seen_at: presence.last_seen_at ?? profile.last_seen_at }
        : profile,
    ),
  );
  registry.onResync(relationshipChanged);
}
