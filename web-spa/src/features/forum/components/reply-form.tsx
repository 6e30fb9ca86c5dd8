// The end of a topic: a reply form for a signed-in reader (also in a locked
// topic for moderators), a sign-in link for a visitor, a note when the topic
// is locked. The topic page starts replies and quotes here through its handle.
import { Anchor, Button, CloseButton, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useImperativeHandle, useRef, useState, type FormEvent, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { createPost, type Post, type Topic } from "@/features/forum/api/forum-api";
import { Composer, type ComposerHandle } from "@/features/forum/components/composer/composer";
import { useDraft } from "@/features/forum/hooks/use-draft";
import { ApiProblem } from "@/lib/problem";
import { useSession } from "@/lib/session";

export interface ReplyFormHandle {
  /** Starts (or adds to) a reply quoting `text` from `post`, and brings the form into view. */
  quote(post: Post, text: string): void;
  /** Starts a reply to `post` and focuses the form. */
  replyTo(post: Post): void;
}

interface ReplyDraft {
  body: string;
  replyTo: number | null;
  imageIds: string[];
}

const EMPTY: ReplyDraft = { body: "", replyTo: null, imageIds: [] };
const FIELDS = ["body", "image_ids", "reply_to"];

/**
 * The draft once `sent` went out: what was sent goes, what was written
 * meanwhile stays (a changed text whole, a new post replied to, pictures added).
 */
function afterSending(current: ReplyDraft, sent: ReplyDraft): ReplyDraft {
  return {
    body: current.body === sent.body ? "" : current.body,
    replyTo: current.replyTo === sent.replyTo ? null : current.replyTo,
    imageIds: current.imageIds.filter((id) => !sent.imageIds.includes(id)),
  };
}

/**
 * The tags the server turns into a quote of the post. It names the post's
 * real author whatever handle the tag says, so a deleted author's stand-in will do.
 */
function quoteBlock(post: Post, text: string): string {
  const handle = post.author?.handle ?? "deleted";
  return `[quote="${handle}, post:${post.number}"]\n${text.trim()}\n[/quote]\n\n`;
}

export function ReplyForm({
  topic,
  onSent,
  ref,
}: {
  topic: Pick<Topic, "id" | "locked">;
  onSent(post: Post): void;
  ref?: Ref<ReplyFormHandle>;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const session = useSession();
  // Each person's drafts are their own, even on a shared browser.
  const owner = session.status === "signed-in" ? session.user.id : "";
  const [draft, setDraft] = useDraft(`reply:${owner}:${topic.id}`, EMPTY);
  const [uploading, setUploading] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const composer = useRef<ComposerHandle>(null);
  const mutation = useMutation({
    mutationFn: (sent: ReplyDraft) => createPost(topic.id, sent.body, { imageIds: sent.imageIds, replyTo: sent.replyTo }),
    onSuccess: (post, sent) => {
      // The reader may have gone on writing while it was sent.
      setDraft((current) => afterSending(current, sent));
      onSent(post);
    },
    onError: (error) => {
      if (isFormWide(error, FIELDS)) notify(problemMessage(t, error), { error: true });
      // An old draft's pictures are gone (the server keeps unused uploads a day): the next try goes without them.
      if (error instanceof ApiProblem && error.fieldIssue("image_ids") === "no_such_upload") setDraft({ imageIds: [] });
    },
  });

  useImperativeHandle(
    ref,
    () => ({
      quote(post, text) {
        setDraft({ replyTo: post.number });
        const block = quoteBlock(post, text);
        if (composer.current) composer.current.insert(block);
        else setDraft((current) => ({ body: current.body + block }));
        form.current?.scrollIntoView?.({ block: "center" });
      },
      replyTo(post) {
        setDraft({ replyTo: post.number });
        composer.current?.focus();
        form.current?.scrollIntoView?.({ block: "center" });
      },
    }),
    [setDraft],
  );

  if (session.status === "loading") return null;
  if (session.status === "anonymous") {
    return (
      <Text>
        <Anchor component={Link} to="/login" state={{ from: location.pathname + location.search }}>
          {t("forum.signInToReply")}
        </Anchor>
      </Text>
    );
  }
  const moderator = session.user.role === "moderator" || session.user.role === "admin";
  if (topic.locked && !moderator) return <Text c="dimmed">{t("forum.lockedNote")}</Text>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!uploading) mutation.mutate(draft);
  };
  const error = fieldError(mutation.error, "body") ?? fieldError(mutation.error, "image_ids") ?? fieldError(mutation.error, "reply_to");
  return (
    <form ref={form} onSubmit={submit} noValidate aria-label={t("forum.replyForm")}>
      <Stack gap="xs">
        {topic.locked ? <Text c="dimmed">{t("composer.lockedModeratorNote")}</Text> : null}
        {draft.replyTo !== null ? (
          <Group gap={4}>
            <Text size="sm">{t("composer.replyingTo", { number: draft.replyTo })}</Text>
            <CloseButton
              size="sm"
              aria-label={t("composer.stopReplyingTo", { number: draft.replyTo })}
              onClick={() => setDraft({ replyTo: null })}
            />
          </Group>
        ) : null}
        <Composer
          ref={composer}
          label={t("forum.yourReply")}
          value={draft.body}
          onChange={(body) => setDraft({ body })}
          imageIds={draft.imageIds}
          onImageIdsChange={(imageIds) => setDraft({ imageIds })}
          error={error}
          topicId={topic.id}
          onUploadingChange={setUploading}
        />
        <Group gap="xs">
          <Button type="submit" loading={mutation.isPending} disabled={!draft.body.trim() || uploading}>
            {t("forum.sendReply")}
          </Button>
          {uploading ? (
            <Text size="sm" c="dimmed">
              {t("composer.waitForPictures")}
            </Text>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}
