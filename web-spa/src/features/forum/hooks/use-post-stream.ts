// A topic's posts as one unbroken run of numbers around where the reader
// opened it, growing both ways; and the page's own changes to it (a reply
// sent, a post edited, new posts shown) made in its cache.
import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";

import {
  forumKeys,
  listPosts,
  nextStretch,
  previousStretch,
  type Post,
  type PostPage,
  type PostStretch,
} from "@/features/forum/api/forum-api";
import { useViewer } from "@/lib/session";

type Posts = InfiniteData<PostPage, PostStretch>;

function newestNumber(data: { pages: PostPage[] } | undefined): number {
  for (const page of [...(data?.pages ?? [])].reverse()) {
    const last = page.items.at(-1);
    if (last) return last.number;
  }
  return 0;
}

/** Opened at post `start`: the posts from it on and (past the first) the page before it, read together. */
export function usePostStream(topicId: string, start: number) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const key = forumKeys.posts(viewer ?? "", topicId, start);
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => listPosts(topicId, pageParam),
    initialPageParam: { from: start, direction: start > 1 ? "around" : "after" } as PostStretch,
    // A refetch reads the pages again from the first (maybe a `before` page) on, by this.
    getNextPageParam: (last, _pages, lastStretch) => nextStretch(last, lastStretch),
    getPreviousPageParam: (first, _pages, firstStretch) => previousStretch(first, firstStretch),
    enabled: viewer !== null,
    // Read again page by page, the stream may come back cut differently from
    // what the reader is looking at: while it is shown, live frames and the
    // resync after a reconnect keep it current instead. Shown again later
    // (another visit, a jump back), it is read again at once.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    refetchOnMount: "always",
  });
  const posts = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const newest = newestNumber(query.data);
  /** Everything up to the topic's last post is shown: new posts would come next. */
  const atEnd = query.isSuccess && !query.hasNextPage;

  const update = useCallback(
    (change: (data: Posts) => Posts) =>
      queryClient.setQueryData<Posts>(forumKeys.posts(viewer ?? "", topicId, start), (data) => (data ? change(data) : data)),
    [queryClient, viewer, topicId, start],
  );
  const cached = useCallback(
    () => queryClient.getQueryData<Posts>(forumKeys.posts(viewer ?? "", topicId, start)),
    [queryClient, viewer, topicId, start],
  );

  /** Changes the post numbered `number` as it is now in the cache. */
  const change = useCallback(
    (number: number, edit: (post: Post) => Post) =>
      update((data) => ({
        ...data,
        pages: data.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.number === number ? edit(item) : item)) })),
      })),
    [update],
  );

  /** Puts a changed post (edited, deleted, restored) in place of the one with its number. */
  const replace = useCallback((post: Post) => change(post.number, () => post), [change]);

  /**
   * Sets some fields of the post numbered `number`, keeping the rest as
   * cached: a like's answer carries the like alone, and must not take back
   * an edit that came meanwhile.
   */
  const patch = useCallback((number: number, fields: Partial<Post>) => change(number, (post) => ({ ...post, ...fields })), [change]);

  /**
   * Adds posts that come right after the newest shown, when the shown ones
   * reach the end; any already shown (a reply added twice) are left out.
   */
  const append = useCallback(
    (page: PostPage) =>
      update((data) => {
        const newestShown = newestNumber(data);
        const items = page.items.filter((post) => post.number > newestShown);
        const first = items[0];
        if (!first || first.number !== newestShown + 1 || data.pages.at(-1)?.next_cursor) return data;
        return {
          pages: [...data.pages, { items, next_cursor: page.next_cursor }],
          pageParams: [...data.pageParams, { from: first.number, direction: "after" }],
        };
      }),
    [update],
  );

  /** Reads the posts after the newest shown and adds them; resolves to them. */
  const loadNewer = useCallback(async (): Promise<Post[]> => {
    const page = await listPosts(topicId, { from: newestNumber(cached()) + 1, direction: "after" });
    append(page);
    return page.items;
  }, [topicId, cached, append]);

  /**
   * A reply this reader sent, when the posts shown reach the end: shown at
   * once when it is the next post, else with those before it. False when
   * they do not reach the end.
   */
  const addSent = (post: Post): boolean => {
    if (!atEnd) return false;
    if (post.number === newestNumber(cached()) + 1) append({ items: [post], next_cursor: null });
    else void loadNewer().catch(() => undefined); // "More posts" and the new-replies bar still reach it
    return true;
  };

  return { query, posts, newest, atEnd, replace, patch, append, loadNewer, addSent };
}

export type PostStream = ReturnType<typeof usePostStream>;
