// The messenger's journeys from issue 14, two or three people in their own
// browsers against the real server: a direct chat started from a profile,
// a room of friends, and what happens when a network goes away.
import { PASSWORD, expect, expectAccessible, registerByApi, snapshot, test, tokenOf, uniqueHandle } from "./support";
import type { APIRequestContext, Browser, Page } from "@playwright/test";

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(login);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
}

async function newBrowser(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, viewport: page.viewportSize(), hasTouch: test.info().project.name === "phone" });
  return context.newPage();
}

/** Makes two people friends through the API: each asks the other. */
async function befriend(request: APIRequestContext, one: string, other: string): Promise<void> {
  for (const [from, to] of [[one, other], [other, one]] as const) {
    const token = await tokenOf(request, from);
    const asked = await request.post("/api/v1/friends/requests", { headers: { authorization: `Bearer ${token}` }, data: { handle: to } });
    expect([200, 201]).toContain(asked.status());
  }
}

/** Sends a message from the open conversation's composer. */
async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

function messages(page: Page) {
  return page.getByRole("region", { name: "Messages" });
}

/** The texts of the messages shown, in order, that match `pattern`. */
async function texts(page: Page, pattern: RegExp): Promise<string[]> {
  const all = await messages(page).getByText(pattern).allInnerTexts();
  return all.map((text) => text.trim());
}

test("a direct chat from a profile: both ways, typing, receipts, a picture, an edit and a deletion", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  await registerByApi(page, anna);
  await registerByApi(page, boris);
  await signIn(page, anna);
  const borisPage = await newBrowser(browser, page);
  await signIn(borisPage, boris);

  await page.goto(`/users/${boris}`);
  await page.getByRole("button", { name: "Message", exact: true }).click();
  await expect(page).toHaveURL(/\/chats\/[0-9a-f-]+$/);
  const chatUrl = page.url();
  await say(page, "Hi Boris! Are you coming on Saturday?");
  await expect(messages(page).getByText("Hi Boris! Are you coming on Saturday?")).toBeVisible();

  // Boris sees the chat appear with its unread mark, opens it, and replies while Anna watches him type.
  await expect(borisPage.getByRole("link", { name: /Chats/ }).first()).toBeVisible();
  await borisPage.goto("/chats");
  await borisPage.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: new RegExp(`${anna} E2E`) }).click();
  await expect(messages(borisPage).getByText("Hi Boris! Are you coming on Saturday?")).toBeVisible();
  await expect(messages(page).getByText("Read")).toBeVisible();
  await borisPage.getByRole("textbox", { name: "Message" }).pressSequentially("Yes, with ", { delay: 30 });
  await expect(page.getByText("typing…", { exact: true })).toBeVisible();
  await borisPage.getByRole("textbox", { name: "Message" }).pressSequentially("cake.");
  await borisPage.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(messages(page).getByText("Yes, with cake.")).toBeVisible();

  // A pasted picture goes with the next message.
  const box = page.getByRole("textbox", { name: "Message" });
  await box.click();
  await box.evaluate(async (element) => {
    const canvas = document.createElement("canvas");
    canvas.width = 80;
    canvas.height = 60;
    const context = canvas.getContext("2d");
    if (context) {
      context.fillStyle = "#c55";
      context.fillRect(0, 0, 80, 60);
    }
    const blob = await new Promise<Blob>((done) => canvas.toBlob((b) => done(b ?? new Blob()), "image/png"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "cake.png", { type: "image/png" }));
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(page.getByRole("button", { name: "Remove picture 1" })).toBeVisible();
  await say(page, "Like this one?");
  await expect(messages(borisPage).getByText("Like this one?")).toBeVisible();
  await expect(messages(borisPage).getByRole("button", { name: "Open picture 1" })).toBeVisible();

  // Anna edits her first message, then deletes it.
  await messages(page).getByRole("button", { name: /Actions for your message/ }).first().click();
  await page.getByRole("menuitem", { name: "Edit" }).click();
  const editor = page.getByRole("textbox", { name: "Edit message" });
  await editor.fill("Hi Boris! Are you coming on Sunday?");
  await editor.press("Enter");
  await expect(messages(borisPage).getByText("Hi Boris! Are you coming on Sunday?")).toBeVisible();
  await expect(messages(borisPage).getByText("edited")).toBeVisible();
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "chat-direct");
  await snapshot(borisPage, "chat-direct-other");

  await messages(page).getByRole("button", { name: /Actions for your message/ }).first().click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete the message?" }).getByRole("button", { name: "Delete" }).click();
  await expect(messages(borisPage).getByText("Message deleted")).toBeVisible();
  await expect(messages(borisPage).getByText("Hi Boris! Are you coming on Sunday?")).toBeHidden();
  expect(page.url()).toBe(chatUrl);
  await borisPage.context().close();
});

