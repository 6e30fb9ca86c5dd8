// Live updates, as two people in two browsers see them: no reload, no poll.
import { expect, registerByApi, snapshot, test, uniqueHandle, PASSWORD } from "./support";
import type { Browser, Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

async function secondBrowser(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, viewport: page.viewportSize() });
  return context.newPage();
}

test("a friend request appears for the other person at once, and so does the friendship", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  await registerByApi(page, anna);
  await registerByApi(page, boris);

  const borisPage = await secondBrowser(browser, page);
  await signIn(borisPage, boris);
  await borisPage.goto("/friends");
  await borisPage.getByRole("tab", { name: /Incoming/ }).click();

  await signIn(page, anna);
  await page.goto(`/users/${boris}`);
  await page.getByRole("button", { name: "Add friend" }).click();
  await expect(page.getByText("Request sent")).toBeVisible();

  // Boris did nothing: the badge, the list and a notice come by themselves.
  await expect(borisPage.getByLabel("1 new friend requests").first()).toBeAttached();
  await expect(borisPage.getByText(`@${anna}`)).toBeVisible();
  await expect(borisPage.getByText(`${anna} E2E wants to be friends`)).toBeVisible();
  await snapshot(borisPage, "live-request");

  await borisPage.getByRole("button", { name: "Accept" }).click();
  // Anna's open profile of Boris turns into a friend's, who is online.
  await expect(page.getByText("Friends", { exact: true }).last()).toBeVisible();
  await expect(page.getByText(/· Online/)).toBeVisible();
  await borisPage.context().close();
});

test("ending a session from another device signs that tab out at once", async ({ browser, page }) => {
  const handle = uniqueHandle("leaver");
  await registerByApi(page, handle);
  const laptop = await secondBrowser(browser, page);
  await signIn(laptop, handle);
  await signIn(page, handle);

  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "My profile" }).click();
  await page.getByRole("tab", { name: "Devices" }).click();
  await page.getByRole("button", { name: "Sign out" }).first().click();

  await expect(laptop.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await laptop.context().close();
});
