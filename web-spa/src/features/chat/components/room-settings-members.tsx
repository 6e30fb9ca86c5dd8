// A room's members in its settings: everyone with their avatar, the owner
// marked; the owner removes someone (after confirming, in place of that
// row) and adds friends. Answers go straight into the cached conversation.
import { Avatar, Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import { addMember, chatKeys, removeMember, type Conversation, type UserSummary } from "@/features/chat/api/chat-api";
import { setConversation, withConversation, type ConversationsData } from "@/features/chat/cache";
import { FriendAdder } from "@/features/chat/components/room-settings-friends";
import { ApiProblem } from "@/lib/problem";

/** Puts the server's fresh copy of a conversation wherever it is cached, keeping what only live events know (read marks). */
export function putConversation(queryClient: QueryClient, fresh: Conversation): void {
  const merge = (old: Conversation): Conversation => ({ ...old, ...fresh });
  queryClient.setQueryData<Conversation>(chatKeys.conversation(fresh.id), (old) => (old ? merge(old) : fresh));
  queryClient.setQueryData<ConversationsData>(chatKeys.conversations(), (list) => withConversation(list, fresh.id, merge));
}

export function MembersSection({ conversation, me }: { conversation: Conversation; me: string | null }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ownerId = conversation.owner?.id ?? null;
  const owner = conversation.kind === "room" && ownerId !== null && ownerId === me;
  const id = useId();
  const [confirming, setConfirming] = useState<string | null>(null);
  // Where the focus goes back to: the asking button on Cancel; the heading once its row is gone.
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);
  const remove = useMutation({
    mutationFn: (user: UserSummary) => removeMember(conversation.id, user.id),
    onSuccess: (_, user) => {
      setConfirming(null);
      heading.current?.focus();
      setConversation(queryClient, conversation.id, (old) => ({ ...old, members: old.members.filter((member) => member.id !== user.id) }));
    },
  });
  const add = useMutation({
    mutationFn: (user: UserSummary) => addMember(conversation.id, user.id),
    onSuccess: (fresh) => putConversation(queryClient, fresh),
  });
  const addRefused = add.error instanceof ApiProblem && add.error.fieldIssue("user_id") === "not_a_friend";
  return (
    <>
      <Stack gap="sm" component="section" aria-labelledby={`${id}-members`}>
        <Title order={3} size="h5" id={`${id}-members`} ref={heading} tabIndex={-1} style={{ outline: "none" }}>
          {t("chatSetup.membersCount", { count: conversation.members.length })}
        </Title>
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {conversation.members.map((member) => (
            <li key={member.id}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Avatar src={member.avatar.small} alt="" radius="xl" />
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate="end">
                      {member.display_name}
                      {member.id === me ? ` ${t("chatSetup.you")}` : ""}
                    </Text>
                    <Text size="xs" c="dimmed" truncate="end">
                      @{member.handle}
                    </Text>
                  </div>
                  {member.id === ownerId && conversation.kind === "room" ? (
                    <Badge size="sm" variant="light">
                      {t("chatSetup.owner")}
                    </Badge>
                  ) : null}
                </Group>
                {owner && member.id !== me ? (
                  <Button
                    ref={(button) => {
                      if (button) removeButtons.current.set(member.id, button);
                      else removeButtons.current.delete(member.id);
                    }}
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={t("chatSetup.removeNamed", { name: member.display_name })}
                    aria-expanded={confirming === member.id}
                    onClick={() => {
                      remove.reset();
                      setConfirming(member.id);
                    }}
                  >
                    {t("chatSetup.remove")}
                  </Button>
                ) : null}
              </Group>
              {confirming === member.id ? (
                <Confirm
                  question={t("chatSetup.removeQuestion", { name: member.display_name })}
                  action={t("chatSetup.remove")}
                  busy={remove.isPending}
                  error={remove.isError ? problemMessage(t, remove.error) : undefined}
                  onConfirm={() => remove.mutate(member)}
                  onCancel={() => {
                    setConfirming(null);
                    removeButtons.current.get(member.id)?.focus();
                  }}
                />
              ) : null}
            </li>
          ))}
        </Stack>
      </Stack>
      {owner ? (
        <Stack gap="xs" component="section" aria-labelledby={`${id}-add`}>
          <Title order={3} size="h5" id={`${id}-add`}>
            {t("chatSetup.addFriend")}
          </Title>
          <FriendAdder
            memberIds={conversation.members.map((member) => member.id)}
            adding={add.isPending ? (add.variables?.id ?? null) : null}
            onAdd={(user) => add.mutate(user)}
          />
          {add.isError ? (
            <Text c={addRefused ? undefined : "red"} size="sm" role="alert">
              {addRefused ? t("chatSetup.cannotAdd", { name: add.variables?.display_name ?? "" }) : problemMessage(t, add.error)}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </>
  );
}

/**
 * "Are you sure?" under the button that asked: a question, the action and
 * Cancel. Inline rather than a dialog over the drawer (one focus trap at a
 * time); the action takes the focus, so Enter confirms, and on Cancel the
 * caller hands the focus back to the asking button.
 */
export function Confirm({
  question,
  action,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  question: string;
  action: string;
  busy: boolean;
  error?: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} mt={6} p="xs" style={{ border: "1px solid var(--mantine-color-red-light)", borderRadius: "var(--mantine-radius-sm)" }}>
      <Text size="sm">{question}</Text>
      {error ? (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      ) : null}
      <Group gap="xs" justify="flex-end">
        <Button size="compact-sm" variant="default" onClick={onCancel}>
          {t("chatSetup.cancel")}
        </Button>
        <Button size="compact-sm" color="red" loading={busy} onClick={onConfirm} autoFocus>
          {action}
        </Button>
      </Group>
    </Stack>
  );
}
