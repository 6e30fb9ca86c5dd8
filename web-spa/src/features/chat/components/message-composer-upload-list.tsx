// The composer's pictures in flight, each with its progress, and the ones
// refused, each with the reason.
import { CloseButton, Group, Progress, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import type { UploadItem, UploadRefusal } from "@/features/chat/components/message-composer-uploads";
import { MAX_PICTURES } from "@/lib/upload";

function useRefusalText() {
  const { t } = useTranslation();
  return (name: string, refusal: UploadRefusal): string => {
    switch (refusal.reason) {
      case "type":
        return t("composer.notPicture", { name });
      case "size":
        return t("composer.tooLarge", { name });
      case "count":
        return t("chatView.tooMany", { name, count: MAX_PICTURES });
      case "server":
        return t("composer.uploadFailed", { name, reason: problemMessage(t, refusal.error) });
    }
  };
}

export function UploadList({ items, onDismiss }: { items: UploadItem[]; onDismiss(key: number): void }) {
  const { t } = useTranslation();
  const refusalText = useRefusalText();
  if (items.length === 0) return null;
  return (
    <Stack gap={4}>
      {items.map((item) =>
        item.status === "failed" ? (
          <Group key={item.key} gap="xs" wrap="nowrap" align="flex-start">
            <Text role="alert" size="sm" c="var(--mantine-color-error)" style={{ flex: 1, overflowWrap: "anywhere" }}>
              {refusalText(item.name, item.refusal)}
            </Text>
            <CloseButton size="sm" aria-label={t("composer.dismiss")} onClick={() => onDismiss(item.key)} />
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
                aria-label={t("composer.uploading", { name: item.name })}
              />
            </Progress.Root>
            <CloseButton size="sm" aria-label={t("composer.cancelUpload", { name: item.name })} onClick={() => onDismiss(item.key)} />
          </Group>
        ),
      )}
    </Stack>
  );
}
