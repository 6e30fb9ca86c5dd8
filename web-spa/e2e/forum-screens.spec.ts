// Every new forum screen with something on it, as an admin sees it, in the
// light and the dark theme: checked by axe-core and kept as a screenshot.
import { PASSWORD, expect, expectAccessible, registerByApi, replyByApi, snapshot, test, tokenOf, topicByApi, uniqueHandle } from "./support";
import type { Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

/** Audits and photographs the page once `ready` shows. */
async function screen(page: Page, path: string, ready: RegExp | string, name: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole("heading", { name: ready }).first()).toBeVisible();
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, name);
}

test("the forum's screens pass the accessibility audit in both themes", async ({ page }) => {
  test.setTimeout(60_000);
  const project = test.info().project.name;
  const chief = `chief_${project}`;
  const anna = uniqueHandle("anna");
  const troll = uniqueHandle("troll");
  const chiefEmail = await registerByApi(page, chief, `chief-${project}@example.org`);
  await registerByApi(page, anna);
  await registerByApi(page, troll);
  const [chiefToken, annaToken] = [await tokenOf(page.request, chiefEmail), await tokenOf(page.request, anna)];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  // Something on every screen: a topic with replies, a report, a ban, a notification.
  const topic = await topicByApi(page.request, chiefToken, `Rules of the garden, ${chief}`, "Be **kind** to the roses.");
  await replyByApi(page.request, annaToken, topic, `Agreed, @${chief}!`);
  const posts = (await (await page.request.get(`/api/v1/topics/${topic}/posts`)).json()) as { items: { id: string }[] };
  const reported = await page.request.post(`/api/v1/posts/${posts.items[0]?.id}/report`, { headers: bearer(annaToken), data: { reason: "Too strict" } });
  expect(reported.status()).toBe(204);
  const banned = await page.request.put(`/api/v1/bans/${troll}`, { headers: bearer(chiefToken), data: { reason: "Spam" } });
  expect(banned.status()).toBe(200);

  await signIn(page, chief);
  await screen(page, "/", /Latest topics/, "screen-home");
  await screen(page, "/forum", "Forum", "screen-forum");
  await screen(page, `/forum/t/${topic}`, /Rules of the garden/, "screen-topic");
  await screen(page, "/notifications", "Notifications", "screen-notifications");
  await screen(page, "/moderation/reports", "Reports", "screen-moderation-reports");
  await screen(page, "/moderation/log", "Log", "screen-moderation-log");
  await screen(page, "/moderation/bans", "Bans", "screen-moderation-bans");
  await screen(page, "/moderation/categories", "Categories", "screen-moderation-categories");
  await screen(page, `/users/${anna}?tab=posts`, `${anna} E2E`, "screen-profile-posts");

  await page.getByRole("button", { name: "Switch between light and dark theme" }).click();
  await screen(page, `/forum/t/${topic}`, /Rules of the garden/, "screen-topic-dark");
  await screen(page, "/moderation/reports", "Reports", "screen-moderation-reports-dark");
});
