// Reading the forum, as a visitor who is not signed in sees it, in a real browser.
import { PASSWORD, expect, expectAccessible, registerByApi, snapshot, test, uniqueHandle } from "./support";
import type { APIRequestContext, Page } from "@playwright/test";

/** An access token for `login`, signed in through the API. */
async function accessToken(request: APIRequestContext, login: string): Promise<string> {
  const response = await request.post("/api/v1/auth/login", { data: { login, password: PASSWORD } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Follows a link of the main navigation; on a phone it sits behind the menu button. */
async function openFromNavigation(page: Page, name: string): Promise<void> {
  const menu = page.getByRole("button", { name: "Navigation" });
  if (await menu.isVisible()) {
    await menu.click();
    // The drawer's own navigation, not the header's (hidden on a phone).
    await page.getByRole("navigation").last().getByRole("link", { name, exact: true }).click();
  } else {
    await page.getByRole("banner").getByRole("link", { name, exact: true }).click();
  }
  // A pointer left on the link would be audited in its hover colours.
  await page.mouse.move(0, 0);
}

test("a signed-out visitor reads a topic and its reply", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  const title = `Where shall we meet, ${anna}?`;

  // Anna starts a topic and Boris replies, through the API, in a browser of their own:
  // the visitor's browser never holds a session.
  const writers = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const writerPage = await writers.newPage();
  await registerByApi(writerPage, anna);
  await registerByApi(writerPage, boris);
  const started = await writers.request.post("/api/v1/categories/general/topics", {
    headers: { Authorization: `Bearer ${await accessToken(writers.request, anna)}` },
    data: { title, body: "Saturday works for me. **Any ideas** where?" },
  });
  expect(started.status()).toBe(201);
  const topicId = ((await started.json()) as { topic: { id: string } }).topic.id;
  const replied = await writers.request.post(`/api/v1/topics/${topicId}/posts`, {
    headers: { Authorization: `Bearer ${await accessToken(writers.request, boris)}` },
    data: { body: `The library at noon suits me, @${anna}.`, reply_to: 1 },
  });
  expect(replied.status()).toBe(201);
  await writers.close();

  // The home page still works, and the navigation leads to the forum.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "A forum and a messenger in one" })).toBeVisible();
  await openFromNavigation(page, "Forum");
  await expect(page.getByRole("heading", { name: "Forum", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle("Forum · NoxChat");
  const categories = page.getByRole("list", { name: "Categories" });
  await expect(categories.getByRole("link", { name: "General" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Latest topics" }).getByRole("link", { name: title })).toBeVisible();
  // Signed out, nothing is "new" or "unread": that is a signed-in reader's.
  await expect(page.getByText("New", { exact: true })).toHaveCount(0);
  await expectAccessible(page);
  await snapshot(page, "forum-home");

  await categories.getByRole("link", { name: "General" }).click();
  await expect(page.getByRole("heading", { name: "General", level: 1 })).toBeVisible();
  const topics = page.getByRole("list", { name: "Topics" });
  const row = topics.getByRole("listitem").filter({ hasText: title });
  await expect(row).toContainText("Replies: 1");
  await expectAccessible(page);
  await snapshot(page, "forum-category");

  await row.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Where you are in the forum" }).getByRole("link", { name: "General" })).toBeVisible();
  const opening = page.getByRole("article", { name: `Post 1 by ${anna} E2E` });
  await expect(opening).toContainText("Saturday works for me.");
  await expect(opening.locator("strong")).toHaveText("Any ideas");
  const reply = page.getByRole("article", { name: `Post 2 by ${boris} E2E` });
  await expect(reply).toContainText("The library at noon suits me");
  await expect(reply.getByRole("link", { name: `${boris} E2E` })).toHaveAttribute("href", `/users/${boris}`);
  await expect(page.getByRole("button", { name: "Load more posts" })).toHaveCount(0);
  await expectAccessible(page);
  await snapshot(page, "forum-topic");

  // A mention in a post opens the profile inside the app, without reloading it.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await reply.getByRole("link", { name: `@${anna}` }).click();
  await expect(page.getByRole("heading", { name: `${anna} E2E` })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
