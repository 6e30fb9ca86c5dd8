// Editing one's own message in place: Enter saves, Shift+Enter is a new
// line, Escape gives up; the server's copy replaces the cached one at once.
import { Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import { fieldError, problemMessage } from "@/components/ui/problem-text";
import { editMessage, type ChatMessage } from "@/features/chat/api/chat-api";
import { messageEdited } from "@/features/chat/cache";

/** The server's limit on a message's text. */
export const MAX_MESSAGE = 4000;

export function MessageEditForm({ message, onDone }: { message: ChatMessage; onDone(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState(message.body ?? "");
  const save = useMutation({
    mutationFn: (text: string) => editMessage(message.conversation_id, message.seq, text),
    onSuccess: (edited) => {
      messageEdited(queryClient, edited);
      onDone();
    },
  });
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (!text || save.isPending) return;
    if (text === message.body) onDone();
    else save.mutate(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onDone();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const error = save.error ? (fieldError(save.error, "body") ?? problemMessage(t, save.error)) : null;
  return (
    <form onSubmit={submit} noValidate style={{ minWidth: "min(16rem, 100%)" }}>
      <Stack gap={6}>
        <Textarea
          aria-label={t("chatView.editLabel")}
          autosize
          minRows={1}
          maxRows={8}
          maxLength={MAX_MESSAGE}
          autoFocus
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {error ? (
          <Text role="alert" size="sm" c="var(--mantine-color-error)">
            {error}
          </Text>
        ) : null}
        <Group gap="xs" justify="flex-end">
          <Button size="compact-sm" variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button size="compact-sm" type="submit" loading={save.isPending} disabled={!body.trim()}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
