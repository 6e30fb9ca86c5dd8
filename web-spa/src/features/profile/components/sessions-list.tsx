import { Badge, Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { endSession, listSessions } from "@/features/profile/api/profile-api";
import { RelativeTime } from "@/lib/relative-time";
import { Busy } from "@/components/ui/busy";

export function SessionsList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ["sessions"], queryFn: listSessions });
  const end = useMutation({
    mutationFn: endSession,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["sessions"] }),
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  if (sessions.isPending) return <Busy />;
  if (sessions.isError) return <Text c="red">{problemMessage(t, sessions.error)}</Text>;
  return (
    <Stack>
      {sessions.data.map((session) => (
        <Paper key={session.id} withBorder p="sm">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={500}>{session.device}</Text>
                {session.current ? <Badge size="sm">{t("profile.thisDevice")}</Badge> : null}
              </Group>
              <Text size="sm" c="dimmed">
                {session.ip ?? ""} · {t("profile.lastUsed")} <RelativeTime value={session.last_used_at} />
              </Text>
            </Stack>
            {session.current ? null : (
              <Button size="xs" variant="default" onClick={() => end.mutate(session.id)} loading={end.isPending && end.variables === session.id}>
                {t("profile.endSession")}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
