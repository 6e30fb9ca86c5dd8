import { STORAGE_KEY, detectLanguage, languages } from "@/lib/language";
import { languagePreloadScript } from "@/lib/language-preload";

const chunks = { en: "/assets/locale-en-abc.js", ru: "/assets/locale-ru-def.js" };

function preloaded(): string[] {
  return [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map((link) =>
    link.getAttribute("href") ?? "",
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  for (const link of document.head.querySelectorAll('link[rel="modulepreload"]')) link.remove();
});

describe("the script that preloads the reader's language", () => {
  it.each([
    { stored: null, browser: ["ru-RU", "en"] },
    { stored: null, browser: ["de-DE", "en-GB", "ru"] },
    { stored: null, browser: ["de-DE"] },
    { stored: null, browser: [] },
    { stored: "ru", browser: ["en-US"] },
    { stored: "en", browser: ["ru"] },
    { stored: "constructor", browser: ["RU"] },
  ])("picks what the app will ask for (stored $stored, browser $browser)", ({ stored, browser }) => {
    if (stored) localStorage.setItem("noxchat.language", stored);
    vi.stubGlobal("navigator", { languages: browser });
    new Function(languagePreloadScript({ chunks, languages, storageKey: STORAGE_KEY }))();
    expect(preloaded()).toEqual([chunks[detectLanguage()]]);
    const link = document.head.querySelector<HTMLLinkElement>('link[rel="modulepreload"]');
    expect(link?.getAttribute("crossorigin")).toBe(""); // as Vite's own preloads: the same fetch as import()
  });
});
