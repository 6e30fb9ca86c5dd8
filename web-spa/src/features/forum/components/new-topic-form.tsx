// Starting a topic in a category (signed in): a button that opens a form
// for its title and opening post, which then opens the new topic.
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { createTopic } from "@/features/forum/api/forum-api";
import { Composer } from "@/features/forum/components/composer/composer";
import { useDraft } from "@/features/forum/hooks/use-draft";
import { ApiProblem } from "@/lib/problem";
import { useViewer } from "@/lib/session";

const FIELDS = ["title", "body", "image_ids"];

interface TopicDraft {
  title: string;
  body: string;
  imageIds: string[];
}

const EMPTY: TopicDraft = { title: "", body: "", imageIds: [] };

/** The draft once `sent` went out: what was sent goes, what was written meanwhile stays. */
function afterSending(current: TopicDraft, sent: TopicDraft): TopicDraft {
  return {
    title: current.title === sent.title ? "" : current.title,
    body: current.body === sent.body ? "" : current.body,
    imageIds: current.imageIds.filter((id) => !sent.imageIds.includes(id)),
  };
}

export function NewTopic({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Each person's drafts are their own, even on a shared browser.
  const owner = useViewer() ?? "";
  const [draft, setDraft] = useDraft(`topic:${owner}:${slug}`, EMPTY);
  const [uploading, setUploading] = useState(false);
  // A draft left from before a reload opens the form again.
  const [open, setOpen] = useState(() => Boolean(draft.title || draft.body || draft.imageIds.length));
  const mutation = useMutation({
    mutationFn: (sent: TopicDraft) => createTopic(slug, sent.title, sent.body, { imageIds: sent.imageIds }),
    onSuccess: async (created, sent) => {
      // Anything written while it was sent stays for next time.
      setDraft((current) => afterSending(current, sent));
      await queryClient.invalidateQueries({ queryKey: ["forum"] });
      navigate(`/forum/t/${created.topic.id}`);
    },
    onError: (error) => {
      if (isFormWide(error, FIELDS)) notify(problemMessage(t, error), { error: true });
      // An old draft's pictures are gone (the server keeps unused uploads a day): the next try goes without them.
      if (error instanceof ApiProblem && error.fieldIssue("image_ids") === "no_such_upload") setDraft({ imageIds: [] });
    },
  });
  if (!open) {
    return (
      <Button onClick={() => setOpen(true)} style={{ alignSelf: "flex-start" }}>
        {t("forum.newTopic")}
      </Button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!uploading) mutation.mutate(draft);
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t("forum.newTopic")}>
      <Stack gap="xs">
        <TextInput
          label={t("forum.topicTitle")}
          value={draft.title}
          maxLength={200}
          onChange={(event) => setDraft({ title: event.currentTarget.value })}
          error={fieldError(mutation.error, "title")}
          autoFocus
        />
        <Composer
          label={t("forum.openingPost")}
          value={draft.body}
          onChange={(body) => setDraft({ body })}
          imageIds={draft.imageIds}
          onImageIdsChange={(imageIds) => setDraft({ imageIds })}
          error={fieldError(mutation.error, "body") ?? fieldError(mutation.error, "image_ids")}
          minRows={5}
          onUploadingChange={setUploading}
        />
        <Group gap="xs">
          <Button type="submit" loading={mutation.isPending} disabled={uploading}>
            {t("forum.startTopic")}
          </Button>
          <Button variant="default" onClick={() => setOpen(false)} disabled={mutation.isPending}>
            {t("forum.cancel")}
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
