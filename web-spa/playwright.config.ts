// End-to-end journeys in Debian's Chromium against the real server, a fresh
// database and the built app (see e2e/global-setup.ts).
import { defineConfig } from "@playwright/test";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  reporter: [["list"]],
  outputDir: "test-results/output",
  globalSetup: "./e2e/global-setup.ts",
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
    screenshot: "only-on-failure",
    locale: "en-US",
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 800 } } },
    { name: "phone", use: { viewport: { width: 360, height: 740 }, hasTouch: true } },
  ],
});
