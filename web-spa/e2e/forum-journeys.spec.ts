// The forum's journeys from issue 13, with two or three people in their
// own browsers against the real server: a pasted picture, a quote with a
// mention followed from a live notification, an edit's history, a
// moderator's lock seen by a reader, and a jump into a long topic.
import { PASSWORD, expect, expectAccessible, registerByApi, replyByApi, snapshot, test, tokenOf, topicByApi, uniqueHandle } from "./support";
import type { Browser, Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

async function secondBrowser(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, viewport: page.viewportSize(), hasTouch: test.info().project.name === "phone" });
  return context.newPage();
}

/** Pastes a small PNG drawn in the page into the focused text area, as a screenshot paste would. */
async function pastePicture(page: Page, label: string): Promise<void> {
  const box = page.getByRole("textbox", { name: label });
  await box.click();
  await box.evaluate(async (element) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext("2d");
    if (context) {
      context.fillStyle = "#3a7";
      context.fillRect(0, 0, 64, 48);
    }
    const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b ?? new Blob()), "image/png"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "garden.png", { type: "image/png" }));
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

/** Selects `text` inside an element, as a reader dragging over it would. */
async function select(page: Page, within: string, text: string): Promise<void> {
  await page.locator(within).evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`no "${wanted}" to select`);
  }, text);
}

test("a pasted picture, a quote with a mention, and the live notification followed to the post", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  const title = `My garden, ${anna}`;
  await registerByApi(page, anna);
  await registerByApi(page, boris);
  await signIn(page, anna);

  await page.goto("/forum/c/general");
  await page.getByRole("button", { name: "New topic" }).click();
  const form = page.getByRole("form", { name: "New topic" });
  await form.getByRole("textbox", { name: "Title" }).fill(title);
  await form.getByRole("textbox", { name: "Opening post" }).fill("The roses came up early this year.\n\n");
  await pastePicture(page, "Opening post");
  await expect(form.getByRole("textbox", { name: "Opening post" })).toHaveValue(/!\[\]\(\/media\/uploads\/[^)]+\)/);
  await form.getByRole("tab", { name: "Preview" }).click();
  await expect(form.locator(".post-body img")).toBeVisible();
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "journey-composer-preview");
  await form.getByRole("button", { name: "Start the topic" }).click();
  const opening = page.getByRole("article", { name: `Post 1 by ${anna} E2E` });
  await expect(opening.locator(".post-body img")).toBeVisible();
  const topicUrl = page.url();

  // Boris quotes a few words of it and mentions Anna, picking her from the suggestions.
  const borisPage = await secondBrowser(browser, page);
  await signIn(borisPage, boris);
  await borisPage.goto(topicUrl);
  await select(borisPage, `article[aria-label="Post 1 by ${anna} E2E"] .post-body`, "roses came up early");
  await borisPage.getByRole("article", { name: `Post 1 by ${anna} E2E` }).getByRole("button", { name: "Quote" }).click();
  const reply = borisPage.getByRole("textbox", { name: "Your reply" });
  await expect(reply).toHaveValue(new RegExp(`\\[quote="${anna}, post:1"\\]\\nroses came up early\\n\\[/quote\\]`));
  await reply.press("End");
  await reply.pressSequentially(`So early! @${anna.slice(0, 6)}`);
  await borisPage.getByRole("option", { name: new RegExp(anna) }).click();
  await expect(reply).toHaveValue(new RegExp(`@${anna} $`));
  await borisPage.getByRole("button", { name: "Send reply" }).click();
  await expect(borisPage.getByRole("article", { name: `Post 2 by ${boris} E2E` }).locator("blockquote")).toContainText("roses came up early");

  // Anna, still on her topic, sees the reply offered and the bell count rise, without reloading.
  await expect(page.getByRole("button", { name: "1 new reply" })).toBeVisible();
  const bell = page.getByRole("button", { name: /Notifications, \d+ unread/ });
  await expect(bell).toBeVisible();
  await bell.click();
  await page.mouse.move(0, 0);
  await snapshot(page, "journey-notifications-dropdown");
  await page.getByRole("link", { name: new RegExp(`${boris} E2E (quoted|mentioned) you`) }).first().click();
  await expect(page).toHaveURL(/\?post=2/);
  await expect(page.getByRole("article", { name: `Post 2 by ${boris} E2E` })).toBeInViewport();
  await borisPage.context().close();
});

