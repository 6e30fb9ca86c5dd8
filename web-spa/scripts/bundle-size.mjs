// Reports the JavaScript a first visit downloads before anything is drawn,
// gzipped, and fails above the budget: the scripts index.html loads (the
// entry, the chunks it preloads, the script that preloads the reader's
// language) and the larger of the language chunks (`locale-*.js`, see
// vite.config.ts), since the app waits for the reader's one to draw.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_KIB = 200;
const html = readFileSync("dist/index.html", "utf8");
const files = new Set();
for (const match of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) files.add(match[1]);
for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) files.add(match[1]);

const gzipped = (file) => gzipSync(readFileSync(`dist${file}`), { level: 9 }).length;
const line = (size, what) => console.log(`${(size / 1024).toFixed(1).padStart(7)} KiB  ${what}`);

let total = 0;
for (const file of files) {
  const size = gzipped(file);
  total += size;
  line(size, file);
}

const locales = readdirSync("dist/assets")
  .filter((name) => /^locale-.+\.js$/.test(name))
  .map((name) => ({ file: `/assets/${name}`, size: gzipped(`/assets/${name}`) }))
  .sort((a, b) => b.size - a.size);
if (locales.length === 0) {
  console.error("no language chunks (dist/assets/locale-*.js): see chunkFileNames in vite.config.ts");
  process.exit(1);
}
const [largest] = locales;
// Loaded up front already if something imports a language statically.
if (!locales.some(({ file }) => files.has(file))) {
  total += largest.size;
  line(largest.size, `${largest.file} (the larger language: ${locales.map(({ file }) => file.split("/").pop()).join(", ")})`);
}

const kib = total / 1024;
console.log(`initial JavaScript: ${kib.toFixed(1)} KiB gzipped (budget ${BUDGET_KIB} KiB)`);
if (kib > BUDGET_KIB) {
  console.error("over budget: split a route or drop a dependency");
  process.exit(1);
}
