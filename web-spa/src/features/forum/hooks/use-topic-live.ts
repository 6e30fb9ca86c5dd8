// The topic page's side of the live connection: saying which topic the tab
// shows, and hearing of posts added to it.
import { useEffect, useEffectEvent } from "react";

import { followTopic, viewTopic, type TopicPostAdded } from "@/features/forum/live";

/** While mounted, the server knows this tab shows the topic. */
export function useViewTopic(topicId: string): void {
  useEffect(() => {
    viewTopic(topicId);
    return () => viewTopic(null);
  }, [topicId]);
}

/** Calls the latest `postAdded` for each post added to the topic, and `resync` when some may have been missed. */
export function useTopicPosts(topicId: string, handlers: { postAdded(frame: TopicPostAdded): void; resync(): void }): void {
  const postAdded = useEffectEvent(handlers.postAdded);
  const resync = useEffectEvent(handlers.resync);
  useEffect(() => followTopic({ topicId, postAdded: (frame) => postAdded(frame), resync: () => resync() }), [topicId]);
}
