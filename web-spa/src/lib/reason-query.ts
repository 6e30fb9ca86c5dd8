// A moderator's optional note for the log, sent as the `reason` query
// parameter of a moderating request (deleting, restoring, banning, moving…).

/** The query for `reason`: sent only when there is some text, trimmed. */
export function reasonQuery(reason: string | undefined): { reason?: string } {
  const text = reason?.trim();
  return text ? { reason: text } : {};
}
