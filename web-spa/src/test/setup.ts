import "@testing-library/jest-dom/vitest";
import { configure } from "@testing-library/react";

import i18n, { i18nReady } from "@/lib/i18n";
import en from "@/locales/en.json";
import ru from "@/locales/ru.json";

// The app fetches a language when it is needed; tests switch at will, so
// both are here from the start and setLanguage() takes effect at once.
for (const [language, bundle] of [
  ["en", en],
  ["ru", ru],
] as const) {
  i18n.addResourceBundle(language, "translation", bundle.translation);
  i18n.addResourceBundle(language, "fields", bundle.fields);
}
await i18nReady;

// findBy…/waitFor wait up to 1 s by default: on two cores shared with the
// rest of a CI run, a page that loads in steps took longer. Five seconds,
// still far inside each test's own limit.
configure({ asyncUtilTimeout: 5_000 });

// jsdom lacks these; Mantine asks for them.
Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
// Nothing is laid out, so nothing ever scrolls into view: lists load more by their buttons.
class IntersectionObserverStub {
  readonly root = null;
  readonly rootMargin = "0px";
  readonly thresholds = [0];
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
globalThis.IntersectionObserver ??= IntersectionObserverStub as unknown as typeof IntersectionObserver;
// jsdom has no FontFaceSet; Mantine's autosizing Textarea listens to it.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
}
