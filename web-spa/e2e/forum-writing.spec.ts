// Writing in the forum, signed in, in a real browser: a new topic, then a reply.
import { PASSWORD, expect, expectAccessible, registerByApi, snapshot, test, uniqueHandle } from "./support";
import type { Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

/** Follows a link of the main navigation; on a phone it sits behind the menu button. */
async function openFromNavigation(page: Page, name: string): Promise<void> {
  const menu = page.getByRole("button", { name: "Navigation" });
  if (await menu.isVisible()) {
    await menu.click();
    await page.getByRole("navigation").last().getByRole("link", { name, exact: true }).click();
  } else {
    await page.getByRole("banner").getByRole("link", { name, exact: true }).click();
  }
  // A pointer left on the link would be audited in its hover colours.
  await page.mouse.move(0, 0);
}

test("a signed-in person starts a topic and replies to it", async ({ page }) => {
  const anna = uniqueHandle("anna");
  const title = `Books for the winter, ${anna}`;
  await registerByApi(page, anna);
  await signIn(page, anna);

  await openFromNavigation(page, "Forum");
  await page.getByRole("list", { name: "Categories" }).getByRole("link", { name: "General" }).click();
  await expect(page.getByRole("heading", { name: "General", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "New topic" }).click();
  const form = page.getByRole("form", { name: "New topic" });
  await form.getByRole("textbox", { name: "Title" }).fill(title);
  await form.getByRole("textbox", { name: "Opening post" }).fill("What are you **reading** this winter?");
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "forum-new-topic");
  await form.getByRole("button", { name: "Start the topic" }).click();

  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const opening = page.getByRole("article", { name: `Post 1 by ${anna} E2E` });
  await expect(opening.locator("strong")).toHaveText("reading");

  const reply = page.getByRole("textbox", { name: "Your reply" });
  await reply.fill("War and Peace, slowly.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByRole("article", { name: `Post 2 by ${anna} E2E` })).toContainText("War and Peace, slowly.");
  await expect(reply).toHaveValue("");
  await expect(page.getByRole("list", { name: "Posts" }).getByRole("article")).toHaveCount(2);
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "forum-reply");

  // Both posts are there for the next reader too.
  await page.reload();
  await expect(page.getByRole("article", { name: `Post 2 by ${anna} E2E` })).toBeVisible();
  await expect(page.getByRole("article", { name: `Post 1 by ${anna} E2E` })).toBeVisible();
});
