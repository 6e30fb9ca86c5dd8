// The end of a topic: a reply form for a signed-in reader, a sign-in link
// for a visitor, a note when the topic is locked.
import { Anchor, Button, Stack, Text, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { createPost, type Post, type Topic } from "@/features/forum/api/forum-api";
import { useDraft } from "@/features/forum/hooks/use-draft";
import { useSession } from "@/lib/session";

export function ReplyForm({ topic, onSent }: { topic: Pick<Topic, "id" | "locked">; onSent: (post: Post) => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  const session = useSession();
  const [body, setBody, clearBody] = useDraft(`reply:${topic.id}`);
  const mutation = useMutation({
    mutationFn: () => createPost(topic.id, body),
    onSuccess: (post) => {
      clearBody();
      onSent(post);
    },
    onError: (error) => {
      if (isFormWide(error, ["body"])) notify(problemMessage(t, error), { error: true });
    },
  });
  if (session.status === "loading") return null;
  if (topic.locked) return <Text c="dimmed">{t("forum.lockedNote")}</Text>;
  if (session.status === "anonymous") {
    return (
      <Text>
        <Anchor component={Link} to="/login" state={{ from: location.pathname + location.search }}>
          {t("forum.signInToReply")}
        </Anchor>
      </Text>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t("forum.replyForm")}>
      <Stack gap="xs">
        <Textarea
          label={t("forum.yourReply")}
          description={t("forum.markdownHint")}
          autosize
          minRows={4}
          maxRows={16}
          maxLength={20000}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          error={fieldError(mutation.error, "body")}
        />
        <Button type="submit" loading={mutation.isPending} disabled={!body.trim()} style={{ alignSelf: "flex-start" }}>
          {t("forum.sendReply")}
        </Button>
      </Stack>
    </form>
  );
}
