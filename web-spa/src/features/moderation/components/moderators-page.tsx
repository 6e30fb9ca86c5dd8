// Appointing moderators (admins): a person's handle, then make them a
// moderator or an ordinary member again. Admins are appointed on the server.
import { Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { setModerator } from "@/features/moderation/api/moderation-api";
import { StaffOnly } from "@/features/moderation/components/staff-only";

export function ModeratorsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2} size="h3">
        {t("moderation.moderators.title")}
      </Title>
      <StaffOnly need="admin">
        <Text c="dimmed">{t("moderation.moderators.explained")}</Text>
        <Appoint />
      </StaffOnly>
    </Stack>
  );
}

function Appoint() {
  const { t } = useTranslation();
  const [handle, setHandle] = useState("");
  const [missing, setMissing] = useState(false);
  const appoint = useMutation({
    mutationFn: ({ person, moderator }: { person: string; moderator: boolean }) => setModerator(person, moderator),
    onSuccess: (_, { person, moderator }) => {
      notify(t(moderator ? "moderation.moderators.appointed" : "moderation.moderators.dismissed", { handle: person }));
      setHandle("");
    },
  });
  const send = (moderator: boolean) => {
    const person = handle.trim().replace(/^@/, "");
    setMissing(!person);
    if (person) appoint.mutate({ person, moderator });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(true);
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} noValidate aria-label={t("moderation.moderators.title")}>
        <Stack gap="sm">
          <TextInput
            label={t("moderation.moderators.handle")}
            leftSection="@"
            autoComplete="off"
            value={handle}
            onChange={(event) => setHandle(event.currentTarget.value)}
            error={missing ? t("moderation.bans.handleMissing") : appoint.error ? problemMessage(t, appoint.error) : undefined}
            required
          />
          <Group gap="xs">
            <Button type="submit" loading={appoint.isPending && appoint.variables?.moderator === true} disabled={appoint.isPending}>
              {t("moderation.moderators.appoint")}
            </Button>
            <Button
              variant="default"
              onClick={() => send(false)}
              loading={appoint.isPending && appoint.variables?.moderator === false}
              disabled={appoint.isPending}
            >
              {t("moderation.moderators.dismiss")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
