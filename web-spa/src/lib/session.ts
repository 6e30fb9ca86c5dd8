// React access to the auth session.
import { useSyncExternalStore } from "react";

import { authSession, type SessionState } from "@/lib/auth-session";

export function useSession(): SessionState {
  return useSyncExternalStore(authSession.subscribe, authSession.getState, authSession.getState);
}
