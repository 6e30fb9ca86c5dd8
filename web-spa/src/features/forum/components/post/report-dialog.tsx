// Reports a post to the moderators, with the reader's reason.
import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { fieldError, problemMessage } from "@/components/ui/problem-text";
import type { Post } from "@/features/forum/api/forum-api";
import { reportPost } from "@/features/forum/api/posts-api";
import { ApiProblem } from "@/lib/problem";

const MAX_REASON = 500;

export function ReportDialog({ post, opened, onClose }: { post: Post; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const mutation = useMutation({
    mutationFn: () => reportPost(post.id, reason.trim()),
    onSuccess: () => {
      setReason("");
      onClose();
      notify(t("post.reported"));
    },
  });
  const error = mutation.error;
  const already = error instanceof ApiProblem && error.code === "already_reported";
  const reasonError = fieldError(error, "reason");
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
    <Modal opened={opened} onClose={close} title={t("post.reportTitle", { number: post.number })} closeButtonProps={{ "aria-label": t("nav.close") }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t("post.reportHint")}</Text>
          <Textarea
            label={t("post.reportReason")}
            required
            autosize
            minRows={3}
            maxRows={8}
            maxLength={MAX_REASON}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={reasonError}
            description={t("post.charactersLeft", { count: MAX_REASON - reason.length })}
            data-autofocus
          />
          {error && !reasonError ? (
            <Text c="red" role="alert">
              {already ? t("post.alreadyReported") : problemMessage(t, error)}
            </Text>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={mutation.isPending} disabled={!reason.trim() || already}>
              {t("post.sendReport")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
