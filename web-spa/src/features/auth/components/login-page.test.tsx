import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import { LoginPage } from "@/features/auth/components/login-page";
import { setLanguage } from "@/lib/i18n";

function problem(status: number, code: string, errors?: Record<string, string[]>, error_codes?: Record<string, string[]>) {
  return new Response(
    JSON.stringify({ type: `urn:noxchat:problem:${code}`, title: "x", status, detail: "server text", code, errors, error_codes }),
    { status, headers: { "content-type": "application/problem+json" } },
  );
}

function renderPage() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <LoginPage />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  setLanguage("en");
});

describe("LoginPage", () => {
  it("shows a wrong password as a translated alert", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => problem(401, "invalid_credentials")));
    renderPage();
    await userEvent.type(screen.getByLabelText(/Email or handle/), "anna");
    await userEvent.type(screen.getByLabelText(/^Password/), "wrong password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The login or password is incorrect.");
  });

  it("puts field problems under their field, in Russian", async () => {
    setLanguage("ru");
    vi.stubGlobal("fetch", vi.fn(async () => problem(422, "invalid_body", { password: ["is required"] }, { password: ["required"] })));
    renderPage();
    await userEvent.type(screen.getByLabelText(/Почта или имя пользователя/), "anna");
    await userEvent.click(screen.getByRole("button", { name: "Войти" }));
    expect(await screen.findByText("обязательное поле")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
