// A post's pictures: the ones in its text become buttons, those shown apart
// become thumbnails; either opens the viewer (loaded on demand) at itself,
// among all of the post's pictures.
import { Group, UnstyledButton } from "@mantine/core";
import { lazy, Suspense, useEffect, useState, type KeyboardEvent, type MouseEvent, type RefObject } from "react";
import { useTranslation } from "react-i18next";

import type { ViewedPicture } from "@/components/ui/image-viewer";
import type { Picture } from "@/features/forum/api/forum-api";

const ImageViewer = lazy(() => import("@/components/ui/image-viewer").then((module) => ({ default: module.ImageViewer })));

/** Pictures of the post its text does not show already. */
export function picturesApart(pictures: Picture[], html: string): Picture[] {
  return pictures.filter((picture) => !html.includes(picture.url));
}

/** The pictures in the text that open the viewer: those not inside a link, which keep going where they point. */
function inlinePictures(body: HTMLElement): HTMLImageElement[] {
  return Array.from(body.querySelectorAll("img")).filter((img) => !img.closest("a"));
}

/**
 * Makes the pictures in the server's HTML reachable by keyboard and named for
 * screen readers, and gives back the handlers that open the viewer.
 */
export function usePictureViewer(bodyRef: RefObject<HTMLElement | null>, html: string | null | undefined, apart: Picture[]) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ pictures: ViewedPicture[]; index: number; opened: boolean } | null>(null);

  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    for (const img of inlinePictures(body)) {
      const alt = img.getAttribute("alt") ?? "";
      img.tabIndex = 0;
      img.setAttribute("role", "button");
      img.setAttribute("aria-label", alt ? t("post.openNamedPicture", { alt }) : t("post.openPicture"));
      // An empty alt marks an image as decoration, which a button cannot be.
      if (!alt) img.removeAttribute("alt");
      img.style.cursor = "zoom-in";
    }
  }, [bodyRef, html, t]);

  const all = (): ViewedPicture[] => {
    const inline = bodyRef.current ? inlinePictures(bodyRef.current).map((img) => ({ src: img.getAttribute("src") ?? "", alt: img.getAttribute("alt") ?? "" })) : [];
    return [...inline, ...apart.map((picture) => ({ src: picture.url, alt: "", width: picture.width, height: picture.height }))];
  };
  const open = (index: number) => setState({ pictures: all(), index, opened: true });
  const openInline = (target: EventTarget | null): boolean => {
    const body = bodyRef.current;
    if (!body || !(target instanceof HTMLImageElement)) return false;
    const index = inlinePictures(body).indexOf(target);
    if (index < 0) return false;
    open(index);
    return true;
  };

  return {
    /** For the body's click: true when it opened a picture. */
    onBodyClick: (event: MouseEvent<HTMLElement>) => {
      if (openInline(event.target)) event.preventDefault();
    },
    onBodyKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if ((event.key === "Enter" || event.key === " ") && openInline(event.target)) event.preventDefault();
    },
    /** Opens the viewer at the thumbnail `index` (counted after the pictures in the text). */
    openApart: (index: number) => open((bodyRef.current ? inlinePictures(bodyRef.current).length : 0) + index),
    viewer: state ? (
      <Suspense fallback={null}>
        <ImageViewer
          pictures={state.pictures}
          index={state.index}
          opened={state.opened}
          onClose={() => setState({ ...state, opened: false })}
          onIndexChange={(index) => setState({ ...state, index })}
        />
      </Suspense>
    ) : null,
  };
}

export function Thumbnails({ pictures, onOpen }: { pictures: Picture[]; onOpen: (index: number) => void }) {
  const { t } = useTranslation();
  if (pictures.length === 0) return null;
  return (
    <Group gap="xs">
      {pictures.map((picture, index) => (
        <UnstyledButton key={picture.id} onClick={() => onOpen(index)} aria-label={t("post.openPictureNumber", { number: index + 1 })} style={{ cursor: "zoom-in" }}>
          <img
            src={picture.thumbnail_url}
            alt=""
            width={picture.thumbnail_width}
            height={picture.thumbnail_height}
            loading="lazy"
            className="post-picture"
          />
        </UnstyledButton>
      ))}
    </Group>
  );
}
