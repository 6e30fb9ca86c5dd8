// "Message" on someone's profile: opens (or makes) our direct conversation
// and goes there. A refusal is said in words next to the button; the server
// gives one answer for every reason, so the words do not guess which.
import { Button, Group, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { problemMessage } from "@/components/ui/problem-text";
import { openDirectConversation } from "@/features/people/api/direct-api";
import type { PublicProfile } from "@/features/people/api/people-api";
import { ApiProblem } from "@/lib/problem";

export function MessageButton({ user }: { user: PublicProfile }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const open = useMutation({
    mutationFn: () => openDirectConversation(user.id),
    onSuccess: (id) => void navigate(`/chats/${id}`),
  });
  const refused = open.error instanceof ApiProblem && open.error.code === "cannot_message";
  return (
    <Group gap="sm" wrap="wrap">
      <Button variant="default" loading={open.isPending} onClick={() => open.mutate()}>
        {t("chatSetup.message")}
      </Button>
      {open.isError ? (
        <Text c={refused ? undefined : "red"} size="sm" role="alert">
          {refused ? t("chatSetup.cannotMessage", { name: user.display_name }) : problemMessage(t, open.error)}
        </Text>
      ) : null}
    </Group>
  );
}
