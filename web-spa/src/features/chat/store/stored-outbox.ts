// A person's unsent messages as kept in localStorage, for what runs without
// the messenger's code: signing out. Kept tiny (it is in the first bundle).
import { outboxStorageKey } from "@/features/chat/keys";

/**
 * Forgets a person's stored queue (an explicit sign-out: it must not go out
 * on its own weeks later) and returns how many messages it held. A tab
 * still sending it drops them too (it merges the stored queue, see outbox.ts).
 */
export function discardStoredOutbox(userId: string): number {
  try {
    const key = outboxStorageKey(userId);
    const stored: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    localStorage.removeItem(key);
    return Array.isArray(stored) ? stored.length : 0;
  } catch {
    return 0; // storage refused or unreadable: nothing to tell
  }
}
