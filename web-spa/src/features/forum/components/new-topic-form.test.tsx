import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";

import { NewTopic } from "@/features/forum/components/new-topic-form";
import { authSession, type Me } from "@/lib/auth-session";

// Typing into the form takes a while in jsdom, more on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const DRAFT_KEY = "noxchat:draft:topic:u1:general";

function signIn(id = "u1") {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id, handle: id, role: "user" } as Me } as Parameters<typeof authSession.accept>[0]);
}

function renderForm() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter initialEntries={["/forum/c/general"]}>
          <Routes>
            <Route path="/forum/c/general" element={<NewTopic slug="general" />} />
            <Route path="/forum/t/:id" element={<p>The new topic</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const title = () => screen.getByRole("textbox", { name: "Title" });
const body = () => screen.getByRole("textbox", { name: "Opening post" });

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.unstubAllGlobals();
  cleanup();
  authSession.clear();
});

describe("NewTopic", () => {
  it("keeps for next time what was written while the topic was on its way", async () => {
    signIn();
    let answer!: (response: Response) => void;
    vi.stubGlobal(
      "fetch",
      vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))),
    );
    renderForm();
    await userEvent.click(screen.getByRole("button", { name: "New topic" }));
    await userEvent.type(title(), "Backups");
    await userEvent.type(body(), "How do you keep yours?");
    await userEvent.click(screen.getByRole("button", { name: "Start the topic" }));
    await userEvent.clear(body());
    await userEvent.type(body(), "Another thought");

    answer(Response.json({ topic: { id: "t9" }, post: {} }, { status: 201 }));
    expect(await screen.findByText("The new topic")).toBeInTheDocument();
    // The title went with the topic; the newer text stays.
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY) ?? "null")).toEqual({ title: "", body: "Another thought", imageIds: [] });
  });

  it("keeps each person's drafts to them on a shared browser", async () => {
    signIn();
    renderForm();
    await userEvent.click(screen.getByRole("button", { name: "New topic" }));
    await userEvent.type(title(), "Only mine");
    cleanup();
    authSession.clear();
    signIn("u2");
    renderForm();
    // No draft of theirs: the form stays closed.
    expect(screen.getByRole("button", { name: "New topic" })).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: "Title" })).toBeNull();
    cleanup();
    authSession.clear();
    signIn();
    renderForm();
    expect(title()).toHaveValue("Only mine");
  });
});
