// A message's pictures at full size, one at a time; the arrow keys (or
// buttons) go between them. Loaded when a thumbnail is first opened.
import { ActionIcon, Group, Modal, Stack, Text } from "@mantine/core";
import { useWindowEvent } from "@mantine/hooks";
import { useTranslation } from "react-i18next";

import { ChevronIcon } from "@/features/chat/components/chat-icons";
import type { Picture } from "@/features/chat/api/chat-api";

export function PictureViewer({
  pictures,
  index,
  opened,
  onClose,
  onIndexChange,
}: {
  pictures: Picture[];
  index: number;
  opened: boolean;
  onClose(): void;
  onIndexChange(index: number): void;
}) {
  const { t } = useTranslation();
  const count = pictures.length;
  const picture = pictures[index];
  const go = (step: number) => onIndexChange((index + step + count) % count);
  useWindowEvent("keydown", (event) => {
    if (!opened || count < 2) return;
    if (event.key === "ArrowLeft") go(-1);
    else if (event.key === "ArrowRight") go(1);
  });
  const position = t("post.pictureOf", { number: index + 1, count });
  return (
    <Modal opened={opened} onClose={onClose} size="xl" centered title={position} closeButtonProps={{ "aria-label": t("nav.close") }}>
      {picture ? (
        <Stack gap="sm" align="center">
          <img
            src={picture.url}
            alt={position}
            width={picture.width}
            height={picture.height}
            style={{ display: "block", maxWidth: "100%", maxHeight: "75vh", width: "auto", height: "auto" }}
          />
          {count > 1 ? (
            <Group gap="sm" justify="center">
              <ActionIcon variant="default" size="lg" aria-label={t("post.previousPicture")} onClick={() => go(-1)}>
                <ChevronIcon direction="left" />
              </ActionIcon>
              <Text size="sm" aria-live="polite">
                {position}
              </Text>
              <ActionIcon variant="default" size="lg" aria-label={t("post.nextPicture")} onClick={() => go(1)}>
                <ChevronIcon direction="right" />
              </ActionIcon>
            </Group>
          ) : null}
        </Stack>
      ) : null}
    </Modal>
  );
}
