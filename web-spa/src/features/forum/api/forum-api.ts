// The forum: categories, pages of topics, one topic and its posts by number;
// starting topics, replying, and the reader's place in a topic.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";

export type Category = components["schemas"]["Category"];
export type TopicSummary = components["schemas"]["TopicSummary"];
export type TopicPage = components["schemas"]["Page_TopicSummary"];
export type Topic = components["schemas"]["Topic"];
export type Post = components["schemas"]["Post"];
export type PostPage = components["schemas"]["Page_Post"];
export type Picture = components["schemas"]["Picture"];
export type CreatedTopic = components["schemas"]["CreatedTopic"];
export type WatchLevel = components["schemas"]["WatchLevel"];
export type Reading = components["schemas"]["Reading"];

/** Which topics a list shows: all, those with posts the reader has not read, or those they started or posted in. */
export type TopicFilter = "latest" | "unread" | "mine";

/**
 * Where a stretch of posts starts: `after` reads `from` and on, `before` the
 * posts just before it, `around` both at once (where a reader opens a topic).
 */
export interface PostStretch {
  from: number;
  direction: "after" | "before" | "around";
}

/**
 * Query keys. What a signed-in reader sees differs (unread state), so the
 * lists carry the viewer: another person's cached pages are never shown.
 */
export const forumKeys = {
  categories: () => ["forum", "categories"] as const,
  category: (slug: string) => ["forum", "category", slug] as const,
  topics: (viewer: string, slug: string | null, filter: TopicFilter = "latest") => ["forum", "topics", viewer, slug ?? "*", filter] as const,
  topic: (viewer: string, id: string) => ["forum", "topic", viewer, id] as const,
  posts: (viewer: string, id: string, start: number) => ["forum", "posts", viewer, id, start] as const,
};

export async function listCategories(): Promise<Category[]> {
  return (await call(api.GET("/api/v1/categories"))).items;
}

export async function getCategory(slug: string): Promise<Category> {
  return call(api.GET("/api/v1/categories/{slug}", { params: { path: { slug } } }));
}

/** A page of topics, pinned first then by latest activity: every category's, or one's. */
export async function listTopics(slug: string | null, cursor: string | null, filter: TopicFilter = "latest"): Promise<TopicPage> {
  const query = { ...(cursor ? { cursor } : {}), ...(filter === "latest" ? {} : { filter }) };
  if (slug === null) return call(api.GET("/api/v1/topics", { params: { query } }));
  return call(api.GET("/api/v1/categories/{slug}/topics", { params: { path: { slug }, query } }));
}

/** One topic; the server counts each read as a view. */
export async function getTopic(id: string): Promise<Topic> {
  return call(api.GET("/api/v1/topics/{id}", { params: { path: { id } } }));
}

export async function listPosts(id: string, stretch: PostStretch): Promise<PostPage> {
  if (stretch.direction === "around") return listPostsAround(id, stretch.from);
  const query = { from: stretch.from, direction: stretch.direction };
  return call(api.GET("/api/v1/topics/{id}/posts", { params: { path: { id }, query } }));
}

/**
 * The page from post `number` on and the page just before it, asked for
 * together, as one page: the reader lands on `number` and can scroll up at once.
 */
async function listPostsAround(id: string, number: number): Promise<PostPage> {
  const [before, after] = await Promise.all([
    number > 1 ? listPosts(id, { from: number, direction: "before" }) : null,
    listPosts(id, { from: number, direction: "after" }),
  ]);
  return { items: [...(before?.items ?? []), ...after.items], next_cursor: after.next_cursor };
}

/**
 * The stretch after a page read as `stretch`. A `before` page stops short of
 * the post it was read before, which is there: the posts from it on come
 * next (its own `next_cursor` only says whether there are more before it).
 * After any other page, the posts past its last, when the server said there
 * are more.
 */
export function nextStretch(last: PostPage, stretch: PostStretch): PostStretch | undefined {
  if (stretch.direction === "before") return { from: stretch.from, direction: "after" };
  const newest = last.items.at(-1);
  return last.next_cursor && newest ? { from: newest.number + 1, direction: "after" } : undefined;
}

/** The stretch before the first page read, unless it begins at post 1. */
export function previousStretch(first: PostPage, firstStretch: PostStretch): PostStretch | undefined {
  const oldest = first.items[0]?.number ?? firstStretch.from;
  return oldest > 1 ? { from: oldest, direction: "before" } : undefined;
}

/** Starts a topic in a category: its title and opening post (Markdown), with the pictures uploaded for it. */
export async function createTopic(slug: string, title: string, body: string, { imageIds = [] }: { imageIds?: string[] } = {}): Promise<CreatedTopic> {
  const request = imageIds.length > 0 ? { title, body, image_ids: imageIds } : { title, body };
  return call(api.POST("/api/v1/categories/{slug}/topics", { params: { path: { slug } }, body: request }));
}

/** Adds a post (Markdown) at the end of a topic, with its pictures and the number of the post it answers. */
export async function createPost(
  id: string,
  body: string,
  { imageIds = [], replyTo = null }: { imageIds?: string[]; replyTo?: number | null } = {},
): Promise<Post> {
  const request = {
    body,
    ...(imageIds.length > 0 ? { image_ids: imageIds } : {}),
    ...(replyTo !== null ? { reply_to: replyTo } : {}),
  };
  return call(api.POST("/api/v1/topics/{id}/posts", { params: { path: { id } }, body: request }));
}

/** How the reader follows a topic: `watching` is told of every reply, `muted` of nothing in it. */
export async function watchTopic(id: string, level: WatchLevel): Promise<WatchLevel> {
  return (await call(api.PUT("/api/v1/topics/{id}/watch", { params: { path: { id } }, body: { level } }))).level;
}

/** Tells the server the newest post number read (it ignores a smaller one than before); resolves to where the reader now stands. */
export async function markTopicRead(id: string, number: number): Promise<Reading> {
  return call(api.PUT("/api/v1/topics/{id}/read", { params: { path: { id } }, body: { last_read_number: number } }));
}
