// Which language a reader gets: the one chosen here before, else the
// browser's first one we speak, else English. No dependencies: the build
// config (vite.config.ts) imports it too, for the script that preloads the
// language (src/lib/language-preload.ts), which must choose alike.

export const languages = ["en", "ru"] as const;
export type Language = (typeof languages)[number];

export const STORAGE_KEY = "noxchat.language";

export function isLanguage(value: string | null | undefined): value is Language {
  return value === "en" || value === "ru";
}

export function detectLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}
