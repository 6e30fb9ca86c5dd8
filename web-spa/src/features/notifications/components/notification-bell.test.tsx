import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import NotificationBell from "@/features/notifications/components/notification-bell";
import { boris, notification, renderWithLive, serveNotifications, signIn } from "@/features/notifications/test-support";
import { authSession } from "@/lib/auth-session";

const latest = {
  items: [
    notification("n2", { kind: "mention", topic: { id: "t2", title: "Moving day" }, post: { id: "p9", number: 9 } }),
    notification("n1"),
    notification("n0", { kind: "friend_accepted", actor: boris, topic: null, post: null, read: true }),
  ],
  next_cursor: null,
};

const bell = (name: string) => screen.findByRole("button", { name });
const location = () => screen.getByRole("status", { name: "location" }).textContent;

beforeEach(signIn);
afterEach(() => {
  // Unmounted first: signing out under a mounted screen would update it outside the test.
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("NotificationBell", () => {
  it("says how many notifications are unread, in its name and on its badge", async () => {
    serveNotifications({ unread: 3, pages: { "": latest } });
    renderWithLive(<NotificationBell />);
    expect((await bell("Notifications, 3 unread")).parentElement).toHaveTextContent("3");
  });

  it("follows live events without asking the server again", async () => {
    const asked = serveNotifications({ unread: 3, pages: { "": latest } });
    const { registry } = renderWithLive(<NotificationBell />);
    await bell("Notifications, 3 unread");

    act(() => registry.event({ type: "notification_received", notification: notification("n3"), unread_count: 4 }));
    expect(await bell("Notifications, 4 unread")).toBeInTheDocument();
    act(() => registry.event({ type: "notifications_read", ids: ["n3"], unread_count: 3 }));
    expect(await bell("Notifications, 3 unread")).toBeInTheDocument();
    // Read everywhere (on another device): no count, no badge.
    act(() => registry.event({ type: "notifications_read", ids: null, unread_count: 0 }));
    expect((await bell("Notifications")).parentElement).not.toHaveTextContent(/\d/);

    expect(asked.map((request) => request.path)).toEqual(["/api/v1/notifications/unread-count"]);
  });

  it("lists the latest notifications in its dropdown, newest first, with new ones arriving live", async () => {
    serveNotifications({ unread: 2, pages: { "": latest } });
    const { registry } = renderWithLive(<NotificationBell />);
    await userEvent.click(await bell("Notifications, 2 unread"));

    const dialog = await screen.findByRole("dialog");
    await within(dialog).findByRole("link", { name: /Anna mentioned you in “Moving day”/ });
    const links = within(dialog).getAllByRole("link");
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "/forum/t/t2?post=9",
      "/forum/t/t1?post=5",
      "/users/boris",
      "/notifications",
    ]);
    expect(links[0]).toHaveAccessibleName(/^Unread:/);
    expect(links[2]).toHaveAccessibleName(/^Boris accepted your friend request/);

    act(() =>
      registry.event({
        type: "notification_received",
        notification: notification("n3", { kind: "quote", actor: boris }),
        unread_count: 3,
      }),
    );
    const quoted = await within(dialog).findByRole("link", { name: /Boris quoted you in “Backups”/ });
    expect(within(dialog).getAllByRole("link")[0]).toBe(quoted);
  });

  it("marks all read at once, and tells the server", async () => {
    const asked = serveNotifications({ unread: 2, pages: { "": latest } });
    renderWithLive(<NotificationBell />);
    await userEvent.click(await bell("Notifications, 2 unread"));
    const dialog = await screen.findByRole("dialog");
    await within(dialog).findByRole("link", { name: /Anna mentioned you/ });

    await userEvent.click(within(dialog).getByRole("button", { name: "Mark all read" }));
    expect(await bell("Notifications")).toBeInTheDocument();
    expect(within(dialog).queryByText("Unread:")).not.toBeInTheDocument();
    const markAll = within(dialog).getByRole("button", { name: "Mark all read" });
    expect(markAll).toHaveAttribute("aria-disabled", "true");
    expect(markAll).toHaveFocus();
    await waitFor(() => expect(asked.some((r) => r.method === "POST" && r.path === "/api/v1/notifications/read")).toBe(true));
  });

  it("opens the exact post of a notification, marks it read and closes", async () => {
    const asked = serveNotifications({ unread: 2, pages: { "": latest } });
    renderWithLive(<NotificationBell />);
    await userEvent.click(await bell("Notifications, 2 unread"));
    await userEvent.click(await screen.findByRole("link", { name: /Anna replied in “Backups”/ }));

    expect(location()).toBe("/forum/t/t1?post=5");
    expect(await bell("Notifications, 1 unread")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(asked.some((r) => r.method === "POST" && r.path === "/api/v1/notifications/n1/read")).toBe(true));
  });

  it("leads to the whole inbox", async () => {
    serveNotifications({ unread: 0, pages: { "": { items: [], next_cursor: null } } });
    renderWithLive(<NotificationBell />);
    await userEvent.click(await bell("Notifications"));
    expect(await screen.findByText(/No notifications yet/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("link", { name: "See all notifications" }));
    expect(location()).toBe("/notifications");
  });
});
