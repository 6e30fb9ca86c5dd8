// "New room": a title and the friends to put in it; made, it opens. What is
// wrong is said next to the field it concerns: the title, the friends (the
// server does not say which friend refused, so the words stay general), or,
// for the rest, under the form.
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { chatKeys, createRoom, type UserSummary } from "@/features/chat/api/chat-api";
import { FriendChooser } from "@/features/chat/components/room-settings-friends";
import { ApiProblem } from "@/lib/problem";

export const ROOM_TITLE_MAX = 100;

export function NewRoomDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t("chatSetup.newRoom")} closeButtonProps={{ "aria-label": t("nav.close") }}>
      {/* Mounted while open only: every opening starts afresh. */}
      {opened ? <NewRoomForm onDone={onClose} /> : null}
    </Modal>
  );
}

/** What to say about the chosen friends, when the server refused them. */
function membersProblem(t: ReturnType<typeof useTranslation>["t"], error: unknown): string | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  if (error.fieldIssue("member_ids") === "not_a_friend") return t("chatSetup.someoneRefuses");
  return fieldError(error, "member_ids");
}

function NewRoomForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [chosen, setChosen] = useState<UserSummary[]>([]);
  // Said only once a send was tried: an empty form is not an error.
  const [tried, setTried] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      createRoom(
        title.trim(),
        chosen.map((user) => user.id),
      ),
    onSuccess: (room) => {
      queryClient.setQueryData(chatKeys.conversation(room.id), room);
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
      onDone();
      void navigate(`/chats/${room.id}`);
    },
  });
  const titleMissing = title.trim() === "" ? t("chatSetup.titleRequired") : undefined;
  const nobodyChosen = chosen.length === 0 ? t("chatSetup.chooseFriends") : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (titleMissing || nobodyChosen || create.isPending) return;
    create.mutate();
  };
  const titleError = (tried ? titleMissing : undefined) ?? fieldError(create.error, "title");
  const membersError = (tried ? nobodyChosen : undefined) ?? membersProblem(t, create.error);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          data-autofocus
          required
          label={t("chatSetup.roomTitle")}
          maxLength={ROOM_TITLE_MAX}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          error={titleError}
        />
        <FriendChooser
          chosen={chosen}
          onChange={(next) => {
            setChosen(next);
            // A refusal was about the friends chosen then: a new choice may do.
            if (create.isError) create.reset();
          }}
          error={membersError}
        />
        {create.isError && isFormWide(create.error, ["title", "member_ids"]) ? (
          <Text c="red" size="sm" role="alert">
            {problemMessage(t, create.error)}
          </Text>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t("chatSetup.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("chatSetup.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
