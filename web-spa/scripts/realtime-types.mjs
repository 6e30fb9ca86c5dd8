// Generates the web app's WebSocket frame types from the AsyncAPI document
// (openapi/asyncapi.json), through openapi-typescript: the frames' schemas
// are JSON Schema in both documents, so nothing is written by hand.
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";

const [out = "src/api/realtime.ts"] = process.argv.slice(2);
const asyncapi = JSON.parse(
  readFileSync(new URL("../../openapi/asyncapi.json", import.meta.url), "utf8"),
);
const schemas = {
  openapi: "3.1.0",
  info: { title: asyncapi.info.title, version: asyncapi.info.version },
  paths: {},
  components: { schemas: asyncapi.components.schemas },
};
const ast = await openapiTS(schemas);
const closeCodes = asyncapi["x-close-codes"]
  .map((close) => `  /** ${close.meaning} */\n  ${close.reason}: ${close.code},`)
  .join("\n");
writeFileSync(
  out,
  `// Generated from openapi/asyncapi.json by scripts/realtime-types.mjs: do not edit.\n\n${astToString(ast)}
type Schemas = components["schemas"];
export type ClientFrame = Schemas["ClientFrame"];
export type ServerFrame = Schemas["ServerFrame"];
export type ServerFrameOf<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;
export type LiveEvent = Schemas["Event"];
export type LiveEventOf<T extends LiveEvent["type"]> = Extract<LiveEvent, { type: T }>;
export type FrameError = Schemas["FrameError"];

/** The server's close codes, by reason. */
export const CLOSE_CODES = {
${closeCodes}
} as const;
`,
);
