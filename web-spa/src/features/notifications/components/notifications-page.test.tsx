import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router";

import { NotificationsPage } from "@/features/notifications/components/notifications-page";
import { notificationKeys } from "@/features/notifications/keys";
import { anna, boris, notification, renderWithLive, serveNotifications, signIn } from "@/features/notifications/test-support";
import { authSession } from "@/lib/auth-session";
import { setLanguage } from "@/lib/i18n";

const inbox = [
  notification("n1"),
  notification("n2", { kind: "like", actor: boris, count: 3, post: { id: "p2", number: 12 } }),
  notification("n3", { kind: "friend_request", actor: { ...anna, handle: "vera", display_name: "Vera" }, topic: null, post: null }),
  notification("n4", {
    kind: "moderation",
    action: "topic_deleted",
    reason: "Spam",
    actor: boris,
    topic: { id: null, title: "Cheap watches" },
    post: null,
    read: true,
  }),
];

function renderPage() {
  return renderWithLive(
    <Routes>
      <Route path="/notifications" element={<NotificationsPage />} />
      <Route path="*" element={null} />
    </Routes>,
    "/notifications",
  );
}

const location = () => screen.getByRole("status", { name: "location" }).textContent;
const list = () => screen.getByRole("list");

afterEach(() => {
  // Unmounted first: signing out under a mounted screen would update it outside the test.
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
  setLanguage("en");
});

describe("NotificationsPage", () => {
  it("sends signed-out visitors to sign in", () => {
    authSession.clear();
    renderPage();
    expect(location()).toBe("/login");
  });

  it("says each notification in a sentence that links to the exact post or screen", async () => {
    signIn();
    serveNotifications({ unread: 3, pages: { "": { items: inbox, next_cursor: null } } });
    renderPage();
    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeInTheDocument();
    const links = await within(list()).findAllByRole("link");
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      "/forum/t/t1?post=5",
      "/forum/t/t1?post=12",
      "/users/vera",
      // The topic is gone: the forum instead.
      "/forum",
    ]);
    expect(links[0]).toHaveTextContent("Unread:Anna replied in “Backups”");
    expect(links[1]).toHaveTextContent("Unread:Boris and 2 others liked your post in “Backups”");
    expect(links[2]).toHaveTextContent("Unread:Vera sent you a friend request");
    expect(links[3]).toHaveTextContent("A moderator deleted your topic “Cheap watches”Reason: Spam");
    expect(links[3]).not.toHaveTextContent("Unread");
  });

  it("speaks Russian, with the right plural", async () => {
    setLanguage("ru");
    signIn();
    serveNotifications({ unread: 1, pages: { "": { items: [inbox[1]!], next_cursor: null } } });
    renderPage();
    expect(await within(await screen.findByRole("list")).findByRole("link", { name: /Boris и ещё 2 человека оценили ваше сообщение в теме «Backups»/ })).toBeInTheDocument();
  });

  it("marks a notification read as it is opened, and goes to its post", async () => {
    signIn();
    const asked = serveNotifications({ unread: 3, pages: { "": { items: inbox, next_cursor: null } } });
    const { queryClient } = renderPage();
    await userEvent.click(await screen.findByRole("link", { name: /Anna replied in “Backups”/ }));

    expect(location()).toBe("/forum/t/t1?post=5");
    await waitFor(() => expect(queryClient.getQueryData(notificationKeys.unread)).toBe(2));
    await waitFor(() => expect(asked).toContainEqual(expect.objectContaining({ method: "POST", path: "/api/v1/notifications/n1/read" })));
  });

  it("marks one read by its own button, and all at once", async () => {
    signIn();
    const asked = serveNotifications({ unread: 3, pages: { "": { items: inbox, next_cursor: null } } });
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Mark as read: Vera sent you a friend request" }));
    const read = await screen.findByRole("link", { name: /^Vera sent you a friend request/ });
    expect(read).toHaveAttribute("href", "/users/vera");
    expect(read).toHaveFocus();
    expect(screen.queryByRole("button", { name: /Vera/ })).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Mark all read" }));
    await waitFor(() => expect(within(list()).queryByText("Unread:")).not.toBeInTheDocument());
    expect(screen.getByRole("button", { name: "Mark all read" })).toHaveAttribute("aria-disabled", "true");
    await waitFor(() =>
      expect(asked.filter((r) => r.method === "POST").map((r) => r.path)).toEqual([
        "/api/v1/notifications/n3/read",
        "/api/v1/notifications/read",
      ]),
    );
  });

  it("loads older notifications on request", async () => {
    signIn();
    const asked = serveNotifications({
      unread: 0,
      pages: {
        "": { items: [notification("n1", { read: true })], next_cursor: "c2" },
        c2: { items: [notification("n0", { read: true, kind: "mention", topic: { id: "t9", title: "Older" } })], next_cursor: null },
      },
    });
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("link", { name: /Anna mentioned you in “Older”/ })).toHaveAttribute("href", "/forum/t/t9?post=5");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(asked.filter((r) => r.path === "/api/v1/notifications").map((r) => r.query.get("cursor"))).toEqual([null, "c2"]);
  });

  it("says when there is nothing yet", async () => {
    signIn();
    serveNotifications({ unread: 0, pages: { "": { items: [], next_cursor: null } } });
    renderPage();
    expect(await screen.findByText(/No notifications yet/)).toBeInTheDocument();
  });

  it("says what went wrong, and tries again", async () => {
    signIn();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          { type: "urn:noxchat:problem:unavailable", title: "x", status: 503, detail: "x", code: "unavailable" },
          { status: 503, headers: { "content-type": "application/problem+json" } },
        ),
      ),
    );
    renderPage();
    expect(await screen.findByRole("alert")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
