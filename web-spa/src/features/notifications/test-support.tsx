// What the notifications tests share: notifications to show, a server that
// answers like the real one and records what it was asked, and a signed-in
// person.
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, useLocation } from "react-router";

import type { Notification, NotificationPage } from "@/features/notifications/api/notifications-api";
import { registerNotificationsLive } from "@/features/notifications/live";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry } from "@/lib/realtime";

const person = (handle: string, name: string) => ({
  id: `id-${handle}`,
  handle,
  display_name: name,
  avatar: { large: "", small: "", is_default: true },
  role: "user" as const,
});

export function notification(id: string, changes: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: "reply",
    actor: person("anna", "Anna"),
    topic: { id: "t1", title: "Backups" },
    post: { id: `p-${id}`, number: 5 },
    count: 1,
    read: false,
    action: null,
    reason: null,
    created_at: "2026-11-21T10:00:00Z",
    updated_at: "2026-11-21T10:00:00Z",
    ...changes,
  };
}

export const anna = person("anna", "Anna");
export const boris = person("boris", "Boris");

export interface Asked {
  method: string;
  path: string;
  query: URLSearchParams;
}

/** Answers the notifications API: `pages` by cursor (the first under ""), the count, and marks as read. */
export function serveNotifications(options: { unread: number; pages: Record<string, NotificationPage> }): Asked[] {
  const asked: Asked[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      asked.push({ method: request.method, path: url.pathname, query: url.searchParams });
      if (url.pathname === "/api/v1/notifications/unread-count") return Response.json({ unread_count: options.unread });
      if (url.pathname === "/api/v1/notifications" && request.method === "GET") {
        const page = options.pages[url.searchParams.get("cursor") ?? ""];
        return page ? Response.json(page) : Response.json({ items: [], next_cursor: null });
      }
      if (request.method === "POST" && url.pathname.endsWith("/read")) return new Response(null, { status: 204 });
      return Response.json({ code: "not_found", status: 404, title: "x", detail: "x", type: "x" }, { status: 404 });
    }),
  );
  return asked;
}

export function signIn() {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "me", handle: "me" } as Me } as Parameters<typeof authSession.accept>[0]);
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.pathname + location.search}</output>;
}

/** Renders `ui` at `path` with live updates wired to a registry the test drives. */
export function renderWithLive(ui: ReactNode, path = "/") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const registry = new LiveRegistry();
  registerNotificationsLive(registry, queryClient);
  render(
    // No transitions: a dropdown is there as soon as it opens.
    <MantineProvider env="test">
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>
          {ui}
          <Where />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { queryClient, registry };
}
