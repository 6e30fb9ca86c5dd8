// The app asks for the reader's language only once all of its code has
// arrived and run. The build (vite.config.ts) puts this script, a file of its
// own (no inline scripts under our Content-Security-Policy), in index.html
// instead: it picks the language as detectLanguage (src/lib/language.ts) does
// and preloads that chunk alongside the app's code, where the app's own
// import() then finds it. Imported by the build config: no imports here.

interface Options {
  /** Each language's chunk, by URL. */
  chunks: Record<string, string>;
  /** What detectLanguage knows: `languages` and `STORAGE_KEY` of src/lib/language.ts. */
  languages: readonly string[];
  storageKey: string;
}

/** The script's source. */
export function languagePreloadScript({ chunks, languages, storageKey }: Options): string {
  return `(function () {
  var chunks = ${JSON.stringify(chunks)};
  var known = ${JSON.stringify(languages)};
  var language = null;
  try {
    language = localStorage.getItem(${JSON.stringify(storageKey)});
  } catch (error) {}
  if (known.indexOf(language) < 0) {
    language = "en";
    var tags = navigator.languages || [];
    for (var i = 0; i < tags.length; i++) {
      var base = String(tags[i]).toLowerCase().split("-")[0];
      if (known.indexOf(base) >= 0) {
        language = base;
        break;
      }
    }
  }
  if (!Object.prototype.hasOwnProperty.call(chunks, language)) return;
  var link = document.createElement("link");
  link.rel = "modulepreload";
  link.crossOrigin = "";
  link.href = chunks[language];
  document.head.appendChild(link);
})();
`;
}
