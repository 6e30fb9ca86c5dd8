// The small menu on one's own message: edit (within the server's 48 hours,
// text messages only) and delete, after asking.
import { ActionIcon, Button, Group, Menu, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import { deleteMessage, type ChatMessage } from "@/features/chat/api/chat-api";
import { messageDeleted } from "@/features/chat/cache";
import { MoreIcon } from "@/features/chat/components/chat-icons";

/** How long the server lets a message be edited. */
export const EDIT_WINDOW_MS = 48 * 3600 * 1000;

export function canEdit(message: ChatMessage, now = Date.now()): boolean {
  return !message.deleted && !!message.body && now - new Date(message.created_at).getTime() < EDIT_WINDOW_MS;
}

export function MessageActions({ message, label, onEdit }: { message: ChatMessage; label: string; onEdit(): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteMessage(message.conversation_id, message.seq),
    onSuccess: () => {
      messageDeleted(queryClient, message.conversation_id, message.seq);
      setAsking(false);
    },
  });
  const close = () => {
    remove.reset();
    setAsking(false);
  };
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" size="md" aria-label={label}>
            <MoreIcon />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {canEdit(message) ? <Menu.Item onClick={onEdit}>{t("common.edit")}</Menu.Item> : null}
          {/* Mantine's red text (shade 6) is 3.3:1 on white: the app's error red reads in both schemes. */}
          <Menu.Item color="red" c="var(--mantine-color-error)" onClick={() => setAsking(true)}>
            {t("common.delete")}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={asking} onClose={close} title={t("chatView.deleteTitle")} closeButtonProps={{ "aria-label": t("nav.close") }}>
        <Stack gap="sm">
          <Text>{t("chatView.deleteQuestion")}</Text>
          {remove.isError ? (
            <Text c="var(--mantine-color-error)" role="alert">
              {problemMessage(t, remove.error)}
            </Text>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              {t("common.delete")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
