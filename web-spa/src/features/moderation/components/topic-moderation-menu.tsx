// A topic's moderation menu (moderators and admins only): pin, lock, move to
// another category, rename, delete. Each asks first, with an optional note
// for the log; the changed topic goes to `onChanged`.
import { Button, Menu, NativeSelect, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError } from "@/components/ui/problem-text";
import {
  deleteTopic,
  FORUM_LISTS,
  listCategories,
  moderationKeys,
  moveTopic,
  renameTopic,
  switchTopic,
  type Topic,
  type TopicSwitch,
} from "@/features/moderation/api/moderation-api";
import { ActionModal } from "@/features/moderation/components/action-modal";
import { useStaffRole } from "@/features/moderation/hooks/use-staff-role";

type Dialog = TopicSwitch | "move" | "rename" | "delete";

interface Change {
  run(): Promise<Topic>;
  /** What to tell the moderator once it is done. */
  done: string;
}

export interface TopicModerationMenuProps {
  topic: Topic;
  onChanged(topic: Topic): void;
}

export function TopicModerationMenu({ topic, onChanged }: TopicModerationMenuProps) {
  const { t } = useTranslation();
  const role = useStaffRole();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // The menu item that opened a dialog is gone when it closes: the keyboard goes back to the menu's button.
  const menuButton = useRef<HTMLButtonElement>(null);
  const refreshLists = () => {
    for (const queryKey of FORUM_LISTS) void queryClient.invalidateQueries({ queryKey });
  };
  const change = useMutation({
    mutationFn: ({ run }: Change) => run(),
    onSuccess: (changed, { done }) => {
      close();
      notify(done);
      onChanged(changed);
      refreshLists();
    },
  });
  function close() {
    setDialog(null);
    menuButton.current?.focus();
  }
  const open = (next: Dialog) => {
    change.reset();
    setDialog(next);
  };
  if (!role) return null;
  const common = { onClose: close, pending: change.isPending, error: change.error };
  const pinChange: TopicSwitch = topic.pinned ? "unpin" : "pin";
  const lockChange: TopicSwitch = topic.locked ? "unlock" : "lock";
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button ref={menuButton} variant="default" size="xs">
            {t("moderation.topic.menu")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => open(pinChange)}>{t(`moderation.topic.${pinChange}.item`)}</Menu.Item>
          <Menu.Item onClick={() => open(lockChange)}>{t(`moderation.topic.${lockChange}.item`)}</Menu.Item>
          <Menu.Item onClick={() => open("move")}>{t("moderation.topic.move.item")}</Menu.Item>
          <Menu.Item onClick={() => open("rename")}>{t("moderation.topic.rename.item")}</Menu.Item>
          <Menu.Divider />
          <Menu.Item onClick={() => open("delete")}>{t("moderation.topic.delete.item")}</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {dialog === "pin" || dialog === "unpin" || dialog === "lock" || dialog === "unlock" ? (
        <ActionModal
          opened
          {...common}
          title={t(`moderation.topic.${dialog}.title`)}
          confirmLabel={t(`moderation.topic.${dialog}.confirm`)}
          onConfirm={(reason) => change.mutate({ run: () => switchTopic(topic.id, dialog, reason), done: t(`moderation.topic.${dialog}.done`) })}
        >
          <Text size="sm">{t(`moderation.topic.${dialog}.explained`)}</Text>
        </ActionModal>
      ) : null}
      {dialog === "move" ? (
        <MoveDialog
          topic={topic}
          {...common}
          onMove={(slug, name, reason) => change.mutate({ run: () => moveTopic(topic.id, slug, reason), done: t("moderation.topic.move.done", { name }) })}
        />
      ) : null}
      {dialog === "rename" ? (
        <RenameDialog
          topic={topic}
          {...common}
          onRename={(title, reason) => change.mutate({ run: () => renameTopic(topic.id, title, reason), done: t("moderation.topic.rename.done") })}
        />
      ) : null}
      {dialog === "delete" ? <DeleteDialog topic={topic} onClose={close} onDeleted={refreshLists} /> : null}
    </>
  );
}

interface DialogProps {
  topic: Topic;
  onClose(): void;
  pending: boolean;
  error: unknown;
}

function MoveDialog({ topic, onMove, ...props }: DialogProps & { onMove(slug: string, name: string, reason: string): void }) {
  const { t } = useTranslation();
  const categories = useQuery({ queryKey: moderationKeys.categories(), queryFn: listCategories });
  const [slug, setSlug] = useState(topic.category.slug);
  const target = categories.data?.find((category) => category.slug === slug);
  return (
    <ActionModal
      opened
      {...props}
      error={props.error ?? categories.error}
      focusReason={false}
      title={t("moderation.topic.move.title")}
      confirmLabel={t("moderation.topic.move.confirm")}
      confirmDisabled={!target || slug === topic.category.slug}
      onConfirm={(reason) => target && onMove(target.slug, target.name, reason)}
    >
      <NativeSelect
        label={t("moderation.topic.move.category")}
        description={t("moderation.topic.move.now", { name: topic.category.name })}
        value={slug}
        onChange={(event) => setSlug(event.currentTarget.value)}
        data={(categories.data ?? [topic.category]).map((category) => ({ value: category.slug, label: category.name }))}
        data-autofocus
      />
    </ActionModal>
  );
}

function RenameDialog({ topic, onRename, ...props }: DialogProps & { onRename(title: string, reason: string): void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(topic.title);
  const trimmed = title.trim();
  return (
    <ActionModal
      opened
      {...props}
      // A problem with the title shows on its field, not twice.
      error={fieldError(props.error, "title") ? null : props.error}
      focusReason={false}
      title={t("moderation.topic.rename.title")}
      confirmLabel={t("moderation.topic.rename.confirm")}
      confirmDisabled={trimmed.length < 3 || trimmed === topic.title}
      onConfirm={(reason) => onRename(trimmed, reason)}
    >
      <TextInput
        label={t("moderation.topic.rename.field")}
        description={t("moderation.topic.rename.hint")}
        value={title}
        maxLength={200}
        onChange={(event) => setTitle(event.currentTarget.value)}
        error={fieldError(props.error, "title")}
        data-autofocus
      />
    </ActionModal>
  );
}

function DeleteDialog({ topic, onClose, onDeleted }: { topic: Topic; onClose(): void; onDeleted(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: (reason: string) => deleteTopic(topic.id, reason),
    onSuccess: () => {
      notify(t("moderation.topic.delete.done", { title: topic.title }));
      onDeleted();
      navigate(`/forum/c/${topic.category.slug}`, { replace: true });
    },
  });
  return (
    <ActionModal
      opened
      onClose={onClose}
      danger
      pending={remove.isPending}
      error={remove.error}
      title={t("moderation.topic.delete.title")}
      confirmLabel={t("moderation.topic.delete.confirm")}
      onConfirm={(reason) => remove.mutate(reason)}
    >
      <Text size="sm" className="break-anywhere">
        {t("moderation.topic.delete.explained", { title: topic.title, count: topic.reply_count + 1 })}
      </Text>
    </ActionModal>
  );
}
