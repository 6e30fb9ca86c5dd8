// Whether someone is online now, as the live connection says (`ready.online`
// and `presence` frames): only people whose status I may see are ever online.
import { useCallback, useSyncExternalStore } from "react";

import { isOnline, subscribePresence } from "@/features/chat/live";

/** Returns a boolean: false for null/undefined or when unknown. */
export function useOnline(userId: string | null | undefined): boolean {
  const get = useCallback(() => (userId ? isOnline(userId) : false), [userId]);
  return useSyncExternalStore(subscribePresence, get, () => false);
}
