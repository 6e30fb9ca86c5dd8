// Writing a message: a text area that grows with the text (Enter sends,
// Shift+Enter starts a new line), pictures by button, paste or drop (each
// with its progress), sent through the outbox so it shows at once and goes
// out when it can. While typing, the others are told at most every 2 s.
import { ActionIcon, CloseButton, Group, Stack, Textarea, VisuallyHidden } from "@mantine/core";
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import { UploadList } from "@/components/ui/upload-list";
import type { Picture } from "@/features/chat/api/chat-api";
import { PaperclipIcon, SendIcon } from "@/features/chat/components/chat-icons";
import { MAX_MESSAGE } from "@/features/chat/components/message-bubble-edit";
import { useSendMessage } from "@/features/chat/hooks/use-send-message";
import { useViewer } from "@/lib/session";
import { useFileDrop } from "@/lib/use-file-drop";
import { MAX_PICTURES, PICTURE_TYPES } from "@/lib/upload";
import { usePictureUploads } from "@/lib/use-picture-uploads";

/**
 * What was typed in each conversation and not sent, while the app runs:
 * switching chats keeps it. Keyed by who typed it as well (`${userId}:${conversationId}`):
 * whoever signs in next on this tab, without a reload, does not see it.
 */
const drafts = new Map<string, string>();

export function MessageComposer({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const hintId = useId();
  const { send, typing } = useSendMessage(conversationId);
  const viewer = useViewer();
  const draftKey = `${viewer ?? "anonymous"}:${conversationId}`;
  const [text, setText] = useState(() => drafts.get(draftKey) ?? "");
  const [pictures, setPictures] = useState<Picture[]>([]);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // Uploads finish between renders: each builds on the last list, not on the rendered one.
  const attached = useRef<Picture[]>([]);
  const uploads = usePictureUploads({
    room: () => MAX_PICTURES - attached.current.length,
    onUploaded: (picture) => {
      attached.current = [...attached.current, picture];
      setPictures(attached.current);
    },
  });

  const change = (value: string) => {
    setText(value);
    if (value) drafts.set(draftKey, value);
    else drafts.delete(draftKey);
    if (value.trim()) typing();
  };

  const removePicture = (id: string) => {
    attached.current = attached.current.filter((picture) => picture.id !== id);
    setPictures(attached.current);
  };

  const body = text.trim();
  // Pictures still on their way would be left behind: the message waits for them.
  const ready = (body.length > 0 || pictures.length > 0) && !uploads.busy;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!ready) return;
    send(body || null, attached.current);
    change("");
    attached.current = [];
    setPictures([]);
    uploads.clearRefusals();
    textarea.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Shift+Enter is a new line; Enter while an input method composes a word finishes the word.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    submit();
  };

  const { dragging, onPaste, dropZone } = useFileDrop((files) => uploads.add(files));

  return (
    <form onSubmit={submit} noValidate {...dropZone} style={{ padding: "var(--mantine-spacing-xs) var(--mantine-spacing-sm)" }}>
      <Stack gap={6}>
        {pictures.length > 0 ? (
          <Group gap={6} aria-label={t("chatView.attached")} role="group">
            {pictures.map((picture, index) => (
              <div key={picture.id} style={{ position: "relative", lineHeight: 0 }}>
                <img src={picture.thumbnail_url} alt="" width={56} height={56} style={{ objectFit: "cover", borderRadius: "var(--mantine-radius-sm)" }} />
                <CloseButton
                  size="sm"
                  variant="filled"
                  aria-label={t("chatView.removePicture", { number: index + 1 })}
                  onClick={() => removePicture(picture.id)}
                  style={{ position: "absolute", top: 2, right: 2 }}
                />
              </div>
            ))}
          </Group>
        ) : null}
        <UploadList items={uploads.items} onDismiss={uploads.dismiss} tooMany={(name, count) => t("chatView.tooMany", { name, count })} gap={4} />
        <Group gap={6} wrap="nowrap" align="flex-end">
          <ActionIcon
            variant="subtle"
            color="gray"
            c="var(--mantine-color-text)"
            size={36}
            aria-label={t("chatView.addPictures")}
            title={t("chatView.addPictures")}
            onClick={() => picker.current?.click()}
          >
            <PaperclipIcon />
          </ActionIcon>
          <input
            ref={picker}
            type="file"
            accept={PICTURE_TYPES.join(",")}
            multiple
            hidden
            tabIndex={-1}
            data-testid="message-picture-input"
            onChange={(event) => {
              const files = Array.from(event.currentTarget.files ?? []);
              // The same file can be chosen again after a failure.
              event.currentTarget.value = "";
              if (files.length > 0) uploads.add(files);
            }}
          />
          <Textarea
            ref={textarea}
            aria-label={t("chatView.message")}
            aria-describedby={hintId}
            placeholder={t("chatView.placeholder")}
            autosize
            minRows={1}
            maxRows={6}
            maxLength={MAX_MESSAGE}
            value={text}
            onChange={(event) => change(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            style={{ flex: 1 }}
            styles={{
              input: dragging
                ? { borderStyle: "dashed", borderColor: "var(--mantine-primary-color-filled)", background: "var(--mantine-primary-color-light)" }
                : undefined,
            }}
          />
          <ActionIcon type="submit" size={36} aria-label={t("chatView.send")} title={t("chatView.send")} disabled={!ready}>
            <SendIcon />
          </ActionIcon>
        </Group>
        <VisuallyHidden id={hintId}>{t("chatView.hint")}</VisuallyHidden>
      </Stack>
    </form>
  );
}
