// The nav badge: my unread messages over the conversations I did not mute,
// as the server counts them. Only the live connection sets it (ready and
// every event that changes it), so nothing is ever fetched here; this file
// is in the initial bundle, keep it tiny.
import { skipToken, useQuery } from "@tanstack/react-query";

import { chatKeys } from "@/features/chat/keys";
import { useSession } from "@/lib/session";

/** Returns a number: 0 while signed out or before the connection said. */
export function useUnreadBadge(): number {
  // Read per session: the cache is cleared when the account changes, and a
  // re-render attaches this to the new entry.
  const signedIn = useSession().status === "signed-in";
  const { data } = useQuery<number>({ queryKey: chatKeys.unread, queryFn: skipToken, staleTime: Infinity });
  return signedIn ? (data ?? 0) : 0;
}
