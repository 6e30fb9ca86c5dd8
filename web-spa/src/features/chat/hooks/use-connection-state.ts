// The live connection's state, for screens that say when the app is offline.
import { useSyncExternalStore } from "react";

import { connectionState, subscribeConnection } from "@/features/chat/live";

/** "online", "connecting", "reconnecting", "offline" or "idle" (no connection: signed out, or in tests). */
export function useConnectionState() {
  return useSyncExternalStore(subscribeConnection, connectionState, connectionState);
}
