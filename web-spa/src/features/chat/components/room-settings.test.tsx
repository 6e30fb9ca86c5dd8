import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import { chatKeys, type Conversation } from "@/features/chat/api/chat-api";
import { RoomSettings } from "@/features/chat/components/room-settings";
import { useConversation } from "@/features/chat/hooks/use-conversations";
import { authSession, type Me } from "@/lib/auth-session";

const person = (handle: string, name: string) => ({
  id: `id-${handle}`,
  handle,
  display_name: name,
  avatar: { large: "", small: "", is_default: true },
  role: "user" as const,
});
const anna = person("anna", "Anna");
const boris = person("boris", "Boris");
const vera = person("vera", "Vera");
const gleb = person("gleb", "Gleb");
const dina = person("dina", "Dina");

function room(owner: typeof anna, changes: Partial<Conversation> = {}): Conversation {
  return {
    id: "r1",
    kind: "room",
    title: "Weekend trip",
    owner,
    members: [anna, boris, vera],
    unread_count: 0,
    last_read_seq: 3,
    read_marks: [],
    muted: false,
    last_activity_at: "2026-11-21T10:00:00Z",
    ...changes,
  };
}

interface Sent {
  method: string;
  path: string;
  body?: unknown;
}

/** Answers the room's calls as the server would, recording them. */
function serve(conversation: Conversation): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const body: unknown = request.method === "POST" || request.method === "PATCH" ? await request.json() : undefined;
      sent.push({ method: request.method, path: url.pathname, ...(body === undefined ? {} : { body }) });
      if (request.method === "DELETE" && url.pathname.startsWith("/api/v1/conversations/r1/members/")) return new Response(null, { status: 204 });
      if (url.pathname === "/api/v1/conversations/r1/mute") return Response.json({ ...conversation, muted: request.method === "PUT" });
      if (url.pathname === "/api/v1/friends") {
        return Response.json({ items: [anna, boris, vera, gleb, dina].map((user) => ({ user, since: "2026-11-01T10:00:00Z" })), next_cursor: null });
      }
      if (url.pathname === "/api/v1/conversations/r1/members" && request.method === "POST") {
        const { user_id } = body as { user_id: string };
        if (user_id === dina.id) {
          return Response.json(
            { type: "x", title: "x", status: 422, detail: "x", code: "invalid_body", errors: { user_id: ["no"] }, error_codes: { user_id: ["not_a_friend"] } },
            { status: 422 },
          );
        }
        return Response.json({ ...conversation, members: [...conversation.members, gleb] });
      }
      if (url.pathname === "/api/v1/conversations/r1" && request.method === "PATCH") {
        return Response.json({ ...conversation, title: (body as { title: string }).title });
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

/** The settings as the chat screen shows them: of the conversation in the cache. */
function Settings({ onClose }: { onClose: () => void }) {
  const conversation = useConversation("r1").data;
  return conversation ? <RoomSettings conversation={conversation} opened onClose={onClose} /> : null;
}

function renderSettings(as: typeof anna, conversation: Conversation) {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: as.id, handle: as.handle } as Me } as Parameters<typeof authSession.accept>[0]);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  queryClient.setQueryData(chatKeys.conversation("r1"), conversation);
  const onClose = vi.fn();
  render(
    <MantineProvider env="test">
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={["/chats/r1"]}>
          <Routes>
            <Route path="/chats/:id" element={<Settings onClose={onClose} />} />
            <Route path="/chats" element={null} />
          </Routes>
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { onClose, queryClient };
}

const members = () => within(screen.getByRole("region", { name: /\d members/ }));
const location = () => screen.getByRole("status", { name: "location" }).textContent;


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
  authSession.clear();
});

