// Fails when the committed generated API types differ from a fresh generation.
import { readFileSync } from "node:fs";

const [committed, fresh] = process.argv.slice(2);
if (readFileSync(committed, "utf8") !== readFileSync(fresh, "utf8")) {
  console.error(`${committed} is stale: run \`npm run api-types\` (or \`make openapi\`) and commit it.`);
  process.exit(1);
}
console.log(`${committed} matches its document in openapi/`);
