// The notifications feature's query keys, shared by its screens and its live handlers.
export const notificationKeys = {
  /** Everything of the feature: what a resync reloads. */
  all: ["notifications"] as const,
  /** The unread count: a number. */
  unread: ["notifications", "unread"] as const,
  /** The inbox, newest change first: one infinite list for the bell's dropdown and the page. */
  inbox: ["notifications", "inbox"] as const,
};
