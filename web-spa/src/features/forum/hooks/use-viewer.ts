import { useSession } from "@/lib/session";

/**
 * Who is reading, for query keys: the signed-in person's id, "anonymous",
 * or null while the session is still being restored (ask nothing yet: the
 * answer would lack the reader's unread state).
 */
export function useViewer(): string | null {
  const session = useSession();
  if (session.status === "loading") return null;
  return session.status === "signed-in" ? session.user.id : "anonymous";
}
