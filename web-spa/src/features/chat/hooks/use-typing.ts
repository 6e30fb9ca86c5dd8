// Who is typing in a conversation now, from the others' `user_typing` frames;
// each drops off after the `expires_in_ms` the frame gave (or when their
// message arrives).
import { useMemo, useSyncExternalStore } from "react";

import { subscribeTyping, typingIn } from "@/features/chat/live";
import { useConversation } from "@/features/chat/hooks/use-conversations";

/** Returns string[]: the display names of the members typing now (never me), in the order they began; [] for nobody. */
export function useTyping(conversationId: string): string[] {
  const ids = useSyncExternalStore(subscribeTyping, () => typingIn(conversationId), () => typingIn(conversationId));
  const members = useConversation(conversationId).data?.members;
  return useMemo(
    () => ids.map((id) => members?.find((member) => member.id === id)?.display_name).filter((name): name is string => !!name),
    [ids, members],
  );
}
