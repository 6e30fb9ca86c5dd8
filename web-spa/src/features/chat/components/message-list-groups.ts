// How the message list is cut up: by day (a separator with the date), and
// within a day into runs of one sender's messages written close together, so
// the name and avatar show once per run, as in the messengers people know.

/** What grouping needs to know of a message, sent or still pending. */
export interface Groupable {
  /** Stable across the pending → sent change: the client id. */
  key: string;
  /** Null for a message whose sender's account is gone. */
  senderId: string | null;
  /** ISO date-time. */
  createdAt: string;
}

export interface SenderRun<T> {
  senderId: string | null;
  own: boolean;
  messages: T[];
}

export interface Day<T> {
  /** The local calendar day, YYYY-MM-DD. */
  day: string;
  runs: SenderRun<T>[];
}

/** One sender's messages further apart than this start a new run. */
export const RUN_GAP_MS = 5 * 60 * 1000;

export function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Days, each with its runs of messages by one sender; `messages` in the order shown (oldest first). */
export function groupMessages<T extends Groupable>(messages: readonly T[], me: string | null): Day<T>[] {
  const days: Day<T>[] = [];
  let previous: T | null = null;
  for (const message of messages) {
    const at = new Date(message.createdAt);
    const day = localDay(at);
    let current = days.at(-1);
    if (!current || current.day !== day) {
      current = { day, runs: [] };
      days.push(current);
      previous = null;
    }
    const run = current.runs.at(-1);
    const continues =
      run !== undefined &&
      previous !== null &&
      run.senderId === message.senderId &&
      message.senderId !== null &&
      at.getTime() - new Date(previous.createdAt).getTime() <= RUN_GAP_MS;
    if (continues) run.messages.push(message);
    else current.runs.push({ senderId: message.senderId, own: me !== null && message.senderId === me, messages: [message] });
    previous = message;
  }
  return days;
}

/** "Today", "Yesterday", or the date (with the year when it is not this one). */
export function dayLabel(day: string, now: Date, language: string, words: { today: string; yesterday: string }): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const value = new Date(year, month - 1, date);
  if (day === localDay(now)) return words.today;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (day === localDay(yesterday)) return words.yesterday;
  const sameYear = year === now.getFullYear();
  return new Intl.DateTimeFormat(language, { weekday: "long", day: "numeric", month: "long", ...(sameYear ? {} : { year: "numeric" }) }).format(value);
}

/** A message's time of day, "14:05" or "2:05 PM" as the language has it. */
export function timeOfDay(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}
