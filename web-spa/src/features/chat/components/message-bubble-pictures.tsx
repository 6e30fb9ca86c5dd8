// A message's pictures as thumbnails; each opens the viewer (loaded on
// demand) at itself, among the message's pictures.
import { UnstyledButton } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { useTranslation } from "react-i18next";

import type { ViewedPicture } from "@/components/ui/image-viewer";
import type { Picture } from "@/features/chat/api/chat-api";

const ImageViewer = lazy(() => import("@/components/ui/image-viewer").then((module) => ({ default: module.ImageViewer })));

/** A message's picture as the viewer shows it: unnamed, so named by its place ("Picture 2 of 3"). */
const viewed = (picture: Picture): ViewedPicture => ({ src: picture.url, alt: "", width: picture.width, height: picture.height });

/** Thumbnails are shown at most this wide; several side by side, smaller. */
const THUMB_MAX = 240;

export function MessagePictures({ pictures }: { pictures: Picture[] }) {
  const { t } = useTranslation();
  const [viewer, setViewer] = useState<{ index: number; opened: boolean } | null>(null);
  if (pictures.length === 0) return null;
  const size = pictures.length === 1 ? THUMB_MAX : THUMB_MAX / 2;
  return (
    <>
      <div style={{ display: "flex", flexWrap: "wrap", gap: 4 }}>
        {pictures.map((picture, index) => {
          // Its size known before it loads, so nothing below it moves when it does.
          const scale = Math.min(1, size / Math.max(picture.thumbnail_width, picture.thumbnail_height, 1));
          return (
            <UnstyledButton
              key={picture.id}
              onClick={() => setViewer({ index, opened: true })}
              aria-label={t("chatView.openPicture", { number: index + 1 })}
              style={{ cursor: "zoom-in", lineHeight: 0, maxWidth: "100%" }}
            >
              <img
                src={picture.thumbnail_url}
                alt=""
                width={Math.round(picture.thumbnail_width * scale)}
                height={Math.round(picture.thumbnail_height * scale)}
                loading="lazy"
                style={{ maxWidth: "100%", height: "auto", borderRadius: "var(--mantine-radius-sm)", display: "block" }}
              />
            </UnstyledButton>
          );
        })}
      </div>
      {viewer ? (
        <Suspense fallback={null}>
          <ImageViewer
            pictures={pictures.map(viewed)}
            index={viewer.index}
            opened={viewer.opened}
            onClose={() => setViewer({ ...viewer, opened: false })}
            onIndexChange={(index) => setViewer({ ...viewer, index })}
          />
        </Suspense>
      ) : null}
    </>
  );
}
