import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import { BanForm, banEnd } from "@/features/moderation/components/ban-form";

const NOW = new Date("2026-11-21T10:00:00.000Z");

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function serve(sent: Sent[]) {
  return vi.fn(async (request: Request) => {
    const body: unknown = await request.json();
    sent.push({ method: request.method, path: new URL(request.url).pathname, body });
    return Response.json({ user: { id: "u2", handle: "boris", display_name: "Boris", avatar: { small: "", large: "", is_default: true }, role: "user" }, reason: "Spam", created_at: NOW.toISOString() });
  });
}

function renderForm() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <BanForm />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

async function fill(handle: string, reason: string, duration: string) {
  await userEvent.type(screen.getByRole("textbox", { name: /Their handle/ }), handle);
  await userEvent.type(screen.getByRole("textbox", { name: /Reason/ }), reason);
  await userEvent.selectOptions(screen.getByRole("combobox", { name: "For how long" }), duration);
  await userEvent.click(screen.getByRole("button", { name: "Ban" }));
}

beforeEach(() => {
  // Only the clock: user-event's own timers stay real.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("BanForm", () => {
  it("bans the person for a week from now, with the reason they will see", async () => {
    const sent: Sent[] = [];
    vi.stubGlobal("fetch", serve(sent));
    renderForm();
    await fill("@boris", "Spam in every topic", "1 week");
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      method: "PUT",
      path: "/api/v1/bans/boris",
      body: { reason: "Spam in every topic", until: "2026-11-28T10:00:00.000Z" },
    });
    // Done: the form is ready for the next one.
    await vi.waitFor(() => expect(screen.getByRole("textbox", { name: /Their handle/ })).toHaveValue(""));
  });

  it("sends no end for a ban for good", async () => {
    const sent: Sent[] = [];
    vi.stubGlobal("fetch", serve(sent));
    renderForm();
    await fill("boris", "Threats", "For good");
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toEqual({ reason: "Threats", until: null });
  });

  it("asks for the handle and a reason before sending anything", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderForm();
    await userEvent.click(screen.getByRole("button", { name: "Ban" }));
    expect(screen.getByText("Enter a handle.")).toBeInTheDocument();
    expect(screen.getByText("Give a reason.")).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("says when there is nobody with that handle, on the handle", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          { type: "urn:noxchat:problem:user_not_found", title: "Not Found", status: 404, detail: "x", code: "user_not_found" },
          { status: 404, headers: { "content-type": "application/problem+json" } },
        ),
      ),
    );
    renderForm();
    await fill("nobody", "Spam", "1 day");
    expect(await screen.findByText("There is no user with this handle.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Their handle/ })).toHaveAccessibleDescription("There is no user with this handle.");
  });
});

describe("banEnd", () => {
  it("counts a day, a week and a calendar month from now; for good has no end", () => {
    expect(banEnd("day", NOW)).toBe("2026-11-22T10:00:00.000Z");
    expect(banEnd("week", NOW)).toBe("2026-11-28T10:00:00.000Z");
    expect(banEnd("month", NOW)).toBe("2026-12-21T10:00:00.000Z");
    expect(banEnd("forever", NOW)).toBeNull();
  });
});
