// The composer's preview: the server renders the Markdown exactly as the
// post would show (mentions, quotes), a moment after typing stops. Loaded
// only when someone opens the preview.
import { Text, Typography } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { problemMessage } from "@/components/ui/problem-text";
import { previewPost } from "@/features/forum/api/uploads-api";

const TYPING_PAUSE_MS = 300;

export default function ComposerPreview({ body, topicId }: { body: string; topicId?: string }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(body, TYPING_PAUSE_MS);
  const preview = useQuery({
    queryKey: ["forum", "preview", topicId ?? null, debounced],
    queryFn: () => previewPost(debounced, topicId),
    enabled: debounced.trim() !== "",
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  if (!body.trim()) return <Text c="dimmed">{t("composer.nothingToPreview")}</Text>;
  if (preview.isError) return <Text c="var(--mantine-color-error)">{problemMessage(t, preview.error)}</Text>;
  if (preview.data === undefined) return <Busy size="sm" />;
  // The server renders and sanitises this HTML (an allow-list), as it does for every post.
  return <Typography className="post-body" dangerouslySetInnerHTML={{ __html: preview.data }} />;
}
