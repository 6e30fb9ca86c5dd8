// The forum's latest topics, for the home page.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type LatestTopic = components["schemas"]["TopicSummary"];

/** How many the home page shows; the forum has the rest. */
export const LATEST_TOPICS_SHOWN = 10;

/** The viewer is in the key: a signed-in reader does not see what they blocked. */
export const homeKeys = {
  latestTopics: (viewer: string) => ["home", "latest-topics", viewer] as const,
};

export async function listLatestTopics(): Promise<LatestTopic[]> {
  const page = await call(api.GET("/api/v1/topics", { params: { query: { limit: LATEST_TOPICS_SHOWN } } }));
  return page.items;
}
