// Asks before deleting a post; a moderator may note why, for the log.
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import type { Post } from "@/features/forum/api/forum-api";
import { deletePost, getPost } from "@/features/forum/api/posts-api";

interface Deleter {
  /** The reader wrote the post. */
  own: boolean;
  /** A moderator: keeps seeing the words, and may give a reason for the log. */
  moderator: boolean;
}

/** The post as the reader will now see it: the server's view, or our best guess if it cannot be read. */
async function deleteAndReread(post: Post, reason: string, { own, moderator }: Deleter): Promise<Post> {
  await deletePost(post.id, moderator ? reason : undefined);
  try {
    return await getPost(post.id);
  } catch {
    const deleted = { at: new Date().toISOString(), by_moderator: !own };
    // Only moderators keep seeing a deleted post's words.
    return moderator ? { ...post, deleted } : { ...post, deleted, body: null, html: null, images: [] };
  }
}

export function DeleteDialog({
  post,
  opened,
  onClose,
  deleter,
  onDeleted,
}: {
  post: Post;
  opened: boolean;
  onClose: () => void;
  deleter: Deleter;
  onDeleted: (post: Post) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const mutation = useMutation({
    mutationFn: () => deleteAndReread(post, reason, deleter),
    onSuccess: (deleted) => {
      onClose();
      onDeleted(deleted);
    },
  });
  // Opened again, the dialog starts afresh.
  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Modal opened={opened} onClose={close} title={t("post.deleteTitle", { number: post.number })} closeButtonProps={{ "aria-label": t("nav.close") }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text>{t("post.deleteQuestion")}</Text>
          {deleter.moderator ? (
            <TextInput label={t("post.moderatorReason")} maxLength={500} value={reason} onChange={(event) => setReason(event.currentTarget.value)} />
          ) : null}
          {mutation.isError ? (
            <Text c="red" role="alert">
              {problemMessage(t, mutation.error)}
            </Text>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" color="red" loading={mutation.isPending}>
              {t("common.delete")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
