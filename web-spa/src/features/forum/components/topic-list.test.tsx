import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import type { TopicSummary } from "@/features/forum/api/forum-api";
import { TopicList } from "@/features/forum/components/topic-list";
import { setLanguage } from "@/lib/i18n";

function topic(id: string, title: string, changes: Partial<TopicSummary> = {}): TopicSummary {
  return {
    id,
    title,
    category: { id: "c1", slug: "general", name: "General" },
    created_at: "2026-11-20T10:00:00Z",
    last_activity_at: "2026-11-21T10:00:00Z",
    reply_count: 4,
    view_count: 120,
    last_post_number: 5,
    pinned: false,
    locked: false,
    author: null,
    reading: null,
    ...changes,
  };
}

const topics = [
  topic("t1", "Rules of the forum", { pinned: true, reading: { status: "read", unread_count: 0, continue_at: 5 } }),
  topic("t2", "Never opened", { reading: { status: "new", unread_count: 5, continue_at: 1 } }),
  topic("t3", "Three new replies", { reading: { status: "unread", unread_count: 3, continue_at: 3 } }),
];

function renderList(list: TopicSummary[], showCategory = false) {
  render(
    <MantineProvider>
      <MemoryRouter>
        <TopicList topics={list} label="Topics" showCategory={showCategory} />
      </MemoryRouter>
    </MantineProvider>,
  );
  return within(screen.getByRole("list", { name: "Topics" }));
}

function row(list: ReturnType<typeof renderList>, title: string) {
  const item = list.getAllByRole("listitem").find((li) => li.textContent?.includes(title));
  if (!item) throw new Error(`no row for ${title}`);
  return within(item);
}

// Unmounted first: switching back must not re-render a list that is still shown.
afterEach(() => {
  cleanup();
  setLanguage("en");
});

describe("TopicList", () => {
  it("tells a signed-in reader what is new and unread, and nothing for what they read", () => {
    const list = renderList(topics);
    expect(list.getAllByRole("listitem").map((li) => li.querySelector("a")?.textContent)).toEqual([
      "Rules of the forum",
      "Never opened",
      "Three new replies",
    ]);
    expect(row(list, "Never opened").getByText("New")).toBeInTheDocument();
    expect(row(list, "Three new replies").getByText("3 unread")).toBeInTheDocument();
    const read = row(list, "Rules of the forum");
    expect(read.queryByText("New")).toBeNull();
    expect(read.queryByText(/unread/)).toBeNull();
    expect(read.getByText("Pinned")).toBeInTheDocument();
  });

  it("links each topic to its page, an unread one where the reader left off", () => {
    const list = renderList(topics);
    expect(list.getByRole("link", { name: "Never opened" })).toHaveAttribute("href", "/forum/t/t2");
    expect(list.getByRole("link", { name: "Three new replies" })).toHaveAttribute("href", "/forum/t/t3?post=3");
    expect(list.getByRole("link", { name: "Rules of the forum" })).toHaveAttribute("href", "/forum/t/t1");
  });

  it("shows counts and no reading badges to a signed-out visitor", () => {
    const list = renderList([topic("t4", "Open to all")], true);
    const only = row(list, "Open to all");
    expect(only.getByText(/Replies: 4/)).toBeInTheDocument();
    expect(only.getByText(/Views: 120/)).toBeInTheDocument();
    expect(only.getByRole("link", { name: "General" })).toHaveAttribute("href", "/forum/c/general");
    expect(only.queryByText("New")).toBeNull();
    expect(only.queryByText(/unread/)).toBeNull();
  });

  it("speaks Russian", () => {
    setLanguage("ru");
    const list = renderList(topics);
    expect(row(list, "Never opened").getByText("Новая")).toBeInTheDocument();
    expect(row(list, "Three new replies").getByText("Непрочитанных: 3")).toBeInTheDocument();
  });
});
