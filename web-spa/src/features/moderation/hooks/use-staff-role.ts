// Whether the signed-in person moderates: the screens and menus of this
// feature show only to them (the server checks again on every call).
import type { StaffRole } from "@/features/moderation/api/moderation-api";
import type { SessionState } from "@/lib/auth-session";
import { useSession } from "@/lib/session";

export function staffRole(session: SessionState): StaffRole | null {
  if (session.status !== "signed-in") return null;
  const role = session.user.role;
  return role === "moderator" || role === "admin" ? role : null;
}

/** `undefined` while the session is still being restored; null for everyone but moderators and admins. */
export function useStaffRole(): StaffRole | null | undefined {
  const session = useSession();
  return session.status === "loading" ? undefined : staffRole(session);
}

/** Admins may do everything moderators may, and more. */
export function mayAct(role: StaffRole | null | undefined, need: StaffRole): boolean {
  return role === "admin" || (role === "moderator" && need === "moderator");
}
