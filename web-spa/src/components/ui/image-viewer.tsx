// Pictures at full size, one at a time (a post's, a message's); the arrow
// keys (or buttons) go between them. Meant to be loaded on demand, with
// React's lazy(), when a picture is first opened.
import { ActionIcon, Group, Modal, Stack, Text } from "@mantine/core";
import { useWindowEvent } from "@mantine/hooks";
import { useTranslation } from "react-i18next";

export interface ViewedPicture {
  src: string;
  /** What the picture shows, as its author said ("" when nobody did: it is then named by its place). */
  alt: string;
  /** Its size, when known: the space is kept before it loads. */
  width?: number;
  height?: number;
}

function ChevronIcon({ direction }: { direction: "left" | "right" }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {direction === "left" ? <path d="M10 3 5 8l5 5" /> : <path d="M6 3l5 5-5 5" />}
    </svg>
  );
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
  const position = t("common.pictureOf", { number: index + 1, count });
  // The picture is all the dialog shows: it is never decoration, so it always has a name.
  const name = picture?.alt || position;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      centered
      title={name}
      closeButtonProps={{ "aria-label": t("nav.close") }}
      styles={{ title: { overflowWrap: "anywhere" } }}
    >
      {picture ? (
        <Stack gap="sm" align="center">
          <img
            src={picture.src}
            alt={name}
            width={picture.width}
            height={picture.height}
            style={{ display: "block", maxWidth: "100%", maxHeight: "75vh", width: "auto", height: "auto" }}
          />
          {count > 1 ? (
            <Group gap="sm" justify="center">
              <ActionIcon variant="default" size="lg" aria-label={t("common.previousPicture")} onClick={() => go(-1)}>
                <ChevronIcon direction="left" />
              </ActionIcon>
              <Text size="sm" aria-live="polite">
                {position}
              </Text>
              <ActionIcon variant="default" size="lg" aria-label={t("common.nextPicture")} onClick={() => go(1)}>
                <ChevronIcon direction="right" />
              </ActionIcon>
            </Group>
          ) : null}
        </Stack>
      ) : null}
    </Modal>
  );
}
