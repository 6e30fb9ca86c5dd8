// React access to the auth session.
import { useSyncExternalStore } from "react";

import { authSession, type SessionState } from "@/lib/auth-session";

export function useSession(): SessionState {
  return useSyncExternalStore(authSession.subscribe, authSession.getState, authSession.getState);
}

/**
 * Who is reading, for query keys: the signed-in person's id, "anonymous",
 * or null while the session is still being restored (ask nothing yet: the
 * answer would lack what the reader alone sees).
 */
export function useViewer(): string | null {
  const session = useSession();
  if (session.status === "loading") return null;
  return session.status === "signed-in" ? session.user.id : "anonymous";
}
