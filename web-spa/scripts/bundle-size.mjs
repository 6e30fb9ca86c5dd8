// Reports the JavaScript a first visit downloads (the entry script and the
// chunks index.html preloads), gzipped, and fails above the budget.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_KIB = 200;
const html = readFileSync("dist/index.html", "utf8");
const files = new Set();
for (const match of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) files.add(match[1]);
for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) files.add(match[1]);
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(`dist${file}`), { level: 9 }).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KiB  ${file}`);
}
const kib = total / 1024;
console.log(`initial JavaScript: ${kib.toFixed(1)} KiB gzipped (budget ${BUDGET_KIB} KiB)`);
if (kib > BUDGET_KIB) {
  console.error("over budget: split a route or drop a dependency");
  process.exit(1);
}
