// The signed-in person's sending queue, for the hooks that show and fill it.
import { useQueryClient } from "@tanstack/react-query";

import { outboxFor, type MessageOutbox } from "@/features/chat/store/outbox";
import { useSession } from "@/lib/session";

/** Returns the queue of the person signed in, or null while nobody is. */
export function useOutbox(): MessageOutbox | null {
  const session = useSession();
  const queryClient = useQueryClient();
  return session.status === "signed-in" ? outboxFor(session.user.id, queryClient) : null;
}