test("a room of three friends", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  const vera = uniqueHandle("vera");
  for (const handle of [anna, boris, vera]) await registerByApi(page, handle);
  await befriend(page.request, anna, boris);
  await befriend(page.request, anna, vera);
  await signIn(page, anna);
  const borisPage = await newBrowser(browser, page);
  await signIn(borisPage, boris);
  const veraPage = await newBrowser(browser, page);
  await signIn(veraPage, vera);

  await page.goto("/chats");
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.getByRole("textbox", { name: "Room name" }).fill("Saturday picnic");
  await dialog.getByRole("checkbox", { name: new RegExp(`${boris} E2E`) }).check();
  await dialog.getByRole("checkbox", { name: new RegExp(`${vera} E2E`) }).check();
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "chat-new-room");
  await dialog.getByRole("button", { name: "Create room" }).click();
  await expect(page.getByRole("heading", { name: "Saturday picnic" })).toBeVisible();
  await say(page, "Who brings the blanket?");

  for (const other of [borisPage, veraPage]) {
    await other.goto("/chats");
    await other.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: /Saturday picnic/ }).click();
    await expect(messages(other).getByText("Who brings the blanket?")).toBeVisible();
  }
  // Both have seen Anna's question, which is still the newest message.
  await expect(messages(page).getByText("Read by 2")).toBeVisible();
  await say(borisPage, "I do.");
  await say(veraPage, "Then I bring the tea.");
  for (const each of [page, borisPage, veraPage]) {
    await expect(messages(each).getByText("Then I bring the tea.")).toBeVisible();
    await expect(messages(each).getByText("I do.")).toBeVisible();
  }
  await snapshot(page, "chat-room");
  await page.getByRole("button", { name: "Room settings" }).click();
  await expect(page.getByRole("dialog", { name: "Room settings" })).toBeVisible();
  await page.mouse.move(0, 0);
  await expectAccessible(page);
  await snapshot(page, "chat-room-settings");
  await borisPage.context().close();
  await veraPage.context().close();
});

test("messages sent while the reader was offline all arrive once, in order, when the network comes back", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  await registerByApi(page, anna);
  await registerByApi(page, boris);
  await signIn(page, anna);
  await page.goto(`/users/${boris}`);
  await page.getByRole("button", { name: "Message", exact: true }).click();
  await say(page, "Are you there?");
  const borisPage = await newBrowser(browser, page);
  await signIn(borisPage, boris);
  await borisPage.goto("/chats");
  await borisPage.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: new RegExp(`${anna} E2E`) }).click();
  await expect(messages(borisPage).getByText("Are you there?")).toBeVisible();

  await borisPage.context().setOffline(true);
  await expect(borisPage.getByText("Offline").first()).toBeVisible();
  for (let n = 1; n <= 5; n++) await say(page, `Offline note ${n}`);
  await expect(messages(page).getByText("Offline note 5")).toBeVisible();
  await borisPage.context().setOffline(false);

  await expect(messages(borisPage).getByText("Offline note 5")).toBeVisible();
  expect(await texts(borisPage, /^Offline note \d$/)).toEqual([1, 2, 3, 4, 5].map((n) => `Offline note ${n}`));
  await borisPage.context().close();
});

test("a message written offline goes out once when the network comes back", async ({ browser, page }) => {
  const anna = uniqueHandle("anna");
  const boris = uniqueHandle("boris");
  await registerByApi(page, anna);
  await registerByApi(page, boris);
  await signIn(page, anna);
  await page.goto(`/users/${boris}`);
  await page.getByRole("button", { name: "Message", exact: true }).click();
  await say(page, "First, online.");
  const borisPage = await newBrowser(browser, page);
  await signIn(borisPage, boris);
  await borisPage.goto("/chats");
  await borisPage.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: new RegExp(`${anna} E2E`) }).click();
  await expect(messages(borisPage).getByText("First, online.")).toBeVisible();

  await page.context().setOffline(true);
  await expect(page.getByText("You are offline. What you send waits here and goes out when you are back online.")).toBeVisible();
  await say(page, "Written in the tunnel.");
  await expect(messages(page).getByText("Written in the tunnel.")).toBeVisible();
  await expect(messages(page).getByText("Sending")).toBeVisible();
  await snapshot(page, "chat-offline-pending");
  await page.context().setOffline(false);

  await expect(messages(borisPage).getByText("Written in the tunnel.")).toBeVisible();
  await expect(messages(page).getByText("Sending")).toBeHidden();
  await expect(page.getByText(/You are offline/)).toBeHidden();
  // Once on both sides, also after a reload (the server stored one message).
  await borisPage.reload();
  await expect(messages(borisPage).getByText("Written in the tunnel.")).toHaveCount(1);
  await expect(messages(page).getByText("Written in the tunnel.")).toHaveCount(1);
  await borisPage.context().close();
});
