import { useQuery } from "@tanstack/react-query";

import { useSession } from "@/lib/session";

/** The counts of friends and requests; live events keep them current (see `live.ts`). */
export function useFriendsSummary() {
  const session = useSession();
  return useQuery({
    queryKey: ["friends-summary"],
    // Loaded on demand: the navigation bar must not pull the API client into the first page load.
    queryFn: async () => (await import("@/features/friends/api/friends-api")).friendsSummary(),
    enabled: session.status === "signed-in",
  });
}
