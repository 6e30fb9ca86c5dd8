// A confirmation dialog for a moderator's action: what will happen, any
// fields the action needs, and an optional note for the log.
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";

export interface ActionModalProps {
  opened: boolean;
  onClose(): void;
  title: string;
  confirmLabel: string;
  /** Red for what cannot be undone. */
  danger?: boolean;
  pending: boolean;
  /** The failure of the last try, shown in the dialog (null while none). */
  error?: unknown;
  /** False for actions the server keeps no note for. */
  withReason?: boolean;
  /** False when one of the extra fields takes the focus first. */
  focusReason?: boolean;
  /** Stops confirming while the extra fields are not ready. */
  confirmDisabled?: boolean;
  onConfirm(reason: string): void;
  children?: ReactNode;
}

export function ActionModal({ opened, onClose, title, ...form }: ActionModalProps) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} closeButtonProps={{ "aria-label": t("nav.close") }}>
      {/* Mantine unmounts a closed dialog's content, so every opening starts afresh. */}
      <ActionForm onClose={onClose} {...form} />
    </Modal>
  );
}

function ActionForm({
  onClose,
  confirmLabel,
  danger = false,
  pending,
  error,
  withReason = true,
  focusReason = true,
  confirmDisabled = false,
  onConfirm,
  children,
}: Omit<ActionModalProps, "opened" | "title">) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending && !confirmDisabled) onConfirm(reason);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {children}
        {withReason ? (
          <TextInput
            label={t("moderation.noteLabel")}
            description={t("moderation.noteHint")}
            value={reason}
            maxLength={500}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus={focusReason || undefined}
          />
        ) : null}
        {error ? (
          <Text c="red" size="sm" role="alert">
            {problemMessage(t, error)}
          </Text>
        ) : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t("moderation.cancel")}
          </Button>
          <Button type="submit" color={danger ? "red" : undefined} loading={pending} disabled={confirmDisabled}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
