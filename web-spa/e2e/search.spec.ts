// Searching the forum from the header, as a visitor who is not signed in, in a real browser.
import { PASSWORD, expect, expectAccessible, registerByApi, snapshot, test, uniqueHandle } from "./support";
import type { APIRequestContext, Locator, Page } from "@playwright/test";

/** An access token for `login`, signed in through the API. */
async function accessToken(request: APIRequestContext, login: string): Promise<string> {
  const response = await request.post("/api/v1/auth/login", { data: { login, password: PASSWORD } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The site's search box: in the header, or on a phone in the menu behind the menu button. */
async function siteSearchBox(page: Page): Promise<Locator> {
  const menu = page.getByRole("button", { name: "Navigation" });
  if (await menu.isVisible()) await menu.click();
  return page.getByRole("search", { name: "Site search" }).getByRole("searchbox", { name: "Search NoxChat" });
}

test("a signed-out visitor finds a Russian topic despite a typo and opens it", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  // The handle keeps the title apart from the other project's run against the same server.
  const title = `Как настроить сервер PostgreSQL для форума (${anna})`;

  // Anna starts the topic through the API, in a browser of her own:
  // the visitor's browser never holds a session.
  const writers = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const writerPage = await writers.newPage();
  await registerByApi(writerPage, anna);
  const started = await writers.request.post("/api/v1/categories/general/topics", {
    headers: { Authorization: `Bearer ${await accessToken(writers.request, anna)}` },
    data: { title, body: "Какие параметры памяти и соединений выбрать для небольшого форума?" },
  });
  expect(started.status()).toBe(201);
  const topicId = ((await started.json()) as { topic: { id: string } }).topic.id;
  await writers.close();

  // From the home page, the header's box: "сервир" is one letter off "сервер".
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "A forum and a messenger in one" })).toBeVisible();
  const box = await siteSearchBox(page);
  await box.fill("настроить сервир");
  await box.press("Enter");

  await expect(page.getByRole("heading", { name: "Search", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Search · NoxChat");
  // The search is in the address, to link to or come back to.
  await expect.poll(() => Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: "настроить сервир", type: "topics" });
  await expect(page.getByRole("main").getByRole("searchbox", { name: "Search for" })).toHaveValue("настроить сервир");
  // Signed out: topics and posts only.
  await expect(page.getByRole("tablist", { name: "What to search" }).getByRole("tab")).toHaveText(["Topics", "Posts"]);
  await expect(page.getByRole("tab", { name: "Topics" })).toHaveAttribute("aria-selected", "true");

  const result = page.getByRole("list", { name: "Topics found" }).getByRole("listitem").filter({ hasText: anna });
  const link = result.getByRole("link", { name: title });
  await expect(link).toHaveAttribute("href", `/forum/t/${topicId}`);
  // The words meant are marked, the misspelt one included.
  await expect(link.locator("mark")).toHaveText(["настроить", "сервер"]);
  await expect(result.getByRole("link", { name: "General" })).toBeVisible();
  // A pointer left on the menu button (on a phone) would be audited in its hover colours.
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "search");

  await link.click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/forum/t/${topicId}$`));
  await expect(page.getByRole("article", { name: `Post 1 by ${anna} E2E` })).toContainText("Какие параметры памяти");
});
