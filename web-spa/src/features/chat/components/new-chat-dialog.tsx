// "New chat": pick a person and go to our direct conversation. The search box
// keeps the focus and points at the highlighted person (a combobox with
// aria-activedescendant): type, arrows to move, Enter to open. Someone who
// does not take my messages is explained, in words, in the dialog.
import { Alert, Avatar, Group, Loader, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { chatKeys, openDirect, type UserSummary } from "@/features/chat/api/chat-api";
import { api, call } from "@/lib/api-client";
import { ApiProblem } from "@/lib/problem";
import { useViewer } from "@/lib/session";

const TYPING_PAUSE_MS = 250;

// Not in chat-api.ts: the directory search (the people feature's own is out of reach).
async function findPeople(q: string): Promise<UserSummary[]> {
  const query: { q?: string; limit: number } = { limit: 20 };
  if (q) query.q = q;
  return (await call(api.GET("/api/v1/users", { params: { query } }))).items;
}

export function NewChatDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t("chatSetup.newChat")} closeButtonProps={{ "aria-label": t("nav.close") }}>
      {/* Mounted while open only: every opening starts afresh. */}
      {opened ? <PersonPicker onDone={onClose} /> : null}
    </Modal>
  );
}

function PersonPicker({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useViewer();
  const listId = useId();
  const [text, setText] = useState("");
  const [q] = useDebouncedValue(text.trim(), TYPING_PAUSE_MS);
  const people = useQuery({
    queryKey: ["chat", "people", q],
    queryFn: () => findPeople(q),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options = (people.data ?? []).filter((user) => user.id !== me);
  const [highlight, setHighlight] = useState(0);
  const index = Math.min(highlight, options.length - 1);
  const [chosen, setChosen] = useState<UserSummary | null>(null);
  const open = useMutation({
    mutationFn: (user: UserSummary) => openDirect(user.id),
    onSuccess: (conversation) => {
      queryClient.setQueryData(chatKeys.conversation(conversation.id), conversation);
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversations() });
      onDone();
      void navigate(`/chats/${conversation.id}`);
    },
  });
  const choose = (user: UserSummary | undefined) => {
    if (!user || open.isPending) return;
    setChosen(user);
    open.mutate(user);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing || options.length === 0) return;
    const move = (to: number) => setHighlight((to + options.length) % options.length);
    if (event.key === "ArrowDown") move(index + 1);
    else if (event.key === "ArrowUp") move(index - 1);
    else if (event.key === "Enter") choose(options[index]);
    else return;
    event.preventDefault();
  };
  const refused = open.error instanceof ApiProblem && open.error.code === "cannot_message";
  return (
    <Stack gap="sm">
      <TextInput
        data-autofocus
        type="search"
        label={t("chatSetup.findPerson")}
        description={t("chatSetup.findPersonHint")}
        value={text}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setHighlight(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={options.length > 0}
        aria-controls={options.length > 0 ? listId : undefined}
        aria-activedescendant={options.length > 0 ? `${listId}-${index}` : undefined}
      />
      {open.isError && chosen ? (
        <Alert color={refused ? "yellow" : "red"} role="alert">
          {refused ? t("chatSetup.cannotMessage", { name: chosen.display_name }) : problemMessage(t, open.error)}
        </Alert>
      ) : null}
      {people.isPending ? <Busy mx="auto" size="sm" /> : null}
      {people.isError ? (
        <Text c="red" size="sm" role="alert">
          {problemMessage(t, people.error)}
        </Text>
      ) : null}
      {people.isSuccess && options.length === 0 ? <Text size="sm" c="dimmed">{t("chatSetup.nobody")}</Text> : null}
      {options.length > 0 ? (
        <PeopleList id={listId} options={options} index={index} opening={open.isPending ? chosen : null} onHighlight={setHighlight} onChoose={choose} />
      ) : null}
    </Stack>
  );
}

function PeopleList({
  id,
  options,
  index,
  opening,
  onHighlight,
  onChoose,
}: {
  id: string;
  options: UserSummary[];
  index: number;
  /** The person whose conversation is being opened. */
  opening: UserSummary | null;
  onHighlight(at: number): void;
  onChoose(user: UserSummary): void;
}) {
  const { t } = useTranslation();
  return (
    <Stack
      component="ul"
      role="listbox"
      id={id}
      aria-label={t("chatSetup.peopleFound")}
      aria-busy={opening !== null}
      gap={2}
      style={{ listStyle: "none", padding: 0, margin: 0, maxHeight: 360, overflowY: "auto" }}
    >
      {options.map((user, at) => (
        <li
          key={user.id}
          id={`${id}-${at}`}
          role="option"
          aria-selected={at === index}
          // The search box keeps the focus (and its caret) while a person is clicked.
          onMouseDown={(event) => event.preventDefault()}
          onMouseEnter={() => onHighlight(at)}
          onClick={() => onChoose(user)}
          style={{
            cursor: "pointer",
            padding: "6px 8px",
            borderRadius: "var(--mantine-radius-sm)",
            background: at === index ? "var(--mantine-color-default-hover)" : undefined,
          }}
        >
          <Group gap="sm" wrap="nowrap">
            <Avatar src={user.avatar.small} alt="" radius="xl" />
            <div style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" fw={500} truncate="end">
                {user.display_name}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                @{user.handle}
              </Text>
            </div>
            {opening?.id === user.id ? <Loader size="xs" aria-hidden /> : null}
          </Group>
        </li>
      ))}
    </Stack>
  );
}
