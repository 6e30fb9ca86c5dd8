// Starts the real NoxChat server on a free port against a fresh database,
// serving the built app; returns the teardown that stops it and drops the
// database.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

async function waitUntilReady(url: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not become ready at ${url}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.NOXCHAT_BIN ?? resolve("../target/debug/noxchat");
  const serverUrl = new URL(process.env.NOXCHAT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  // The Rust tests' sweep removes leftovers of this prefix too.
  const database = `noxchat_test_${Math.floor(Date.now() / 1000)}_e2e${Math.random().toString(16).slice(2, 10)}`;
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${database}`;
  const dataDir = mkdtempSync(join(tmpdir(), "noxchat-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  const server = spawn(binary, ["serve"], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrl.toString(),
      NOXCHAT_BIND: `127.0.0.1:${port}`,
      NOXCHAT_PUBLIC_URL: baseUrl,
      NOXCHAT_DATA_DIR: dataDir,
      NOXCHAT_SPA_DIR: resolve("dist"),
      NOXCHAT_RATE_LIMITS: "off",
      // Admins, one per project and test (see e2e/forum-journeys.spec.ts, forum-screens.spec.ts).
      NOXCHAT_ADMIN_EMAILS: "boss-desktop@example.org,boss-phone@example.org,chief-desktop@example.org,chief-phone@example.org",
      NOXCHAT_WORKERS: "2",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitUntilReady(`${baseUrl}/readyz`);

  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_OUTBOX = join(dataDir, "outbox");

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    const admin = new URL(serverUrl);
    admin.pathname = "/postgres";
    spawnSync("psql", [admin.toString(), "-q", "-c", `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], {
      stdio: "inherit",
    });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
