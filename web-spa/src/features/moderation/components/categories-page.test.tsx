import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import type { Category } from "@/features/moderation/api/moderation-api";
import { CategoriesPage } from "@/features/moderation/components/categories-page";
import { authSession, type Me } from "@/lib/auth-session";

const category = (slug: string, name: string, topic_count: number, position: number): Category => ({
  id: `c-${slug}`,
  slug,
  name,
  description: "",
  position,
  topic_count,
});

function signIn(role: Me["role"]) {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna", role } as Me } as Parameters<
    typeof authSession.accept
  >[0]);
}

function renderPage() {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <CategoriesPage />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  authSession.clear();
});

describe("CategoriesPage", () => {
  it("moves a category down and sends every slug in the new order", async () => {
    signIn("admin");
    let categories = [category("general", "General", 3, 1), category("help", "Help", 0, 2), category("news", "News", 1, 3)];
    const orders: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        if (request.method === "PUT") {
          const body = (await request.json()) as { slugs: string[] };
          orders.push(body);
          categories = body.slugs.map((slug, index) => ({ ...categories.find((c) => c.slug === slug)!, position: index + 1 }));
          return new Response(null, { status: 204 });
        }
        return Response.json({ items: categories });
      }),
    );
    renderPage();
    const list = await screen.findByRole("list", { name: "Categories in their order" });
    expect(within(list).getByRole("button", { name: "Move “General” up" })).toBeDisabled();
    await userEvent.click(within(list).getByRole("button", { name: "Move “General” down" }));

    await vi.waitFor(() => expect(orders).toEqual([{ slugs: ["help", "general", "news"] }]));
    const names = () => within(list).getAllByRole("listitem").map((item) => item.textContent?.split("/forum/c/")[0]);
    await vi.waitFor(() => expect(names()).toEqual(["Help", "General", "News"]));
  });

  it("deletes only an empty category", async () => {
    signIn("admin");
    const deleted: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        if (request.method === "DELETE") {
          deleted.push(new URL(request.url).pathname);
          return new Response(null, { status: 204 });
        }
        return Response.json({ items: [category("general", "General", 3, 1), category("help", "Help", 0, 2)] });
      }),
    );
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Delete “General”" }));
    const busy = await screen.findByRole("dialog", { name: "Delete “General”?" });
    expect(busy).toHaveTextContent("It still has 3 topics");
    expect(within(busy).getByRole("button", { name: "Delete" })).toBeDisabled();
    await userEvent.click(within(busy).getByRole("button", { name: "Cancel" }));

    await userEvent.click(screen.getByRole("button", { name: "Delete “Help”" }));
    const empty = await screen.findByRole("dialog", { name: "Delete “Help”?" });
    await userEvent.click(within(empty).getByRole("button", { name: "Delete" }));
    await vi.waitFor(() => expect(deleted).toEqual(["/api/v1/categories/help"]));
  });

  it("is for admins only", async () => {
    signIn("moderator");
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    renderPage();
    expect(await screen.findByText("For admins only")).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
