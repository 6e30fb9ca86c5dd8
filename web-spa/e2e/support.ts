// Shared helpers for the journeys: the base URL, reading the mail outbox,
// accessibility checks and screenshots a person can look at.
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

export const test = base.extend<{ contentSecurityPolicy: void }>({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  // Every journey also proves the app runs under its Content-Security-Policy:
  // Chromium reports each refused script, style or connection as an error.
  contentSecurityPolicy: [
    async ({ page }, use) => {
      const refused: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && message.text().includes("Content Security Policy")) refused.push(message.text());
      });
      await use();
      expect(refused, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const PASSWORD = "correct horse battery";

/** A handle no other test (or project) uses. */
export function uniqueHandle(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The token of the newest emailed link to `path` sent to `email`. */
export async function emailedToken(email: string, path: string): Promise<string> {
  const outbox = process.env.E2E_OUTBOX ?? "";
  for (let attempt = 0; attempt < 50; attempt++) {
    let names: string[] = [];
    try {
      names = readdirSync(outbox);
    } catch {
      // no mail yet
    }
    // A mail still being written is a hidden `.partial` file, renamed away at any moment.
    for (const name of names.filter((n) => n.endsWith(".eml") && !n.startsWith("."))) {
      let text: string;
      try {
        text = readFileSync(join(outbox, name), "utf8");
      } catch {
        continue;
      }
      // Quoted-printable: join soft line breaks, decode "=3D".
      const raw = text.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      if (!raw.includes(`To: ${email}`)) continue;
      const match = raw.match(new RegExp(`${path}#token=([A-Za-z0-9._-]+)`));
      if (match?.[1]) return match[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${path} link was mailed to ${email}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Fails on serious or critical accessibility violations (axe-core, WCAG 2 A/AA). */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated rather than added as a <script>, which the page's policy refuses.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (options: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  expect(violations, "serious or critical accessibility violations").toEqual([]);
}

/** Saves a screenshot under test-results/screenshots/ for people to look at. */
export async function snapshot(page: Page, name: string): Promise<void> {
  const project = test.info().project.name;
  await page.screenshot({ path: `test-results/screenshots/${project}-${name}.png`, fullPage: true });
}

/** Registers through the API and opens the emailed link, as a quick way to have an account. */
export async function registerByApi(page: Page, handle: string, email = `${handle}@example.org`): Promise<string> {
  const asked = await page.request.post("/api/v1/auth/register", {
    data: { email, handle, display_name: `${handle} E2E`, password: PASSWORD },
  });
  expect(asked.status()).toBe(202);
  const token = await emailedToken(email, "/confirm-registration");
  const created = await page.request.post("/api/v1/auth/register/confirm", { data: { token } });
  expect(created.status()).toBe(201);
  return email;
}

/** An access token for API calls made as `login`. */
export async function tokenOf(request: APIRequestContext, login: string): Promise<string> {
  const response = await request.post("/api/v1/auth/login", { data: { login, password: PASSWORD } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Starts a topic in General through the API; its id. */
export async function topicByApi(request: APIRequestContext, token: string, title: string, body: string): Promise<string> {
  const response = await request.post("/api/v1/categories/general/topics", {
    headers: { authorization: `Bearer ${token}` },
    data: { title, body },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { topic: { id: string } }).topic.id;
}

export async function replyByApi(request: APIRequestContext, token: string, topic: string, body: string): Promise<void> {
  const response = await request.post(`/api/v1/topics/${topic}/posts`, { headers: { authorization: `Bearer ${token}` }, data: { body } });
  expect(response.status()).toBe(201);
}
