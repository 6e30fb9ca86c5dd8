import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { MemoryRouter, useLocation } from "react-router";

import { NewChatDialog } from "@/features/chat/components/new-chat-dialog";
import { authSession, type Me } from "@/lib/auth-session";
import { setLanguage } from "@/lib/i18n";

const person = (handle: string, name: string) => ({
  id: `id-${handle}`,
  handle,
  display_name: name,
  avatar: { large: "", small: "", is_default: true },
  role: "user" as const,
});
const me = person("me", "Me Myself");
const anna = person("anna", "Anna");
const boris = person("boris", "Boris");

function problem(status: number, code: string) {
  return Response.json({ type: `urn:noxchat:problem:${code}`, title: "x", status, detail: "x", code }, { status });
}

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** The directory (me included, as the server answers) and opening direct chats: Anna refuses, others accept. */
function serve(): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/users") {
        const q = (url.searchParams.get("q") ?? "").toLowerCase();
        return Response.json({ items: [me, anna, boris].filter((user) => user.display_name.toLowerCase().includes(q)), next_cursor: null });
      }
      if (url.pathname === "/api/v1/conversations/direct") {
        const body = (await request.json()) as { user_id: string };
        sent.push({ method: request.method, path: url.pathname, body });
        if (body.user_id === anna.id) return problem(403, "cannot_message");
        return Response.json(
          { id: `c-${body.user_id}`, kind: "direct", members: [me, boris], unread_count: 0, last_read_seq: 0, muted: false, last_activity_at: "2026-11-21T10:00:00Z" },
          { status: 201 },
        );
      }
      return problem(404, "route_not_found");
    }),
  );
  return sent;
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname}</output>;
}

function renderDialog() {
  const onClose = vi.fn();
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={["/chats"]}>
          <NewChatDialog opened onClose={onClose} />
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onClose;
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;


/** No WCAG A/AA problems axe can find without a layout (contrast is checked in the browser journeys). */
async function expectAxeClean() {
  const result = await axe.run(document.body, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  expect(result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`)).toEqual([]);
}

beforeEach(() => {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
  setLanguage("en");
});

describe("NewChatDialog", { timeout: 15_000 }, () => {
  it("lists the people found, never me, and opens the chat with the one chosen by keyboard", async () => {
    const sent = serve();
    const onClose = renderDialog();
    const search = screen.getByRole("combobox", { name: /Find a person/ });
    const list = await screen.findByRole("listbox", { name: "People" });
    expect(within(list).getAllByRole("option").map((option) => option.textContent)).toEqual(["Anna@anna", "Boris@boris"]);
    // The first is highlighted; the arrow moves to Boris, Enter opens his chat.
    expect(within(list).getByRole("option", { name: /Anna/ })).toHaveAttribute("aria-selected", "true");
    await userEvent.type(search, "{ArrowDown}");
    expect(search).toHaveAttribute("aria-activedescendant", within(list).getByRole("option", { name: /Boris/ }).id);
    await userEvent.type(search, "{Enter}");
    await vi.waitFor(() => expect(location()).toBe("/chats/c-id-boris"));
    expect(sent).toEqual([{ method: "POST", path: "/api/v1/conversations/direct", body: { user_id: "id-boris" } }]);
    expect(onClose).toHaveBeenCalled();
  });

  it("narrows the list as a name is typed", async () => {
    serve();
    renderDialog();
    await userEvent.type(screen.getByRole("combobox", { name: /Find a person/ }), "bor");
    await vi.waitFor(() => expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual(["Boris@boris"]));
    await userEvent.type(screen.getByRole("combobox", { name: /Find a person/ }), "xyz");
    expect(await screen.findByText("Nobody matches.")).toBeInTheDocument();
  });

  it("says in words that someone does not accept my messages, and stays open to choose another", async () => {
    const sent = serve();
    const onClose = renderDialog();
    await userEvent.click(await screen.findByRole("option", { name: /Anna/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Anna does not accept messages from you.");
    expect(sent).toHaveLength(1);
    expect(location()).toBe("/chats");
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole("combobox", { name: /Find a person/ })).toBeInTheDocument();
    await expectAxeClean();
  });

  it("says it in Russian too", async () => {
    setLanguage("ru");
    serve();
    renderDialog();
    await userEvent.click(await screen.findByRole("option", { name: /Anna/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Anna не принимает от вас сообщений.");
  });
});
