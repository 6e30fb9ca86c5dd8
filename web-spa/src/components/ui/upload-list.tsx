// Pictures in flight for what is being written (a post, a message), each with
// its progress, and the ones refused, each with the reason. Shared by the
// forum's composer and the messenger's; what differs is passed in.
import { CloseButton, Group, Progress, Stack, Text, type StackProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import { MAX_PICTURES } from "@/lib/upload";
import type { UploadItem, UploadRefusal } from "@/lib/use-picture-uploads";

function useRefusalText(tooMany: (name: string, count: number) => string) {
  const { t } = useTranslation();
  return (name: string, refusal: UploadRefusal): string => {
    switch (refusal.reason) {
      case "type":
        return t("common.notPicture", { name });
      case "size":
        return t("common.tooLarge", { name });
      case "count":
        return tooMany(name, MAX_PICTURES);
      case "server":
        return t("common.uploadFailed", { name, reason: problemMessage(t, refusal.error) });
    }
  };
}

export function UploadList({
  items,
  onDismiss,
  tooMany,
  gap = 6,
}: {
  items: UploadItem[];
  onDismiss(key: number): void;
  /** The refusal of a picture past the limit, in the words of what it was for ("a post can have at most…"). */
  tooMany(name: string, count: number): string;
  gap?: StackProps["gap"];
}) {
  const { t } = useTranslation();
  const refusalText = useRefusalText(tooMany);
  if (items.length === 0) return null;
  return (
    <Stack gap={gap}>
      {items.map((item) =>
        item.status === "failed" ? (
          <Group key={item.key} gap="xs" wrap="nowrap" align="flex-start">
            <Text role="alert" size="sm" c="var(--mantine-color-error)" style={{ flex: 1, overflowWrap: "anywhere" }}>
              {refusalText(item.name, item.refusal)}
            </Text>
            <CloseButton size="sm" aria-label={t("common.dismiss")} onClick={() => onDismiss(item.key)} />
          </Group>
        ) : (
          <Group key={item.key} gap="xs" wrap="nowrap">
            <Text size="sm" truncate="end" style={{ flex: "0 1 40%", minWidth: 0 }}>
              {item.name}
            </Text>
            <Progress.Root size="md" style={{ flex: 1 }}>
              <Progress.Section
                value={Math.round(item.progress * 100)}
                // Sent in full, the server still shrinks it: show that it is busy.
                animated={item.status === "sending" && item.progress >= 1}
                striped={item.status === "sending" && item.progress >= 1}
                aria-label={t("common.uploading", { name: item.name })}
              />
            </Progress.Root>
            <CloseButton size="sm" aria-label={t("common.cancelUpload", { name: item.name })} onClick={() => onDismiss(item.key)} />
          </Group>
        ),
      )}
    </Stack>
  );
}