test("an edited post shows its history as a difference between versions", async ({ page }) => {
  const anna = uniqueHandle("anna");
  await registerByApi(page, anna);
  const token = await tokenOf(page.request, anna);
  const id = await topicByApi(page.request, token, `Recipes, ${anna}`, "Bake the bread for forty minutes.");
  await signIn(page, anna);
  await page.goto(`/forum/t/${id}`);

  const post = page.getByRole("article", { name: `Post 1 by ${anna} E2E` });
  await post.getByRole("button", { name: "More actions for post 1" }).click();
  await page.getByRole("menuitem", { name: "Edit" }).click();
  const editor = page.getByRole("textbox", { name: "Post text" });
  await editor.fill("Bake the bread for fifty minutes.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(post.locator(".post-body")).toHaveText("Bake the bread for fifty minutes.");

  await post.getByRole("button", { name: "edited: show the edit history" }).click();
  const history = page.getByRole("dialog", { name: "Edit history of post 1" });
  await expect(history.locator("del")).toContainText("forty");
  await expect(history.locator("ins")).toContainText("fifty");
  await expectAccessible(page);
  await snapshot(page, "journey-edit-history");
});

test("a moderator locks a topic and the reply box disappears for its reader", async ({ browser, page }) => {
  const project = test.info().project.name;
  const boss = `boss_${project}`;
  const mona = uniqueHandle("mona");
  const victor = uniqueHandle("victor");
  // The admin listed in the server's settings makes Mona a moderator.
  const bossEmail = await registerByApi(page, boss, `boss-${project}@example.org`);
  await registerByApi(page, mona);
  await registerByApi(page, victor);
  const bossToken = await tokenOf(page.request, bossEmail);
  const appointed = await page.request.put(`/api/v1/moderators/${mona}`, { headers: { authorization: `Bearer ${bossToken}` } });
  expect(appointed.status()).toBe(204);
  const id = await topicByApi(page.request, await tokenOf(page.request, victor), `Heated, ${victor}`, "Let us argue.");

  await signIn(page, victor);
  await page.goto(`/forum/t/${id}`);
  await expect(page.getByRole("textbox", { name: "Your reply" })).toBeVisible();

  const monaPage = await secondBrowser(browser, page);
  await signIn(monaPage, mona);
  await monaPage.goto(`/forum/t/${id}`);
  await monaPage.getByRole("button", { name: "Moderation" }).click();
  await monaPage.getByRole("menuitem", { name: "Lock" }).click();
  await monaPage.getByRole("dialog", { name: "Lock this topic?" }).getByRole("button", { name: "Lock" }).click();
  await expect(monaPage.getByText("Locked", { exact: true }).first()).toBeVisible();
  await snapshot(monaPage, "journey-moderator-locked");

  // Victor did nothing: his reply box goes, the lock shows.
  await expect(page.getByRole("textbox", { name: "Your reply" })).toBeHidden();
  await expect(page.getByText("Locked", { exact: true }).first()).toBeVisible();
  await monaPage.context().close();
});

test("jumping to post 300 of a 400-post topic shows it and scrolls both ways", async ({ page }) => {
  test.setTimeout(90_000);
  const anna = uniqueHandle("anna");
  await registerByApi(page, anna);
  const token = await tokenOf(page.request, anna);
  const id = await topicByApi(page.request, token, `A long one, ${anna}`, "Post number one.");
  for (let start = 2; start <= 400; start += 20) {
    const batch = [];
    for (let n = start; n < Math.min(start + 20, 401); n++) batch.push(replyByApi(page.request, token, id, `Post number ${n}, in order.`));
    await Promise.all(batch);
  }
  await signIn(page, anna);
  await page.goto(`/forum/t/${id}`);
  await page.getByRole("textbox", { name: "Go to post (1–400)" }).fill("300");
  await page.getByRole("button", { name: "Go", exact: true }).click();
  const target = page.getByRole("article", { name: `Post 300 by ${anna} E2E` });
  await expect(target).toBeInViewport();
  await expect(page).toHaveURL(/\?post=300/);
  await expectAccessible(page);
  await snapshot(page, "journey-jump-300");

  // Up: the posts before it come in above without moving post 300 away.
  await page.mouse.wheel(0, -1500);
  await expect(page.getByRole("article", { name: `Post 280 by ${anna} E2E` })).toBeAttached();
  await page.getByRole("article", { name: `Post 281 by ${anna} E2E` }).scrollIntoViewIfNeeded();
  // Down: on past the end of what was loaded, however tall the posts are on this screen.
  const later = page.getByRole("article", { name: `Post 330 by ${anna} E2E` });
  await expect(async () => {
    await page.getByRole("list", { name: "Posts" }).getByRole("article").last().scrollIntoViewIfNeeded();
    await expect(later).toBeAttached({ timeout: 1_000 });
  }).toPass();
});
