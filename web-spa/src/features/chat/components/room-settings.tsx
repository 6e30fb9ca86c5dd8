// A conversation's settings, in a drawer: muting (anyone), and for a room its
// name (the owner renames it), its members (the owner adds and removes
// them) and leaving it (anyone, after confirming). A direct chat shows its
// muting and its two members only.
import { Button, Drawer, Group, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { chatKeys, mute, removeMember, renameRoom, unmute, type Conversation } from "@/features/chat/api/chat-api";
import { withoutConversation, type ConversationsData } from "@/features/chat/cache";
import { ROOM_TITLE_MAX } from "@/features/chat/components/new-room-dialog";
import { Confirm, MembersSection, putConversation } from "@/features/chat/components/room-settings-members";
import { useViewer } from "@/lib/session";

export function RoomSettings({ conversation, opened, onClose }: { conversation: Conversation; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useViewer();
  const room = conversation.kind === "room";
  const owner = room && conversation.owner?.id === me;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      title={room ? t("chatSetup.roomSettings") : t("chatSetup.chatSettings")}
      closeButtonProps={{ "aria-label": t("nav.close") }}
    >
      <Stack gap="lg">
        {owner ? (
          // Renamed elsewhere (live), the field starts again from the new name.
          <RenameForm key={conversation.title} conversation={conversation} />
        ) : room ? (
          <Text fw={600} style={{ overflowWrap: "anywhere" }}>
            {conversation.title}
          </Text>
        ) : null}
        <MuteSwitch conversation={conversation} />
        <MembersSection conversation={conversation} me={me} />
        {room && me !== null ? <LeaveSection conversation={conversation} me={me} owner={owner} onLeft={onClose} /> : null}
      </Stack>
    </Drawer>
  );
}

function RenameForm({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(conversation.title ?? "");
  const rename = useMutation({
    mutationFn: () => renameRoom(conversation.id, title.trim()),
    onSuccess: (fresh) => {
      putConversation(queryClient, fresh);
      notify(t("chatSetup.renamed"));
    },
  });
  const empty = title.trim() === "";
  const unchanged = title.trim() === (conversation.title ?? "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!empty && !unchanged) rename.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t("chatSetup.roomTitle")}
            required
            maxLength={ROOM_TITLE_MAX}
            value={title}
            onChange={(event) => {
              setTitle(event.currentTarget.value);
              rename.reset();
            }}
            error={(empty ? t("chatSetup.titleRequired") : undefined) ?? fieldError(rename.error, "title")}
          />
          <Button type="submit" variant="default" disabled={empty || unchanged} loading={rename.isPending}>
            {t("chatSetup.rename")}
          </Button>
        </Group>
        {rename.isError && isFormWide(rename.error, ["title"]) ? (
          <Text c="red" size="sm" role="alert">
            {problemMessage(t, rename.error)}
          </Text>
        ) : null}
      </Stack>
    </form>
  );
}

function MuteSwitch({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (muted: boolean) => (muted ? mute(conversation.id) : unmute(conversation.id)),
    onSuccess: (fresh) => putConversation(queryClient, fresh),
  });
  // Shown as asked while the answer comes.
  const muted = change.isPending ? change.variables : conversation.muted;
  return (
    <Stack gap={4}>
      <Switch
        label={t("chatSetup.mute")}
        description={t("chatSetup.muteHint")}
        checked={muted}
        disabled={change.isPending}
        onChange={(event) => change.mutate(event.currentTarget.checked)}
      />
      {change.isError ? (
        <Text c="red" size="sm" role="alert">
          {problemMessage(t, change.error)}
        </Text>
      ) : null}
    </Stack>
  );
}

function LeaveSection({ conversation, me, owner, onLeft }: { conversation: Conversation; me: string; owner: boolean; onLeft: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const leave = useMutation({
    mutationFn: () => removeMember(conversation.id, me),
    onSuccess: () => {
      // Gone from the list at once (the live `conversation_left` says the same, later).
      queryClient.setQueryData<ConversationsData>(chatKeys.conversations(), (list) => withoutConversation(list, conversation.id));
      onLeft();
      void navigate("/chats");
    },
  });
  // An owner who leaves hands the room on; saying so keeps it from being a surprise.
  const question = owner
    ? t("chatSetup.leaveQuestionOwner", { title: conversation.title ?? "" })
    : t("chatSetup.leaveQuestion", { title: conversation.title ?? "" });
  return (
    <Stack gap="xs">
      <Group>
        <Button
          ref={button}
          variant="light"
          color="red"
          aria-expanded={confirming}
          onClick={() => {
            leave.reset();
            setConfirming(true);
          }}
        >
          {t("chatSetup.leave")}
        </Button>
      </Group>
      {confirming ? (
        <Confirm
          question={question}
          action={t("chatSetup.leaveConfirm")}
          busy={leave.isPending}
          error={leave.isError ? problemMessage(t, leave.error) : undefined}
          onConfirm={() => leave.mutate()}
          onCancel={() => {
            setConfirming(false);
            button.current?.focus();
          }}
        />
      ) : null}
    </Stack>
  );
}