describe("RoomSettings", { timeout: 15_000 }, () => {
  it("shows every member with their avatar, the owner and me marked", () => {
    serve(room(anna));
    renderSettings(boris, room(anna));
    const list = members();
    expect(list.getAllByRole("listitem").map((item) => item.textContent)).toEqual(["Anna@annaowner", "Boris (you)@boris", "Vera@vera"]);
  });

  it("lets the owner remove a member after confirming, and takes them off the list", async () => {
    const sent = serve(room(anna));
    renderSettings(anna, room(anna));
    await userEvent.click(members().getByRole("button", { name: "Remove Boris" }));
    expect(screen.getByText("Remove Boris from the room?")).toBeInTheDocument();
    // Nothing is sent before the confirmation.
    expect(sent.filter((call) => call.method === "DELETE")).toEqual([]);
    // The confirming button has the focus: Enter confirms.
    expect(screen.getByRole("button", { name: "Remove" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    await vi.waitFor(() => expect(members().queryByText("Boris")).toBeNull());
    expect(sent.filter((call) => call.method === "DELETE")).toEqual([{ method: "DELETE", path: "/api/v1/conversations/r1/members/id-boris" }]);
    expect(screen.getByRole("heading", { name: "2 members" })).toBeInTheDocument();
  });

  it("sends nothing when the owner thinks better of it", async () => {
    const sent = serve(room(anna));
    renderSettings(anna, room(anna));
    const remove = members().getByRole("button", { name: "Remove Vera" });
    await userEvent.click(remove);
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByText("Remove Vera from the room?")).toBeNull();
    expect(remove).toHaveFocus();
    expect(sent.filter((call) => call.method === "DELETE")).toEqual([]);
  });

  it("gives a member who is not the owner no renaming or removing, and lets them leave after confirming", async () => {
    const sent = serve(room(anna));
    const { onClose } = renderSettings(vera, room(anna));
    expect(screen.queryByRole("textbox", { name: /Room name/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Remove/ })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Add a friend" })).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Leave the room" }));
    expect(screen.getByText("Leave “Weekend trip”? You will no longer see it.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Leave" }));
    await vi.waitFor(() => expect(location()).toBe("/chats"));
    expect(sent.filter((call) => call.method === "DELETE")).toEqual([{ method: "DELETE", path: "/api/v1/conversations/r1/members/id-vera" }]);
    expect(onClose).toHaveBeenCalled();
  });

  it("warns an owner who leaves that the room passes on", async () => {
    serve(room(anna));
    renderSettings(anna, room(anna));
    await userEvent.click(screen.getByRole("button", { name: "Leave the room" }));
    expect(screen.getByText("Leave “Weekend trip”? It passes to its longest-standing member.")).toBeInTheDocument();
  });

  it("lets the owner add a friend who is not in the room yet, and explains one who cannot be added", async () => {
    const sent = serve(room(anna));
    renderSettings(anna, room(anna));
    const found = await screen.findByRole("list", { name: "Friends" });
    // Those in the room already are not offered.
    expect(within(found).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["Gleb@glebAdd", "Dina@dinaAdd"]);
    await userEvent.click(within(found).getByRole("button", { name: "Add Dina" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Dina does not accept messages from you, so cannot be added.");
    await userEvent.click(within(found).getByRole("button", { name: "Add Gleb" }));
    await vi.waitFor(() => expect(members().getByText("Gleb")).toBeInTheDocument());
    expect(screen.getByRole("heading", { name: "4 members" })).toBeInTheDocument();
    await userEvent.click(members().getByRole("button", { name: "Remove Gleb" }));
    await expectAxeClean();
    expect(sent.filter((call) => call.method === "POST").map((call) => call.body)).toEqual([{ user_id: "id-dina" }, { user_id: "id-gleb" }]);
  });

  it("lets the owner rename the room", async () => {
    const sent = serve(room(anna));
    const { queryClient } = renderSettings(anna, room(anna));
    const name = screen.getByRole("textbox", { name: /Room name/ });
    expect(name).toHaveValue("Weekend trip");
    await userEvent.clear(name);
    await userEvent.type(name, "Long weekend{Enter}");
    await vi.waitFor(() => expect(queryClient.getQueryData<Conversation>(chatKeys.conversation("r1"))?.title).toBe("Long weekend"));
    expect(sent.filter((call) => call.method === "PATCH")).toEqual([{ method: "PATCH", path: "/api/v1/conversations/r1", body: { title: "Long weekend" } }]);
  });

  it("mutes and unmutes for anyone", async () => {
    const sent = serve(room(anna));
    renderSettings(boris, room(anna));
    const mute = screen.getByRole("switch", { name: /Mute/ });
    await userEvent.click(mute);
    await vi.waitFor(() => expect(mute).toBeChecked());
    await userEvent.click(mute);
    await vi.waitFor(() => expect(mute).not.toBeChecked());
    expect(sent.filter((call) => call.path.endsWith("/mute")).map((call) => call.method)).toEqual(["PUT", "DELETE"]);
  });
});
