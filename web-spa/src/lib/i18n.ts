// Russian and English: chosen from the browser, switchable, remembered.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import en from "@/locales/en.json";
import ru from "@/locales/ru.json";

export const languages = ["en", "ru"] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = "noxchat.language";

function isLanguage(value: string | null | undefined): value is Language {
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

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en.translation, fields: en.fields },
    ru: { translation: ru.translation, fields: ru.fields },
  },
  lng: detectLanguage(),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language;

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

export function setLanguage(language: Language): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

/** A problem with a field (its code, e.g. `password_too_short`) in the reader's language; the server's English message when the app does not know the code yet. */
export function translateFieldIssue(code: string, message: string): string {
  return i18n.t(code, { ns: "fields", defaultValue: message });
}

export default i18n;
