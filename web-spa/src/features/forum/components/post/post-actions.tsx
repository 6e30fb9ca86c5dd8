// Under a post: like, reply, quote, share, and a menu of the rest (edit,
// history, delete, report) as far as the reader may use them.
import { ActionIcon, Button, Group, Menu } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useRef, type RefObject } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import type { Post, Topic } from "@/features/forum/api/forum-api";
import { restorePost, type LikeState } from "@/features/forum/api/posts-api";
import { DeleteDialog } from "@/features/forum/components/post/delete-dialog";
import { LinkIcon, MoreIcon, QuoteIcon, ReplyIcon } from "@/features/forum/components/post/icons";
import { LikeButton } from "@/features/forum/components/post/like-button";
import type { PostPermissions } from "@/features/forum/components/post/permissions";
import { ReportDialog } from "@/features/forum/components/post/report-dialog";
import { selectedTextWithin } from "@/features/forum/components/post/selection";
import { useDialog } from "@/features/forum/components/post/use-dialog";

/** The address of a post that anyone can open: its topic, at its number. */
export function postUrl(topicId: string, number: number): string {
  return `${location.origin}/forum/t/${topicId}?post=${number}`;
}

export function RestoreButton({ post, onChanged }: { post: Post; onChanged?: (post: Post) => void }) {
  const { t } = useTranslation();
  const mutation = useMutation({
    mutationFn: () => restorePost(post.id),
    onSuccess: (restored) => {
      notify(t("post.restored"));
      onChanged?.(restored);
    },
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  return (
    <Button variant="default" size="compact-sm" loading={mutation.isPending} onClick={() => mutation.mutate()}>
      {t("post.restore")}
    </Button>
  );
}

export function PostActions({
  post,
  topic,
  can,
  bodyRef,
  onReply,
  onQuote,
  onChanged,
  onLiked,
  onEdit,
  onHistory,
}: {
  post: Post;
  topic: Pick<Topic, "id">;
  can: PostPermissions;
  /** The post's rendered text, where a selection to quote must lie. */
  bodyRef: RefObject<HTMLElement | null>;
  onReply?: (post: Post) => void;
  onQuote?: (post: Post, text: string) => void;
  onChanged?: (post: Post) => void;
  onLiked?: (number: number, state: LikeState) => void;
  onEdit: () => void;
  onHistory: () => void;
}) {
  const { t } = useTranslation();
  const deleting = useDialog();
  const reporting = useDialog();
  // Pressing the button may clear the selection before the click: read it on the way down.
  const pressedSelection = useRef("");

  const quote = () => {
    const selected = pressedSelection.current || selectedTextWithin(bodyRef.current);
    pressedSelection.current = "";
    onQuote?.(post, selected || (post.body ?? ""));
  };
  const share = async () => {
    const url = postUrl(topic.id, post.number);
    try {
      await navigator.clipboard.writeText(url);
      notify(t("post.linkCopied"));
    } catch {
      notify(t("post.copyFailed", { url }), { error: true });
    }
  };

  const menu = [
    can.edit ? (
      <Menu.Item key="edit" onClick={onEdit}>
        {t("common.edit")}
      </Menu.Item>
    ) : null,
    can.history ? (
      <Menu.Item key="history" onClick={onHistory}>
        {t("post.history")}
      </Menu.Item>
    ) : null,
    can.report ? (
      <Menu.Item key="report" onClick={reporting.open}>
        {t("post.report")}
      </Menu.Item>
    ) : null,
    can.remove ? (
      <Menu.Item key="delete" color="red" c="var(--mantine-color-error)" onClick={deleting.open}>
        {t("common.delete")}
      </Menu.Item>
    ) : null,
  ].filter(Boolean);

  const shareButton = post.deleted ? null : (
    <Button variant="subtle" color="gray" size="compact-sm" leftSection={<LinkIcon />} onClick={() => void share()}>
      {t("post.share")}
    </Button>
  );
  // A visitor may pass a post on too.
  if (!can.signedIn) {
    return (
      <Group gap={4} wrap="wrap">
        <LikeButton post={post} canLike={false} />
        {shareButton}
      </Group>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      <LikeButton post={post} canLike={can.like} onLiked={onLiked} />
      {can.reply && onReply ? (
        <Button variant="subtle" color="gray" size="compact-sm" leftSection={<ReplyIcon />} onClick={() => onReply(post)}>
          {t("post.reply")}
        </Button>
      ) : null}
      {can.reply && onQuote ? (
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          leftSection={<QuoteIcon />}
          onPointerDown={() => (pressedSelection.current = selectedTextWithin(bodyRef.current))}
          onClick={quote}
        >
          {t("post.quote")}
        </Button>
      ) : null}
      {shareButton}
      {menu.length > 0 ? (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t("post.moreActions", { number: post.number })}>
              <MoreIcon />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>{menu}</Menu.Dropdown>
        </Menu>
      ) : null}
      {deleting.wanted ? (
        <DeleteDialog
          post={post}
          opened={deleting.opened}
          onClose={deleting.close}
          deleter={{ own: can.own, moderator: can.moderator }}
          onDeleted={(deleted) => {
            notify(t("post.deleted"));
            onChanged?.(deleted);
          }}
        />
      ) : null}
      {reporting.wanted ? <ReportDialog post={post} opened={reporting.opened} onClose={reporting.close} /> : null}
    </Group>
  );
}
