import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import type { SearchHit } from "@/features/search/api/search-api";
import { HitList } from "@/features/search/components/hit-list";
import { setLanguage } from "@/lib/i18n";

const anna = { id: "u1", handle: "anna", display_name: "Анна", avatar: { small: "/a-64.jpg", large: "/a-256.jpg", is_default: true }, role: "user" as const };
const boris = { id: "u2", handle: "boris", display_name: "Boris", avatar: { small: "/b-64.jpg", large: "/b-256.jpg", is_default: true }, role: "user" as const };

// As the server sends them: the text escaped, the matched words marked.
const hits: SearchHit[] = [
  {
    type: "topic",
    id: "t1",
    title: "Как настроить сервер PostgreSQL",
    title_highlight: "Как <mark>настроить</mark> <mark>сервер</mark> PostgreSQL",
    excerpt: "Нужна помощь с &lt;config&gt; <mark>сервера</mark>",
    category: { id: "c1", slug: "general", name: "General" },
    author: anna,
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 3,
  },
  {
    type: "post",
    id: "p1",
    topic_id: "t2",
    topic_title: "Backups",
    number: 7,
    author: null,
    created_at: "2026-11-21T10:00:00Z",
    highlight: "… restore the <mark>server</mark> from …",
  },
  { type: "person", user: boris },
  {
    type: "message",
    conversation_id: "k1",
    seq: 42,
    sender: anna,
    created_at: "2026-11-21T11:00:00Z",
    highlight: "the <mark>server</mark> is up",
  },
];

function renderList(list: SearchHit[]) {
  render(
    <MantineProvider>
      <MemoryRouter>
        <HitList hits={list} label="Results" />
      </MemoryRouter>
    </MantineProvider>,
  );
  return within(screen.getByRole("list", { name: "Results" }));
}

function row(index: number) {
  const item = screen.getAllByRole("listitem")[index];
  if (!item) throw new Error(`no row ${index}`);
  return item;
}

afterEach(() => {
  cleanup();
  setLanguage("en");
});

describe("HitList", () => {
  it("shows one row per hit, in the server's order", () => {
    renderList(hits);
    expect(screen.getAllByRole("listitem")).toHaveLength(4);
  });

  it("links a topic to its page, its title and excerpt marked, with category, author and replies", () => {
    renderList(hits);
    const topic = within(row(0));
    const link = topic.getByRole("link", { name: "Как настроить сервер PostgreSQL" });
    expect(link).toHaveAttribute("href", "/forum/t/t1");
    expect(Array.from(link.querySelectorAll("mark"), (mark) => mark.textContent)).toEqual(["настроить", "сервер"]);
    // The server's escaping holds: the text shows the angle brackets, no element is made of them.
    expect(row(0).querySelector("config")).toBeNull();
    expect(topic.getByText(/Нужна помощь с <config>/)).toBeInTheDocument();
    expect(topic.getByText("сервера", { selector: "mark" })).toBeInTheDocument();
    expect(topic.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    expect(topic.getByRole("link", { name: "Анна" })).toHaveAttribute("href", "/users/anna");
    expect(topic.getByText(/Replies: 3/)).toBeInTheDocument();
  });

  it("links a post to its place in its topic", () => {
    renderList(hits);
    const post = within(row(1));
    expect(post.getByRole("link", { name: "Backups — post 7" })).toHaveAttribute("href", "/forum/t/t2?post=7");
    expect(post.getByText("server", { selector: "mark" })).toBeInTheDocument();
    expect(post.getByText(/Deleted user/)).toBeInTheDocument();
  });

  it("links a person to their profile", () => {
    renderList(hits);
    const person = within(row(2));
    expect(person.getByRole("link", { name: "Boris" })).toHaveAttribute("href", "/users/boris");
    expect(person.getByText("@boris")).toBeInTheDocument();
  });

  it("shows a message with its sender and time, leading to its conversation", () => {
    renderList(hits);
    const message = within(row(3));
    expect(message.getByRole("link", { name: "the server is up" })).toHaveAttribute("href", "/chats/k1");
    expect(message.getByText("Анна")).toBeInTheDocument();
    expect(row(3).querySelector("time")).toHaveAttribute("datetime", "2026-11-21T11:00:00Z");
    expect(message.getByText("server", { selector: "mark" })).toBeInTheDocument();
  });

  it("speaks Russian", () => {
    setLanguage("ru");
    renderList(hits);
    expect(within(row(0)).getByText(/Ответов: 3/)).toBeInTheDocument();
    expect(within(row(1)).getByRole("link", { name: "Backups — сообщение 7" })).toBeInTheDocument();
    expect(within(row(1)).getByText(/Удалённый пользователь/)).toBeInTheDocument();
  });
});
