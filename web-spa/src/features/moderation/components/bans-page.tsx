// Bans in force, the latest first. Moderators see them; admins also ban
// people and lift bans.
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { listBans, liftBan, moderationKeys, type Ban } from "@/features/moderation/api/moderation-api";
import { ActionModal } from "@/features/moderation/components/action-modal";
import { BanForm } from "@/features/moderation/components/ban-form";
import { ListFooter } from "@/features/moderation/components/list-footer";
import { UserLink } from "@/features/moderation/components/user-link";
import { useStaffRole } from "@/features/moderation/hooks/use-staff-role";
import { RelativeTime } from "@/lib/relative-time";

export function BansPage() {
  const { t } = useTranslation();
  const isAdmin = useStaffRole() === "admin";
  const bans = useInfiniteQuery({
    queryKey: moderationKeys.bans(),
    queryFn: ({ pageParam }) => listBans(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? null,
  });
  const items = bans.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2} size="h3">
        {t("moderation.bans.title")}
      </Title>
      {isAdmin ? <BanForm /> : <Text c="dimmed">{t("moderation.bans.adminsDecide")}</Text>}
      {bans.isSuccess && items.length === 0 ? <Text c="dimmed">{t("moderation.bans.none")}</Text> : null}
      {items.length > 0 ? (
        <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("moderation.bans.list")}>
          {items.map((ban) => (
            <li key={ban.user.id}>
              <BanRow ban={ban} mayLift={isAdmin} />
            </li>
          ))}
        </Stack>
      ) : null}
      <ListFooter query={bans} />
    </Stack>
  );
}

function BanEnd({ until }: { until: string | null | undefined }) {
  const { t, i18n } = useTranslation();
  if (!until) return <>{t("moderation.bans.forGood")}</>;
  const end = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(until));
  return <>{t("moderation.bans.until", { date: end })}</>;
}

function BanRow({ ban, mayLift }: { ban: Ban; mayLift: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const lift = useMutation({
    mutationFn: (reason: string) => liftBan(ban.user.handle, reason),
    onSuccess: () => {
      setConfirming(false);
      notify(t("moderation.bans.lifted", { handle: ban.user.handle }));
      void queryClient.invalidateQueries({ queryKey: moderationKeys.bans() });
      void queryClient.invalidateQueries({ queryKey: moderationKeys.log(), refetchType: "none" });
    },
  });
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ minWidth: 0, flex: "1 1 16rem" }}>
          <Text fw={600}>
            <UserLink user={ban.user} />
          </Text>
          <Text size="sm" className="break-anywhere">
            <Text span inherit fw={600}>
              {t("moderation.bans.reasonShown")}:
            </Text>{" "}
            {ban.reason}
          </Text>
          <Text size="sm" c="dimmed">
            <BanEnd until={ban.until} /> · {t("moderation.bans.by")} <UserLink user={ban.banned_by} /> · <RelativeTime value={ban.created_at} />
          </Text>
        </Stack>
        {mayLift ? (
          <Button size="xs" variant="default" onClick={() => setConfirming(true)} aria-label={t("moderation.bans.liftFor", { handle: ban.user.handle })}>
            {t("moderation.bans.lift")}
          </Button>
        ) : null}
      </Group>
      {mayLift ? (
        <ActionModal
          opened={confirming}
          onClose={() => {
            setConfirming(false);
            lift.reset();
          }}
          title={t("moderation.bans.liftTitle", { handle: ban.user.handle })}
          confirmLabel={t("moderation.bans.lift")}
          pending={lift.isPending}
          error={lift.error}
          onConfirm={(reason) => lift.mutate(reason)}
        >
          <Text size="sm">{t("moderation.bans.liftExplained")}</Text>
        </ActionModal>
      ) : null}
    </Paper>
  );
}
