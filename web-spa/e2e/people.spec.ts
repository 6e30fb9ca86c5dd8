// Profiles and friends, as two people make them, in a real browser.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { PASSWORD, expect, expectAccessible, registerByApi, snapshot, test, uniqueHandle } from "./support";
import type { Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

test("a person edits their profile and uploads a rotated photo", async ({ page }) => {
  const handle = uniqueHandle("editor");
  await registerByApi(page, handle);
  await signIn(page, handle);
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "My profile" }).click();
  await expect(page.getByRole("heading", { name: "My profile" })).toBeVisible();

  await page.getByLabel("Display name").fill("Лев Толстой");
  await page.getByLabel("About me").fill("Пишу романы.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  const photo = readFileSync(resolve("../tests/fixtures/images/photo-exif6.jpg"));
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose an image" }).click();
  await (await chooser).setFiles({ name: "photo-exif6.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.getByRole("img", { name: "Preview of the chosen image" })).toBeVisible();
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Your new avatar is ready.")).toBeVisible();

  // The server's crop is shown: a 256×256 JPEG, red stripe left, green right.
  const avatar = page.getByRole("img", { name: "Your avatar" });
  await expect(avatar).toHaveAttribute("src", /\/media\/avatars\/[0-9a-f]{32}-256\.jpg$/);
  const colours = await avatar.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    if (!context) return null;
    context.drawImage(img, 0, 0);
    const pixel = (x: number) => Array.from(context.getImageData(x, 128, 1, 1).data);
    return { size: [img.naturalWidth, img.naturalHeight], left: pixel(3), right: pixel(252) };
  });
  expect(colours?.size).toEqual([256, 256]);
  expect(colours?.left[0]).toBeGreaterThan(180);
  expect(colours?.right[1]).toBeGreaterThan(150);
  await expectAccessible(page);
  await snapshot(page, "my-profile");
});

test("two people become friends, then part", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  await registerByApi(page, anna);
  await registerByApi(page, boris);

  await signIn(page, anna);
  await page.goto("/people");
  await page.getByLabel("Search by name or handle").fill(boris);
  await expect(page.getByRole("link", { name: new RegExp(`@${boris}`) })).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, "people");
  await page.getByRole("link", { name: new RegExp(`@${boris}`) }).click();
  await expect(page.getByRole("heading", { name: `${boris} E2E` })).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, "user-profile");
  await page.getByRole("button", { name: "Add friend" }).click();
  await expect(page.getByText("Request sent")).toBeVisible();

  // Boris, in a browser of his own, sees the request and accepts it.
  const borisContext = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, viewport: page.viewportSize() });
  const borisPage = await borisContext.newPage();
  await signIn(borisPage, boris);
  await expect(borisPage.getByLabel("1 new friend requests").first()).toBeAttached();
  await borisPage.goto("/friends");
  await borisPage.getByRole("tab", { name: /Incoming/ }).click();
  await expect(borisPage.getByText(`@${anna}`)).toBeVisible();
  await expectAccessible(borisPage);
  await snapshot(borisPage, "friends-incoming");
  await borisPage.getByRole("button", { name: "Accept" }).click();
  await borisPage.getByRole("tab", { name: /Friends/ }).click();
  await expect(borisPage.getByText(`@${anna}`)).toBeVisible();
  await borisContext.close();

  await page.reload();
  await expect(page.getByText("Friends", { exact: true }).last()).toBeVisible();
  await page.getByRole("button", { name: "Remove friend" }).click();
  await expect(page.getByRole("button", { name: "Add friend" })).toBeVisible();
});
