// What the live connection changes in the forum: the shown topic learns of
// posts added to it (its numbers in the cache, and the page showing it), and
// is read again when a moderator changes it (renames, moves, pins, locks or
// deletes it). Neither is an event the connection resumes: after a
// reconnect the page looks for what it missed.
// The topic page says which topic it shows through `useTopicLive`; the app
// connects this module to the connection once (`registerForumLive`).
import type { QueryClient } from "@tanstack/react-query";

import type { Reading, Topic } from "@/features/forum/api/forum-api";
import type { LiveRegistry, TopicChanged, TopicPostAdded } from "@/lib/realtime";

export type { TopicChanged, TopicPostAdded };

/** What a page showing a topic hears of it. */
export interface TopicFollower {
  topicId: string;
  postAdded(frame: TopicPostAdded): void;
  /** Frames may have been missed (a reconnect): look for new posts. */
  resync(): void;
}

const followers = new Set<TopicFollower>();
let tellViewedTopic: (topicId: string | null) => void = () => undefined;

export function registerForumLive(registry: LiveRegistry, queryClient: QueryClient, viewTopic: (topicId: string | null) => void): void {
  tellViewedTopic = viewTopic;
  registry.onTopicPostAdded((frame) => {
    // Each cached copy counts it for its own reader (the viewer in its key).
    for (const query of queryClient.getQueryCache().findAll({ queryKey: ["forum", "topic"] })) {
      const viewer = query.queryKey[2];
      queryClient.setQueryData<Topic>(query.queryKey, (topic) => countPost(topic, frame, typeof viewer === "string" ? viewer : null));
    }
    // The lists' counts and unread badges are stale; they refresh when next shown.
    void queryClient.invalidateQueries({ queryKey: ["forum", "topics"], refetchType: "none" });
    followers.forEach((follower) => {
      if (follower.topicId === frame.topic_id) follower.postAdded(frame);
    });
  });
  registry.onTopicChanged((frame) => topicChanged(queryClient, frame));
  registry.onResync(() => followers.forEach((follower) => follower.resync()));
  registry.onReady((_, fresh) => {
    // A fresh connection resyncs everything anyway. After a reconnect the
    // resumed events bring the rest up to date, but not what was said of the
    // shown topic meanwhile: posts added (looked for) and changes (read again).
    if (fresh) return;
    followers.forEach((follower) => follower.resync());
    const shown = new Set([...followers].map((follower) => follower.topicId));
    void queryClient.invalidateQueries({ queryKey: ["forum", "topic"], predicate: (query) => shown.has(String(query.queryKey[3])) });
  });
}

/**
 * A moderator changed the topic: the page showing it reads it again (the
 * server counts that as a view, which is fine for something this rare); a
 * deleted topic answers 404, which the page shows as such. Its lists (titles,
 * pins, counts per category) are stale too.
 */
function topicChanged(queryClient: QueryClient, frame: TopicChanged): void {
  // Only a topic on screen is read now; one merely cached is read when shown again.
  void queryClient.invalidateQueries({ queryKey: ["forum", "topic"], predicate: (query) => query.queryKey[3] === frame.topic_id });
  for (const queryKey of [["forum", "topics"], ["forum", "categories"], ["forum", "category"]]) {
    void queryClient.invalidateQueries({ queryKey });
  }
}

/**
 * The topic, as `viewer` sees it, with a post numbered `frame.number` by
 * `frame.author_id` counted in, once: the reply form's own answer may have
 * counted it already. Someone else's post is one more unread; the reader's
 * own marks the topic read up to it, as the server does.
 */
export function countPost(
  topic: Topic | undefined,
  frame: { topic_id: string; number: number; author_id: string },
  viewer: string | null,
): Topic | undefined {
  if (!topic || topic.id !== frame.topic_id || frame.number <= topic.last_post_number) return topic;
  return {
    ...topic,
    last_post_number: frame.number,
    reply_count: topic.reply_count + 1,
    reading: topic.reading ? readingWith(topic.reading, topic.last_post_number, frame.number, frame.author_id === viewer) : topic.reading,
  };
}

/** Where the reader stands once the topic's last post goes from `last` to `number`: theirs, or someone else's. */
function readingWith(reading: Reading, last: number, number: number, own: boolean): Reading {
  if (own) return { status: "read", unread_count: 0, continue_at: number };
  const unread = reading.unread_count + (number - last);
  // Never opened, it opens at the start; otherwise just after the last post read.
  if (reading.status === "new") return { ...reading, unread_count: unread };
  return { status: "unread", unread_count: unread, continue_at: Math.max(1, last - reading.unread_count + 1) };
}

/** The tab shows `topicId` (null: no topic); the server is told, now and after reconnects. */
export function viewTopic(topicId: string | null): void {
  tellViewedTopic(topicId);
}

/** Hears of posts added to a topic until the returned function is called. */
export function followTopic(follower: TopicFollower): () => void {
  followers.add(follower);
  return () => followers.delete(follower);
}
