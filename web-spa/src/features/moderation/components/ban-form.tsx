// Banning a person (admins): their handle, the reason they will be shown, and
// for how long. Banning someone already banned replaces their ban.
import { Button, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { fieldError, problemMessage } from "@/components/ui/problem-text";
import { banUser, moderationKeys } from "@/features/moderation/api/moderation-api";
import { ApiProblem } from "@/lib/problem";

export const BAN_DURATIONS = ["day", "week", "month", "forever"] as const;
export type BanDuration = (typeof BAN_DURATIONS)[number];

const DAY_MS = 24 * 3600 * 1000;

/** When a ban of this length starting `now` ends, as the server takes it: null is for good. */
export function banEnd(duration: BanDuration, now: Date): string | null {
  switch (duration) {
    case "day":
      return new Date(now.getTime() + DAY_MS).toISOString();
    case "week":
      return new Date(now.getTime() + 7 * DAY_MS).toISOString();
    case "month": {
      const end = new Date(now);
      end.setMonth(end.getMonth() + 1);
      return end.toISOString();
    }
    case "forever":
      return null;
  }
}

/** The problems that are about the person named rather than the request as a whole. */
const ABOUT_PERSON = new Set(["user_not_found", "not_found", "role_is_admin"]);

export function BanForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [handle, setHandle] = useState("");
  const [reason, setReason] = useState("");
  const [duration, setDuration] = useState<BanDuration>("week");
  const [missing, setMissing] = useState<{ handle?: boolean; reason?: boolean }>({});
  const ban = useMutation({
    mutationFn: (person: string) => banUser(person, reason, banEnd(duration, new Date())),
    onSuccess: (_, person) => {
      notify(t("moderation.bans.banned", { handle: person }));
      setHandle("");
      setReason("");
      void queryClient.invalidateQueries({ queryKey: moderationKeys.bans() });
      void queryClient.invalidateQueries({ queryKey: moderationKeys.log(), refetchType: "none" });
    },
  });
  const personProblem = ban.error instanceof ApiProblem && ABOUT_PERSON.has(ban.error.code) ? problemMessage(t, ban.error) : undefined;
  const reasonProblem = fieldError(ban.error, "reason");
  const otherProblem = ban.error && !personProblem && !reasonProblem ? problemMessage(t, ban.error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const person = handle.trim().replace(/^@/, "");
    const blanks = { handle: !person, reason: !reason.trim() };
    setMissing(blanks);
    if (!blanks.handle && !blanks.reason) ban.mutate(person);
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit} noValidate aria-labelledby={titleId}>
        <Stack gap="sm">
          <Title order={3} size="h4" id={titleId}>
            {t("moderation.bans.formTitle")}
          </Title>
          <TextInput
            label={t("moderation.bans.handle")}
            leftSection="@"
            autoComplete="off"
            value={handle}
            onChange={(event) => setHandle(event.currentTarget.value)}
            error={missing.handle ? t("moderation.bans.handleMissing") : personProblem}
            required
          />
          <Textarea
            label={t("moderation.bans.reason")}
            description={t("moderation.bans.reasonHint")}
            autosize
            minRows={2}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={missing.reason ? t("moderation.bans.reasonMissing") : reasonProblem}
            required
          />
          <NativeSelect
            label={t("moderation.bans.duration")}
            value={duration}
            onChange={(event) => setDuration(event.currentTarget.value as BanDuration)}
            data={BAN_DURATIONS.map((value) => ({ value, label: t(`moderation.bans.durations.${value}`) }))}
          />
          {otherProblem ? (
            <Text c="red" size="sm" role="alert">
              {otherProblem}
            </Text>
          ) : null}
          <Button type="submit" color="red" loading={ban.isPending} style={{ alignSelf: "flex-start" }}>
            {t("moderation.bans.submit")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
