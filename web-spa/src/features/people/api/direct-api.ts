// Opening a direct conversation from a profile. The messenger has its own
// call for this; features do not import each other, so the profile keeps
// this one small copy.
import { api, call } from "@/lib/api-client";

/** The id of my direct conversation with this user (made if needed); a 403 `cannot_message` when they do not take messages from me. */
export async function openDirectConversation(userId: string): Promise<string> {
  const conversation = await call(api.POST("/api/v1/conversations/direct", { body: { user_id: userId } }));
  return conversation.id;
}
