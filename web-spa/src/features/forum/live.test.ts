import { QueryClient } from "@tanstack/react-query";

import { forumKeys, type Topic } from "@/features/forum/api/forum-api";
import { followTopic, registerForumLive } from "@/features/forum/live";
import { LiveRegistry } from "@/lib/realtime";

const TOPIC_ID = "t1";
const ME = "u1";

function topic(changes: Partial<Topic> = {}): Topic {
  return {
    id: TOPIC_ID,
    title: "Backups",
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 9,
    view_count: 7,
    last_post_number: 10,
    pinned: false,
    locked: false,
    reading: { status: "read", unread_count: 0, continue_at: 10 },
    watch_level: "normal",
    ...changes,
  };
}

function setUp() {
  const registry = new LiveRegistry();
  const queryClient = new QueryClient();
  registerForumLive(registry, queryClient, () => undefined);
  queryClient.setQueryData(forumKeys.topic(ME, TOPIC_ID), topic());
  const cached = () => queryClient.getQueryData<Topic>(forumKeys.topic(ME, TOPIC_ID));
  const postAdded = (number: number, author: string) => registry.topicPostAdded({ type: "topic_post_added", topic_id: TOPIC_ID, number, author_id: author });
  return { registry, queryClient, cached, postAdded };
}

describe("forum live updates", () => {
  it("count someone else's post as one more unread, the reader going on from the first of them", () => {
    const { cached, postAdded } = setUp();
    postAdded(11, "u2");
    expect(cached()).toMatchObject({ last_post_number: 11, reply_count: 10, reading: { status: "unread", unread_count: 1, continue_at: 11 } });
    postAdded(12, "u3");
    expect(cached()?.reading).toEqual({ status: "unread", unread_count: 2, continue_at: 11 });
    // Heard of twice (the reply form counted it already): once.
    postAdded(12, "u3");
    expect(cached()?.reading?.unread_count).toBe(2);
  });

  it("count the reader's own post (written elsewhere) as read up to it, as the server does", () => {
    const { cached, postAdded } = setUp();
    postAdded(11, "u2");
    postAdded(12, ME);
    expect(cached()).toMatchObject({ last_post_number: 12, reading: { status: "read", unread_count: 0, continue_at: 12 } });
  });

  it("leave a topic never opened opening at its start", () => {
    const { queryClient, cached, postAdded } = setUp();
    queryClient.setQueryData(forumKeys.topic(ME, TOPIC_ID), topic({ reading: { status: "new", unread_count: 10, continue_at: 1 } }));
    postAdded(11, "u2");
    expect(cached()?.reading).toEqual({ status: "new", unread_count: 11, continue_at: 1 });
  });

  it("after a reconnect, look for posts added to the shown topic meanwhile and read it again", () => {
    const { registry, queryClient } = setUp();
    queryClient.setQueryData(forumKeys.topic(ME, "elsewhere"), topic({ id: "elsewhere" }));
    const resync = vi.fn();
    const stop = followTopic({ topicId: TOPIC_ID, postAdded: () => undefined, resync });
    const invalidated = (id: string) => queryClient.getQueryState(forumKeys.topic(ME, id))?.isInvalidated;

    // A first connection: the general resync does it; nothing more here.
    registry.ready({} as never, true);
    expect(resync).not.toHaveBeenCalled();
    expect(invalidated(TOPIC_ID)).toBe(false);

    // The events resume, but nothing said of the topic while the connection was down.
    registry.ready({} as never, false);
    expect(resync).toHaveBeenCalledTimes(1);
    expect(invalidated(TOPIC_ID)).toBe(true);
    expect(invalidated("elsewhere")).toBe(false);
    stop();
  });
});
