// Account journeys as a person makes them, in a real browser.
import { PASSWORD, emailedToken, expect, expectAccessible, registerByApi, snapshot, test, uniqueHandle } from "./support";

test("a newcomer registers, signs out and signs in again by handle", async ({ page }) => {
  const handle = uniqueHandle("anna");
  await page.goto("/");
  await expectAccessible(page);
  await snapshot(page, "home-anonymous");
  await page.getByRole("link", { name: "Join NoxChat" }).click();

  await expect(page.getByRole("heading", { name: "Create your account" })).toBeFocused();
  await expect(page).toHaveTitle("Create your account · NoxChat");
  await page.getByLabel("Email").fill(`${handle}@example.org`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Display name").fill("Анна Тестова");
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await expectAccessible(page);
  await snapshot(page, "register");
  await page.getByRole("button", { name: "Create account" }).click();

  // The account is made when the emailed link is opened.
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByText(`we sent a link to ${handle}@example.org`)).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, "register-check-email");
  const token = await emailedToken(`${handle}@example.org`, "/confirm-registration");
  await page.goto(`/confirm-registration#token=${token}`);
  // The token leaves the address bar (and the history) once read.
  await expect(page).toHaveURL(/\/confirm-registration$/);
  await expect(page.getByText(`Your account @${handle} is ready.`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Sign in" }).last().click();

  await page.getByLabel("Email or handle").fill(handle.toUpperCase());
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await expectAccessible(page);
  await snapshot(page, "login");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Анна Тестова!" })).toBeVisible();
  await expect(page.getByText("Please confirm your email address"), "the link confirmed it").toHaveCount(0);
  await expectAccessible(page);
  await snapshot(page, "home-signed-in");

  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Join NoxChat" })).toBeVisible();
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(handle);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Анна Тестова!" })).toBeVisible();

  // A reload keeps the session: the app restores it from the refresh cookie.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Welcome, Анна Тестова!" })).toBeVisible();
});

test("a wrong password is explained and a missing field is marked", async ({ page }) => {
  const handle = uniqueHandle("wrong");
  await registerByApi(page, handle);
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(handle);
  await page.getByRole("textbox", { name: "Password" }).fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The login or password is incorrect.");
});

test("a registration link works once, then says so", async ({ page }) => {
  const handle = uniqueHandle("twice");
  const email = await registerByApi(page, handle);
  const token = await emailedToken(email, "/confirm-registration");
  await page.goto(`/confirm-registration#token=${token}`);
  await expect(page.getByRole("alert")).toHaveText("This link is not valid or was already used.");
  await expect(page.getByRole("link", { name: "Register again" })).toBeVisible();
  await expectAccessible(page);
});

test("a forgotten password is reset through the emailed link", async ({ page }) => {
  const handle = uniqueHandle("forgetful");
  const email = await registerByApi(page, handle);
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText("a link is on its way")).toBeVisible();

  const token = await emailedToken(email, "/reset-password");
  await page.goto(`/reset-password#token=${token}`);
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByRole("textbox", { name: "New password" }).fill("password");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("is one of the most common passwords")).toBeVisible();
  await page.getByRole("textbox", { name: "New password" }).fill("a fresh start 2026");
  await snapshot(page, "reset-password");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();

  await page.getByRole("link", { name: "Sign in" }).last().click();
  await page.getByLabel("Email or handle").fill(handle);
  await page.getByRole("textbox", { name: "Password" }).fill("a fresh start 2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
});

test("the interface switches to Russian and remembers it", async ({ page }) => {
  await page.goto("/");
  await page.getByText("RU", { exact: true }).click();
  await expect(page.getByRole("heading", { name: "Форум и мессенджер в одном" })).toBeVisible();
  await page.goto("/register");
  await expect(page.getByRole("heading", { name: "Создайте аккаунт" })).toBeVisible();
  await page.getByRole("button", { name: "Создать аккаунт" }).click();
  await expect(page.getByText("укажите адрес вида name@example.org")).toBeVisible();
  await expectAccessible(page);
  await snapshot(page, "register-ru");
});

test("the dark theme and the about page are readable", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  for (const path of ["/", "/about", "/login", "/register"]) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("data-mantine-color-scheme", "dark");
    await expect(page.getByRole("heading").first()).toBeVisible();
    await expectAccessible(page);
  }
  await snapshot(page, "register-dark");
});

test("a signed-in person gets the language kept in their profile", async ({ page }) => {
  const handle = uniqueHandle("vera");
  const response = await page.request.post("/api/v1/auth/register", {
    headers: { "Accept-Language": "ru" },
    data: { email: `${handle}@example.org`, handle, display_name: "Вера", password: PASSWORD },
  });
  expect(response.status()).toBe(202);
  const token = await emailedToken(`${handle}@example.org`, "/confirm-registration");
  expect((await page.request.post("/api/v1/auth/register/confirm", { data: { token } })).status()).toBe(201);
  await page.goto("/login");
  await page.getByLabel("Email or handle").fill(handle);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Здравствуйте, Вера!" })).toBeVisible();
});
