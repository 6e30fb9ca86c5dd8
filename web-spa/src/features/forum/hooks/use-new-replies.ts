// Posts added to the topic while it is read: never pushed into the page
// under the reader, but counted for a "new replies" button; the reader's own
// post (written on another device) joins at once.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { listPosts } from "@/features/forum/api/forum-api";
import { useTopicPosts } from "@/features/forum/hooks/use-topic-live";
import type { PostStream } from "@/features/forum/hooks/use-post-stream";

export function useNewReplies(topicId: string, stream: PostStream, me: string | null) {
  /** The newest post number heard of. */
  const [heardOf, setHeardOf] = useState(0);
  // Only a stream that reaches the end grows here; otherwise "More posts" reaches them.
  const count = stream.atEnd ? Math.max(0, heardOf - stream.newest) : 0;

  useTopicPosts(topicId, {
    postAdded(frame) {
      if (!stream.atEnd || frame.number <= stream.newest) return;
      const nextAndMine = me !== null && frame.author_id === me && frame.number === stream.newest + 1 && heardOf <= stream.newest;
      if (nextAndMine) void stream.loadNewer().catch(() => setHeardOf((number) => Math.max(number, frame.number)));
      else setHeardOf((number) => Math.max(number, frame.number));
    },
    resync() {
      // Posts added while the connection was down: counted, not shown.
      if (!stream.atEnd) return;
      listPosts(topicId, { from: stream.newest + 1, direction: "after" })
        .then((page) => {
          const last = page.items.at(-1);
          if (last) setHeardOf((number) => Math.max(number, last.number));
        })
        .catch(() => undefined); // the next post added tells again
    },
  });

  const show = useMutation({ mutationFn: () => stream.loadNewer() });
  return { count, show };
}
