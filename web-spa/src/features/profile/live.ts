// My account changed on another device: the shown user follows, and the
// list of sessions is read again when one ended.
import type { QueryClient } from "@tanstack/react-query";

import { authSession } from "@/lib/auth-session";
import type { LiveRegistry } from "@/lib/realtime";

export function registerProfileLive(registry: LiveRegistry, queryClient: QueryClient): void {
  registry.on("profile_changed", (event) => authSession.updateUser(event.me));
  registry.on("session_ended", () => void queryClient.invalidateQueries({ queryKey: ["sessions"] }));
  registry.onReady((ready) => authSession.updateUser(ready.user));
  registry.onResync(() => void queryClient.invalidateQueries({ queryKey: ["sessions"] }));
}
