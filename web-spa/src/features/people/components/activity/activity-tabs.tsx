// A person's forum activity on their profile: the topics they started and
// their posts, in two tabs. The tab shown is in the URL (`?tab=posts`), so it
// survives a reload and going back.
import { Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { activityKeys, listAuthoredTopics, listUserPosts, type ActivityKind } from "@/features/people/api/activity-api";
import { AuthoredTopicRow, UserPostRow } from "@/features/people/components/activity/activity-rows";
import { PagedList } from "@/features/people/components/activity/paged-list";
import { useViewer } from "@/lib/session";

export function ActivityTabs({ handle, name }: { handle: string; name: string }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const kind: ActivityKind = params.get("tab") === "posts" ? "posts" : "topics";
  const show = (next: string | null) => {
    const changed = new URLSearchParams(params);
    if (next === "posts") changed.set("tab", "posts");
    else changed.delete("tab");
    setParams(changed, { replace: true });
  };
  if (viewer === null) return <Busy mx="auto" />;
  return (
    // Only the tab shown asks the server; the other keeps its pages in the cache.
    <Tabs value={kind} onChange={show} keepMounted={false}>
      <Tabs.List aria-label={t("activity.tabsLabel", { name })}>
        <Tabs.Tab value="topics">{t("activity.topics")}</Tabs.Tab>
        <Tabs.Tab value="posts">{t("activity.posts")}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="topics" pt="md">
        <PagedList
          queryKey={activityKeys.list(viewer, handle, "topics")}
          fetchPage={(cursor) => listAuthoredTopics(handle, cursor)}
          label={t("activity.topicsLabel", { name })}
          empty={t("activity.noTopics")}
          more={t("activity.moreTopics")}
          itemKey={(topic) => topic.id}
          renderItem={(topic) => <AuthoredTopicRow topic={topic} />}
        />
      </Tabs.Panel>
      <Tabs.Panel value="posts" pt="md">
        <PagedList
          queryKey={activityKeys.list(viewer, handle, "posts")}
          fetchPage={(cursor) => listUserPosts(handle, cursor)}
          label={t("activity.postsLabel", { name })}
          empty={t("activity.noPosts")}
          more={t("activity.morePosts")}
          itemKey={(post) => post.id}
          renderItem={(post) => <UserPostRow post={post} />}
        />
      </Tabs.Panel>
    </Tabs>
  );
}
