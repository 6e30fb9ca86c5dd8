// How a signed-in reader follows a topic: told of every reply, of what
// concerns them (the usual), or of nothing.
import { NativeSelect } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { forumKeys, watchTopic, type Topic, type WatchLevel } from "@/features/forum/api/forum-api";
import { useViewer } from "@/lib/session";

const LEVELS: WatchLevel[] = ["watching", "normal", "muted"];

export function WatchControl({ topic }: { topic: Topic }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (level: WatchLevel) => watchTopic(topic.id, level),
    onSuccess: (level) =>
      queryClient.setQueryData<Topic>(forumKeys.topic(viewer ?? "", topic.id), (old) => (old ? { ...old, watch_level: level } : old)),
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  const level = change.isPending ? change.variables : (topic.watch_level ?? "normal");
  return (
    <NativeSelect
      size="xs"
      label={t("topic.watchLabel")}
      value={level}
      onChange={(event) => change.mutate(event.currentTarget.value as WatchLevel)}
      data={LEVELS.map((value) => ({ value, label: t(`topic.watch.${value}`) }))}
    />
  );
}
