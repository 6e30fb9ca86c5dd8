// The forum's latest topics, for the home page.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type LatestTopic = components["schemas"]["TopicSummary"];

/** How many the home page shows; the forum has the rest. */
export const LATEST_TOPICS_SHOWN = 10;
/** How many are asked for: the list puts pinned topics first, which are left out here. */
const LATEST_TOPICS_ASKED = 20;

/** The viewer is in the key: a signed-in reader does not see what they blocked. */
export const homeKeys = {
  latestTopics: (viewer: string) => ["home", "latest-topics", viewer] as const,
};

/**
 * The topics with the latest activity. The server's list starts with the
 * pinned ones (whatever their age), then goes by activity: those are left out,
 * and what is left is newest first.
 */
export async function listLatestTopics(): Promise<LatestTopic[]> {
  const page = await call(api.GET("/api/v1/topics", { params: { query: { limit: LATEST_TOPICS_ASKED } } }));
  return page.items.filter((topic) => !topic.pinned).slice(0, LATEST_TOPICS_SHOWN);
}
