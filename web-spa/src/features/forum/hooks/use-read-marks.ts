// Tells the server how far a signed-in reader has read a topic: the highest
// post number seen, at most once a second, never backwards; and keeps the
// server's answer (where the reader now stands) in the cached topic.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import { forumKeys, markTopicRead, type Topic } from "@/features/forum/api/forum-api";
import { useViewer } from "@/lib/session";

export const READ_MARK_INTERVAL_MS = 1000;

interface Marks {
  seen: number;
  sent: number;
  lastSentAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  observer: IntersectionObserver | null;
}

/**
 * Returns a ref callback for each post's element (which carries
 * `data-number`); `enabled` false (signed out) observes nothing. `alreadyRead`
 * is the server's mark, so nothing at or below it is sent again.
 */
export function useReadMarks(topicId: string, enabled: boolean, alreadyRead = 0) {
  const queryClient = useQueryClient();
  const marks = useRef<Marks>({ seen: alreadyRead, sent: alreadyRead, lastSentAt: 0, timer: null, observer: null });
  const viewer = useRef("");
  const current = useViewer();
  useEffect(() => {
    viewer.current = current ?? "";
  }, [current]);

  const flush = useCallback(() => {
    const state = marks.current;
    state.timer = null;
    if (state.seen <= state.sent) return;
    state.sent = state.seen;
    state.lastSentAt = Date.now();
    const reader = viewer.current;
    markTopicRead(topicId, state.sent)
      .then((reading) => {
        // Where the reader now stands, in their copy of the topic: shown again, it opens there.
        queryClient.setQueryData<Topic>(forumKeys.topic(reader, topicId), (topic) => (topic ? { ...topic, reading } : topic));
        // Unread counts in the lists are stale now; they refresh when next shown.
        void queryClient.invalidateQueries({ queryKey: ["forum", "topics"], refetchType: "none" });
      })
      .catch(() => undefined); // a lost mark is sent again with the next post seen
  }, [queryClient, topicId]);

  const see = useCallback(
    (number: number) => {
      const state = marks.current;
      if (number <= state.seen) return;
      state.seen = number;
      if (state.timer) return;
      const wait = Math.max(0, state.lastSentAt + READ_MARK_INTERVAL_MS - Date.now());
      state.timer = setTimeout(flush, wait);
    },
    [flush],
  );

  // What was seen but not yet sent goes out on leaving the topic.
  useEffect(
    () => () => {
      const state = marks.current;
      state.observer?.disconnect();
      state.observer = null;
      if (state.timer) {
        clearTimeout(state.timer);
        flush();
      }
    },
    [flush],
  );

  return useCallback(
    (element: HTMLElement | null) => {
      if (!enabled || !element) return;
      const state = marks.current;
      state.observer ??= new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            // Half of it in view, or (a post taller than the screen) half the screen full of it.
            const half = entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= (entry.rootBounds?.height ?? Infinity) / 2;
            if (entry.isIntersecting && half) see(Number((entry.target as HTMLElement).dataset.number));
          }
        },
        { threshold: [0, 0.25, 0.5, 0.75, 1] },
      );
      const observer = state.observer;
      observer.observe(element);
      return () => observer.unobserve(element);
    },
    [enabled, see],
  );
}
