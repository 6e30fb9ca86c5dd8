// Editing one's post in place: the composer over its Markdown, saved as a
// new revision. Loaded on demand, with the composer.
import { Button, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import type { Post } from "@/features/forum/api/forum-api";
import { editPost } from "@/features/forum/api/posts-api";
import { Composer } from "@/features/forum/components/composer/composer";

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((id, index) => id === b[index]);

export function PostEditForm({ post, onSaved, onCancel }: { post: Post; onSaved: (post: Post) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState(post.body ?? "");
  const originalImages = post.images.map((picture) => picture.id);
  const [imageIds, setImageIds] = useState(originalImages);
  const [uploading, setUploading] = useState(false);
  const mutation = useMutation({
    // Unchanged pictures are left out: the server then keeps them as they are.
    mutationFn: () => editPost(post.id, body, sameList(imageIds, originalImages) ? undefined : imageIds),
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const imagesError = fieldError(mutation.error, "image_ids");
  return (
    <form onSubmit={submit} noValidate aria-label={t("post.editForm", { number: post.number })}>
      <Stack gap="xs">
        <Composer
          label={t("post.editLabel")}
          value={body}
          onChange={setBody}
          imageIds={imageIds}
          onImageIdsChange={setImageIds}
          error={fieldError(mutation.error, "body") ?? null}
          minRows={4}
          autoFocus
          topicId={post.topic_id}
          onUploadingChange={setUploading}
        />
        {imagesError ? (
          <Text c="red" size="sm" role="alert">
            {imagesError}
          </Text>
        ) : null}
        {mutation.isError && isFormWide(mutation.error, ["body", "image_ids"]) ? (
          <Text c="red" size="sm" role="alert">
            {problemMessage(t, mutation.error)}
          </Text>
        ) : null}
        <Group gap="sm">
          <Button type="submit" loading={mutation.isPending} disabled={!body.trim() || uploading}>
            {t("common.save")}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
