// Russian and English: chosen from the browser, switchable, remembered. Only
// the reader's language is downloaded (each is a chunk of its own, fetched
// alongside the app's code: see vite.config.ts); another one when the reader
// switches to it.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { STORAGE_KEY, detectLanguage, isLanguage, languages, type Language } from "@/lib/language";

export { detectLanguage, languages, type Language } from "@/lib/language";

interface Bundle {
  translation: object;
  fields: object;
}

// Literal paths, so that Vite makes a chunk of each (named `locale-<language>-<hash>.js`).
const bundles: Record<Language, () => Promise<{ default: Bundle }>> = {
  en: () => import("@/locales/en.json"),
  ru: () => import("@/locales/ru.json"),
};

const detected = detectLanguage();

// English stays the fallback, but it is only ever fetched when it is the
// language asked for or another one could not be loaded: both say every string.
void i18n.use(initReactI18next).init({
  resources: {},
  lng: detected,
  supportedLngs: [...languages],
  fallbackLng: "en",
  interpolation: { escapeValue: false },
});

const loading = new Map<Language, Promise<void>>();

function load(language: Language): Promise<void> {
  let pending = loading.get(language);
  if (!pending) {
    pending = bundles[language]().then(({ default: bundle }) => {
      i18n.addResourceBundle(language, "translation", bundle.translation);
      i18n.addResourceBundle(language, "fields", bundle.fields);
    });
    // Shared while in flight only: a failed fetch is tried again on the next switch.
    const settled = () => loading.delete(language);
    pending.then(settled, settled);
    loading.set(language, pending);
  }
  return pending;
}

/** The language last asked for: a slower load of an earlier choice does not overturn it. */
let wanted: Language = detected;

function apply(language: Language): void {
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

/** Shows `language`: at once when it is here, else once fetched. Never rejects. */
function show(language: Language): Promise<void> {
  wanted = language;
  if (i18n.hasResourceBundle(language, "translation")) {
    apply(language);
    return Promise.resolve();
  }
  return load(language).then(
    () => {
      if (wanted === language) apply(language);
    },
    (error: unknown) => {
      console.warn(`The ${language} translations could not be loaded`, error);
      // Keep the language on screen; with none yet (the first load), English.
      if (wanted === language && language !== "en" && !i18n.hasResourceBundle(i18n.language, "translation")) {
        return show("en");
      }
    },
  );
}

/** Settles when the reader's language (or, failing that, English) is loaded and shown: the app is drawn after it. */
export const i18nReady: Promise<void> = show(detected);

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

/** Remembers the choice and switches once the language is loaded (at once if it already is). */
export function setLanguage(language: Language): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
  return show(language);
}

/** A problem with a field (its code, e.g. `password_too_short`) in the reader's language; the server's English message when the app does not know the code yet. */
export function translateFieldIssue(code: string, message: string): string {
  return i18n.t(code, { ns: "fields", defaultValue: message });
}

export default i18n;
