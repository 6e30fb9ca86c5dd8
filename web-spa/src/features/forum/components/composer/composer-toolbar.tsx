// The formatting buttons above the composer's text area, and the picture
// button with its hidden file picker.
import { ActionIcon, Group } from "@mantine/core";
import { useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { PICTURE_TYPES } from "@/features/forum/api/uploads-api";
import type { Format } from "@/features/forum/components/composer/markdown-edits";

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true">
      {children}
    </svg>
  );
}

const ICONS: Record<Format, ReactNode> = {
  bold: (
    <Icon>
      <path d="M4.5 2.5h4.25a2.75 2.75 0 0 1 0 5.5H4.5zM4.5 8h5a2.75 2.75 0 0 1 0 5.5h-5z" strokeWidth="2" />
    </Icon>
  ),
  italic: (
    <Icon>
      <path d="M6.5 2.5h6M3.5 13.5h6M9.75 2.5l-3.5 11" />
    </Icon>
  ),
  link: (
    <Icon>
      <path d="M6.75 9.25a3 3 0 0 0 4.25 0l2-2a3 3 0 0 0-4.25-4.25l-1 1M9.25 6.75a3 3 0 0 0-4.25 0l-2 2a3 3 0 0 0 4.25 4.25l1-1" />
    </Icon>
  ),
  quote: (
    <Icon>
      <path d="M2.5 3v10M6 4.5h7.5M6 8h7.5M6 11.5h5" />
    </Icon>
  ),
  code: (
    <Icon>
      <path d="M5 4.5 1.75 8 5 11.5M11 4.5 14.25 8 11 11.5M9.25 3l-2.5 10" />
    </Icon>
  ),
  bulletList: (
    <Icon>
      <path d="M6 4h8M6 8h8M6 12h8" />
      <circle cx="2.75" cy="4" r="0.9" fill="currentColor" />
      <circle cx="2.75" cy="8" r="0.9" fill="currentColor" />
      <circle cx="2.75" cy="12" r="0.9" fill="currentColor" />
    </Icon>
  ),
  numberedList: (
    <Icon>
      <path d="M6.5 4h7.5M6.5 8h7.5M6.5 12h7.5M2 2.75l1.25-.75v4M1.75 10.25a1.1 1.1 0 0 1 2 .5c0 .75-2 1.5-2 2.5h2.25" strokeWidth="1.2" />
    </Icon>
  ),
};

const PICTURE_ICON = (
  <Icon>
    <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" />
    <circle cx="5.5" cy="6.25" r="1.25" />
    <path d="m2 12 3.75-3.5 2.5 2.25 2.25-2 3.5 3.25" />
  </Icon>
);

const FORMATS: Format[] = ["bold", "italic", "link", "quote", "code", "bulletList", "numberedList"];

/** The shortcuts the text area knows, written the way this computer's keyboard says them. */
const SHORTCUTS: Partial<Record<Format, string>> = { bold: "B", italic: "I" };

function onApple(): boolean {
  return /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? "");
}

export function ComposerToolbar({
  onFormat,
  onPictures,
}: {
  onFormat(format: Format): void;
  onPictures(files: File[]): void;
}) {
  const { t } = useTranslation();
  const picker = useRef<HTMLInputElement>(null);
  // One stop for the Tab key; arrows move between the buttons (the toolbar pattern).
  const [stop, setStop] = useState(0);
  const modifier = onApple() ? "⌘" : "Ctrl+";
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(event.currentTarget.querySelectorAll("button"));
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 };
    const next = moves[event.key];
    if (at === -1 || next === undefined) return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };
  return (
    <Group gap={4} role="toolbar" aria-label={t("composer.toolbar")} wrap="wrap" onKeyDown={onKeyDown}>
      {FORMATS.map((format, at) => {
        const letter = SHORTCUTS[format];
        const name = t(`composer.${format}`);
        return (
          <ActionIcon
            key={format}
            variant="subtle"
            color="gray"
            // Mantine's grey icons are too faint to tell apart.
            c="var(--mantine-color-text)"
            size="lg"
            aria-label={name}
            title={letter ? `${name} (${modifier}${letter})` : name}
            aria-keyshortcuts={letter ? `${onApple() ? "Meta" : "Control"}+${letter}` : undefined}
            // Keeps the selection in the text area when clicked with a mouse.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onFormat(format)}
            tabIndex={at === stop ? 0 : -1}
            onFocus={() => setStop(at)}
          >
            {ICONS[format]}
          </ActionIcon>
        );
      })}
      <ActionIcon
        variant="subtle"
        color="gray"
        c="var(--mantine-color-text)"
        size="lg"
        aria-label={t("composer.picture")}
        title={t("composer.picture")}
        onClick={() => picker.current?.click()}
        tabIndex={stop === FORMATS.length ? 0 : -1}
        onFocus={() => setStop(FORMATS.length)}
      >
        {PICTURE_ICON}
      </ActionIcon>
      <input
        ref={picker}
        type="file"
        accept={PICTURE_TYPES.join(",")}
        multiple
        hidden
        tabIndex={-1}
        data-testid="composer-picture-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          // The same file can be chosen again after a failure.
          event.currentTarget.value = "";
          if (files.length > 0) onPictures(files);
        }}
      />
    </Group>
  );
}
