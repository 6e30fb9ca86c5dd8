// Which topics a list shows, kept in the address (`?filter=unread`) so a
// reload or a shared link shows the same; a visitor sees the latest only.
import { useSearchParams } from "react-router";

import type { TopicFilter } from "@/features/forum/api/forum-api";
import { useViewer } from "@/lib/session";

const FILTERS: readonly TopicFilter[] = ["latest", "unread", "mine"];

export function useTopicFilter(): [TopicFilter, (filter: TopicFilter) => void] {
  const [search, setSearch] = useSearchParams();
  const viewer = useViewer();
  const asked = FILTERS.find((filter) => filter === search.get("filter")) ?? "latest";
  const filter = viewer !== null && viewer !== "anonymous" ? asked : "latest";
  const change = (next: TopicFilter) =>
    setSearch(
      (old) => {
        const params = new URLSearchParams(old);
        if (next === "latest") params.delete("filter");
        else params.set("filter", next);
        return params;
      },
      { replace: true, preventScrollReset: true },
    );
  return [filter, change];
}
