import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { MemoryRouter, useLocation } from "react-router";

import { NewRoomDialog } from "@/features/chat/components/new-room-dialog";

const person = (handle: string, name: string) => ({
  id: `id-${handle}`,
  handle,
  display_name: name,
  avatar: { large: "", small: "", is_default: true },
  role: "user" as const,
});
const anna = person("anna", "Anna");
const boris = person("boris", "Boris");

interface Sent {
  path: string;
  body: unknown;
}

/** My friends (filtered by `q`), and making rooms: answered with `answer`, or made as r1. */
function serve(answer?: Response): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/api/v1/friends") {
        const q = (url.searchParams.get("q") ?? "").toLowerCase();
        const items = [anna, boris].filter((user) => user.display_name.toLowerCase().includes(q)).map((user) => ({ user, since: "2026-11-01T10:00:00Z" }));
        return Response.json({ items, next_cursor: null });
      }
      if (url.pathname === "/api/v1/conversations/rooms" && request.method === "POST") {
        sent.push({ path: url.pathname, body: await request.json() });
        return answer ?? Response.json({ id: "r1", kind: "room", title: "Weekend trip", members: [anna, boris], unread_count: 0, last_read_seq: 0, muted: false, last_activity_at: "2026-11-21T10:00:00Z" }, { status: 201 });
      }
      return Response.json({ type: "x", title: "x", status: 404, detail: "x", code: "route_not_found" }, { status: 404 });
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
          <NewRoomDialog opened onClose={onClose} />
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onClose;
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;
const titleField = () => screen.getByRole("textbox", { name: /Room name/ });
const create = () => userEvent.click(screen.getByRole("button", { name: "Create room" }));


/** No WCAG A/AA problems axe can find without a layout (contrast is checked in the browser journeys). */
async function expectAxeClean() {
  const result = await axe.run(document.body, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  expect(result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`)).toEqual([]);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// Typing into several fields takes a while on a busy machine.
describe("NewRoomDialog", { timeout: 15_000 }, () => {
  it("makes a room of the title and the friends ticked, even across searches, and opens it", async () => {
    const sent = serve();
    const onClose = renderDialog();
    await userEvent.type(titleField(), "  Weekend trip ");
    await userEvent.click(await screen.findByRole("checkbox", { name: "Anna" }));
    // Searching for Boris hides Anna from the list, not from the choice.
    await userEvent.type(screen.getByRole("searchbox", { name: "Find friends" }), "bor");
    await vi.waitFor(() => expect(screen.queryByRole("checkbox", { name: "Anna" })).toBeNull());
    await userEvent.click(screen.getByRole("checkbox", { name: "Boris" }));
    expect(screen.getByRole("button", { name: "Leave out Anna" })).toBeInTheDocument();
    await create();
    await vi.waitFor(() => expect(location()).toBe("/chats/r1"));
    expect(sent).toEqual([{ path: "/api/v1/conversations/rooms", body: { title: "Weekend trip", member_ids: ["id-anna", "id-boris"] } }]);
    expect(onClose).toHaveBeenCalled();
  });

  it("asks for a name and at least one friend before sending anything", async () => {
    const sent = serve();
    renderDialog();
    await screen.findByRole("checkbox", { name: "Anna" });
    await create();
    expect(screen.getByText("Give the room a name.")).toBeInTheDocument();
    expect(screen.getByText("Choose at least one friend.")).toBeInTheDocument();
    // Unticking leaves nobody again.
    await userEvent.type(titleField(), "Trip");
    await userEvent.click(screen.getByRole("checkbox", { name: "Anna" }));
    await userEvent.click(screen.getByRole("button", { name: "Leave out Anna" }));
    await create();
    expect(screen.getByText("Choose at least one friend.")).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "Anna" })).not.toBeChecked();
    expect(sent).toEqual([]);
    await userEvent.click(screen.getByRole("checkbox", { name: "Boris" }));
    await expectAxeClean();
  });

  it("explains a refusal next to the friends, and a bad title next to the title", async () => {
    serve(
      Response.json(
        { type: "x", title: "x", status: 422, detail: "x", code: "invalid_body", errors: { member_ids: ["must be your friend"] }, error_codes: { member_ids: ["not_a_friend"] } },
        { status: 422 },
      ),
    );
    renderDialog();
    await userEvent.type(titleField(), "Trip");
    await userEvent.click(await screen.findByRole("checkbox", { name: "Boris" }));
    await create();
    expect(await screen.findByRole("alert")).toHaveTextContent("Someone you chose does not accept messages from you.");
    expect(location()).toBe("/chats");
    cleanup();

    serve(
      Response.json(
        { type: "x", title: "x", status: 422, detail: "x", code: "invalid_body", errors: { title: ["bad"] }, error_codes: { title: ["room_title_length"] } },
        { status: 422 },
      ),
    );
    renderDialog();
    await userEvent.type(titleField(), "Trip");
    await userEvent.click(await screen.findByRole("checkbox", { name: "Boris" }));
    await create();
    expect(await screen.findByText("must be 1 to 100 characters")).toBeInTheDocument();
    expect(titleField()).toHaveAttribute("aria-invalid", "true");
  });
});
