// Starting a topic in a category (signed in): a button that opens a form
// for its title and opening post, which then opens the new topic.
import { Button, Group, Stack, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { createTopic } from "@/features/forum/api/forum-api";
import { useDraft } from "@/features/forum/hooks/use-draft";

const FIELDS = ["title", "body"];

export function NewTopic({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle, clearTitle] = useDraft(`topic-title:${slug}`);
  const [body, setBody, clearBody] = useDraft(`topic-body:${slug}`);
  // A draft left from before a reload opens the form again.
  const [open, setOpen] = useState(() => Boolean(title || body));
  const mutation = useMutation({
    mutationFn: () => createTopic(slug, title, body),
    onSuccess: async (created) => {
      clearTitle();
      clearBody();
      await queryClient.invalidateQueries({ queryKey: ["forum"] });
      navigate(`/forum/t/${created.topic.id}`);
    },
    onError: (error) => {
      if (isFormWide(error, FIELDS)) notify(problemMessage(t, error), { error: true });
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
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t("forum.newTopic")}>
      <Stack gap="xs">
        <TextInput
          label={t("forum.topicTitle")}
          value={title}
          maxLength={200}
          onChange={(event) => setTitle(event.currentTarget.value)}
          error={fieldError(mutation.error, "title")}
          autoFocus
        />
        <Textarea
          label={t("forum.openingPost")}
          description={t("forum.markdownHint")}
          autosize
          minRows={5}
          maxRows={16}
          maxLength={20000}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          error={fieldError(mutation.error, "body")}
        />
        <Group gap="xs">
          <Button type="submit" loading={mutation.isPending}>
            {t("forum.startTopic")}
          </Button>
          <Button variant="default" onClick={() => setOpen(false)} disabled={mutation.isPending}>
            {t("forum.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
