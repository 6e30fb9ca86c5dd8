// A post's pictures at full size, one at a time; the arrow keys (or buttons)
// go between them. Loaded on demand.
import { ActionIcon, Group, Modal, Stack, Text } from "@mantine/core";
import { useWindowEvent } from "@mantine/hooks";
import { useTranslation } from "react-i18next";

import { ChevronIcon } from "@/features/forum/components/post/icons";

export interface ViewedPicture {
  src: string;
  alt: string;
}

export function ImageViewer({
  pictures,
  index,
  opened,
  onClose,
  onIndexChange,
}: {
  pictures: ViewedPicture[];
  index: number;
  opened: boolean;
  onClose: () => void;
  onIndexChange: (index: number) => void;
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
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      centered
      title={picture?.alt || position}
      closeButtonProps={{ "aria-label": t("nav.close") }}
      classNames={{ title: "break-anywhere" }}
    >
      {picture ? (
        <Stack gap="sm" align="center">
          <img src={picture.src} alt={picture.alt} style={{ display: "block", maxWidth: "100%", maxHeight: "75vh", height: "auto" }} />
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
