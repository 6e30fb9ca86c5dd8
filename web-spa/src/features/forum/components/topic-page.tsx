// A topic: its title and category, then its posts, opened at `?post=N`, else
// where a signed-in reader left off (as the server says on opening, not as
// cached); the address follows the reader so a reload comes back to the same
// post. Any post number is a jump away. At the end the reply form. A
// signed-in reader's place is marked as they read.
// While it is shown, a moderator's change to it (a lock, a new title, its
// deletion) is read again and shown at once.
import { Badge, Group, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useParams, useSearchParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import { problemMessage } from "@/components/ui/problem-text";
import { forumKeys, getTopic, type Post, type Topic } from "@/features/forum/api/forum-api";
import { ForumTrail } from "@/features/forum/components/forum-trail";
import { ReplyForm, type ReplyFormHandle } from "@/features/forum/components/reply-form";
import { JumpToPost } from "@/features/forum/components/topic/jump-to-post";
import { PostStream, type PostStreamHandle } from "@/features/forum/components/topic/post-stream";
import { WatchControl } from "@/features/forum/components/topic/watch-control";
import { useReadMarks } from "@/features/forum/hooks/use-read-marks";
import { useViewTopic } from "@/features/forum/hooks/use-topic-live";
import { countPost } from "@/features/forum/live";
import { TopicModerationMenu } from "@/features/moderation/components/topic-moderation-menu";
import { ApiProblem } from "@/lib/problem";
import { useViewer } from "@/lib/session";

/** `?post=N` as a post number; null when absent or not one. */
function postParam(value: string | null): number | null {
  if (value === null) return null;
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 ? number : null;
}

/** The newest post number the server says this reader has read (0 when none, or signed out). */
function lastRead(topic: Topic): number {
  return topic.reading ? Math.max(0, topic.last_post_number - topic.reading.unread_count) : 0;
}

/** Where the posts shown start; a new one (a jump) reads the posts around it afresh. */
interface Opening {
  number: number;
  jumped: boolean;
  serial: number;
}

function TopicReader({ topic }: { topic: Topic }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const signedIn = viewer !== null && viewer !== "anonymous";
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const location = useLocation();
  const asked = postParam(search.get("post"));
  const within = (number: number) => Math.min(Math.max(number, 1), Math.max(topic.last_post_number, 1));
  const [opening, setOpening] = useState<Opening>(() => ({
    number: within(asked ?? (signedIn ? topic.reading?.continue_at : undefined) ?? 1),
    jumped: false,
    serial: 0,
  }));
  /** The post number this page put in the address (or found there): another one is the reader going somewhere. */
  const inAddress = useRef(asked);
  const stream = useRef<PostStreamHandle>(null);
  const reply = useRef<ReplyFormHandle>(null);
  const observeRead = useReadMarks(topic.id, signedIn, lastRead(topic));
  useViewTopic(topic.id);

  /** A post already shown is scrolled to; any other is read afresh with those around it. */
  const go = (number: number) => {
    const target = within(number);
    if (!stream.current?.reveal(target)) setOpening((old) => ({ number: target, jumped: true, serial: old.serial + 1 }));
  };
  /** A move the reader made (a jump, their reply): a new entry in the history, through the router. */
  const goInAddress = (number: number) => {
    inAddress.current = number;
    setSearch(
      (old) => {
        const next = new URLSearchParams(old);
        next.set("post", String(number));
        return next;
      },
      { preventScrollReset: true },
    );
  };
  // A link to a post of this topic (#N, a quote), or Back, changed the
  // address: go there. The router's address may lag behind the reader's
  // scrolling (`followReader`), so each navigation counts, not a change of number.
  useEffect(() => {
    if (asked === null || asked === inAddress.current) return;
    inAddress.current = asked;
    go(asked);
  }, [location.key]); // only a navigation is a move: `go` itself reads refs

  /**
   * The post the reader scrolled to, put in the address in place (a reload
   * comes back to it) without telling the router: nothing on the page
   * depends on it, and every page under the router would render again at
   * each stop of the scrolling. The router's own moves keep the history's state.
   */
  const followReader = useCallback((number: number) => {
    inAddress.current = number;
    const url = new URL(window.location.href);
    url.searchParams.set("post", String(number));
    window.history.replaceState(window.history.state, "", url);
  }, []);
  const quote = useCallback((post: Post, text: string) => reply.current?.quote(post, text), []);
  const replyTo = useCallback((post: Post) => reply.current?.replyTo(post), []);

  const setTopic = (changed: Topic) => queryClient.setQueryData(forumKeys.topic(viewer ?? "", topic.id), changed);
  const sent = (post: Post) => {
    // Shown after the posts on screen; read further up, the reader is taken to it.
    if (!stream.current?.addSent(post)) {
      goInAddress(post.number);
      setOpening((old) => ({ number: post.number, jumped: true, serial: old.serial + 1 }));
    }
    const own = { topic_id: topic.id, number: post.number, author_id: viewer ?? "" };
    queryClient.setQueryData<Topic>(forumKeys.topic(viewer ?? "", topic.id), (old) => countPost(old, own, viewer));
    void queryClient.invalidateQueries({ queryKey: ["forum", "topics"], refetchType: "none" });
  };

  return (
    <Stack maw={800} mx="auto">
      <ForumTrail category={topic.category} />
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <PageHeading size="h2" className="break-anywhere">
          {topic.title}
        </PageHeading>
        {/* The title wraps; the menu keeps its width, even on a phone. */}
        <div style={{ flexShrink: 0 }}>
          <TopicModerationMenu topic={topic} onChanged={setTopic} />
        </div>
      </Group>
      {topic.pinned || topic.locked ? (
        <Group gap="xs">
          {topic.pinned ? <Badge variant="default">{t("forum.pinned")}</Badge> : null}
          {topic.locked ? <Badge variant="default">{t("forum.locked")}</Badge> : null}
        </Group>
      ) : null}
      <Group gap="md" align="flex-end" wrap="wrap">
        <JumpToPost
          last={topic.last_post_number}
          onJump={(number) => {
            if (within(number) !== inAddress.current) goInAddress(within(number));
            go(number);
          }}
        />
        {signedIn ? <WatchControl topic={topic} /> : null}
      </Group>
      <PostStream
        key={opening.serial}
        ref={stream}
        topic={topic}
        start={opening.number}
        opening={opening.jumped ? "focus" : opening.number > 1 ? "scroll" : "in-place"}
        observeRead={observeRead}
        onPosition={followReader}
        onQuote={quote}
        onReply={replyTo}
      />
      <ReplyForm ref={reply} topic={topic} onSent={sent} />
    </Stack>
  );
}

export function TopicPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const viewer = useViewer();
  const topic = useQuery({
    queryKey: forumKeys.topic(viewer ?? "", id),
    queryFn: () => getTopic(id),
    enabled: viewer !== null,
    // Each opening reads it (once: each read counts as a view), for where the
    // reader left off: a cached copy may be older than their reading
    // elsewhere. Coming back to the tab is not another view.
    refetchOnMount: "always",
    refetchOnWindowFocus: false,
  });
  /** The topic (by its key) whose reading on opening is done: the reader opens only then. */
  const [opened, setOpened] = useState<string | null>(null);
  const shownKey = `${viewer}:${id}`;
  // A failed reading (offline, say) opens what was cached.
  if (opened !== shownKey && viewer !== null && !topic.isFetching) setOpened(shownKey);
  if (topic.isPending || opened !== shownKey) return <Busy mx="auto" />;
  const shown = topic.data;
  if (shown === undefined) {
    return (
      <Stack maw={800} mx="auto">
        <ForumTrail />
        <Text c="red">{problemMessage(t, topic.error)}</Text>
      </Stack>
    );
  }
  if (topic.error instanceof ApiProblem && topic.error.status === 404) {
    // It was shown, then read again (a moderator changed it), and it is gone.
    return (
      <Stack maw={800} mx="auto">
        <ForumTrail category={shown.category} />
        <Text role="status" fw={600}>
          {t("forum.topicDeleted")}
        </Text>
      </Stack>
    );
  }
  // Reading it again failed otherwise (offline, say): what was read stays on screen.
  return <TopicReader key={id} topic={shown} />;
}
