/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin, type Rolldown } from "vite";

import { STORAGE_KEY, languages } from "./src/lib/language.ts";
import { languagePreloadScript } from "./src/lib/language-preload.ts";

// The API server for `npm run dev` (see the README).
const apiServer = process.env.NOXCHAT_DEV_API ?? "http://127.0.0.1:8080";

// Each language's strings are a chunk of their own (src/lib/i18n.ts imports
// them on demand), named so that scripts/bundle-size.mjs can find them.
const LOCALE = /\/src\/locales\/(\w+)\.json$/;

/** The script that preloads the reader's language (src/lib/language-preload.ts), with its file name. */
function languagePreload(bundle: Rolldown.OutputBundle, base: string) {
  const chunks: Record<string, string> = {};
  for (const file of Object.values(bundle)) {
    const language = file.type === "chunk" && file.facadeModuleId ? LOCALE.exec(file.facadeModuleId)?.[1] : undefined;
    if (language) chunks[language] = base + file.fileName;
  }
  const source = languagePreloadScript({ chunks, languages, storageKey: STORAGE_KEY });
  const hash = createHash("sha256").update(source).digest("base64url").slice(0, 8);
  return { fileName: `assets/language-${hash}.js`, source };
}

/** Fetches the reader's language in parallel with the app's code rather than after it has run. */
function preloadLanguage(): Plugin {
  let base = "/";
  return {
    name: "noxchat:preload-language",
    apply: "build",
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const { fileName, source } = languagePreload(bundle, base);
      this.emitFile({ type: "asset", fileName, source });
    },
    transformIndexHtml: {
      order: "post",
      handler(html, { bundle }) {
        if (!bundle) return;
        const { fileName } = languagePreload(bundle, base);
        const tag = `<script async src="${base + fileName}"></script>`;
        // Just before the app's entry script; async, it holds nothing up.
        const entry = html.indexOf("<script type=\"module\"");
        if (entry < 0) throw new Error("preload-language: no entry script in index.html");
        return `${html.slice(0, entry)}${tag}\n    ${html.slice(entry)}`;
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadLanguage()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    proxy: {
      "/api": { target: apiServer, changeOrigin: false, ws: true },
      "/media": { target: apiServer, changeOrigin: false },
    },
  },
  build: {
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId && LOCALE.test(chunk.facadeModuleId) ? "assets/locale-[name]-[hash].js" : "assets/[name]-[hash].js",
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // Two shared cores under a full CI run: a form test that types and
    // clicks took 5.1 s once. A test that hangs still fails, just later.
    testTimeout: 15_000,
  },
});
