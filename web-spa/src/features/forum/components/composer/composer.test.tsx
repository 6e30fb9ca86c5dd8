import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { useState } from "react";

import type { MentionCandidate, Picture } from "@/features/forum/api/uploads-api";
import { Composer } from "@/features/forum/components/composer/composer";
import { authSession, type Me } from "@/lib/auth-session";

/** A stand-in for the browser's XMLHttpRequest: the test decides how each upload goes. */
class FakeUpload {
  static sent: FakeUpload[] = [];
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = "";
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
    FakeUpload.sent.push(this);
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total }));
  }
  /** Answers the upload, and lets the composer take the answer in. */
  async respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    await act(async () => this.onload?.());
  }
}

const picture: Picture = {
  id: "0193f4d2-0000-7000-8000-00000000000a",
  url: "/media/uploads/sunset.jpg",
  width: 1600,
  height: 1200,
  thumbnail_url: "/media/uploads/sunset-thumb.jpg",
  thumbnail_width: 400,
  thumbnail_height: 300,
};

function person(handle: string, name: string): MentionCandidate {
  return { id: `id-${handle}`, handle, display_name: name, avatar: { small: "", large: "", is_default: true }, role: "user" };
}

function signIn() {
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna" } as Me } as Parameters<typeof authSession.accept>[0]);
}

/** The composer in a form that keeps its text and pictures, as the reply form does. */
function Harness({ initialIds = [] }: { initialIds?: string[] }) {
  const [value, setValue] = useState("");
  const [ids, setIds] = useState(initialIds);
  return (
    <>
      <Composer label="Post" value={value} onChange={setValue} imageIds={ids} onImageIdsChange={setIds} />
      <output aria-label="Picture ids">{ids.join(",")}</output>
    </>
  );
}

function renderComposer(initialIds?: string[]) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <Harness initialIds={initialIds} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return screen.getByRole("textbox", { name: "Post" }) as HTMLTextAreaElement;
}

function image(name: string, size = 1000, type = "image/png"): File {
  const file = new File(["x"], name, { type });
  Object.defineProperty(file, "size", { value: size });
  return file;
}

function paste(field: HTMLElement, files: File[]) {
  fireEvent.paste(field, { clipboardData: { files, types: ["Files"], getData: () => "" } });
}

beforeEach(() => {
  FakeUpload.sent = [];
  signIn();
});
afterEach(() => {
  vi.unstubAllGlobals();
  // Unmounted first: signing out re-renders a form that is still shown.
  cleanup();
  authSession.clear();
});

describe("Composer", () => {
  it("wraps the selection in bold from the toolbar, and in italics with Ctrl+I", async () => {
    const field = renderComposer();
    await userEvent.type(field, "make this bold");
    field.setSelectionRange(10, 14);
    await userEvent.click(screen.getByRole("button", { name: "Bold" }));
    expect(field).toHaveValue("make this **bold**");
    // The words stay selected, so another button applies to them too.
    expect([field.selectionStart, field.selectionEnd]).toEqual([12, 16]);

    field.setSelectionRange(0, 4);
    await userEvent.keyboard("{Control>}i{/Control}");
    expect(field).toHaveValue("_make_ this **bold**");
  });

  it("turns lines into a numbered list, and back", async () => {
    const field = renderComposer();
    await userEvent.type(field, "milk{Enter}bread");
    field.setSelectionRange(0, field.value.length);
    const list = screen.getByRole("button", { name: "Numbered list" });
    await userEvent.click(list);
    expect(field).toHaveValue("1. milk\n2. bread");
    await userEvent.click(list);
    expect(field).toHaveValue("milk\nbread");
  });

  it("suggests people for an @mention and puts the chosen handle in", async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        asked.push(request.url);
        return Response.json({ items: [person("anna", "Anna Karenina"), person("andrei", "Andrei Bolkonsky")], next_cursor: null });
      }),
    );
    const field = renderComposer();
    await userEvent.type(field, "Thanks @an");
    const first = await screen.findByRole("option", { name: /Anna Karenina/ });
    const url = new URL(asked.at(-1) ?? "");
    expect([url.pathname, url.searchParams.get("q"), url.searchParams.get("limit")]).toEqual(["/api/v1/users", "an", "5"]);
    expect(field).toHaveAttribute("aria-activedescendant", first.id);
    expect(first).toHaveAttribute("aria-selected", "true");

    await userEvent.keyboard("{ArrowDown}");
    const second = screen.getByRole("option", { name: /Andrei Bolkonsky/ });
    expect(field).toHaveAttribute("aria-activedescendant", second.id);
    await userEvent.keyboard("{Enter}");
    expect(field).toHaveValue("Thanks @andrei ");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(field).not.toHaveAttribute("aria-activedescendant");
  });

  it("closes the suggestions on Escape", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ items: [person("anna", "Anna Karenina")], next_cursor: null })));
    const field = renderComposer();
    await userEvent.type(field, "@a");
    expect(await screen.findByRole("listbox", { name: "People to mention" })).toBeInTheDocument();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(field).toHaveValue("@a");
  });

  it("uploads a pasted picture with its progress, then shows it in the text and lists its id", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const field = renderComposer();
    await userEvent.type(field, "Look:");
    paste(field, [image("sunset.png")]);

    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    const upload = FakeUpload.sent[0]!;
    expect([upload.method, upload.url, upload.headers.Authorization]).toEqual(["POST", "/api/v1/uploads", "Bearer token"]);
    expect((upload.body?.get("file") as File).name).toBe("sunset.png");

    upload.progress(40, 100);
    expect(screen.getByRole("progressbar", { name: "Uploading sunset.png" })).toHaveAttribute("aria-valuenow", "40");

    await upload.respond(201, picture);
    await vi.waitFor(() => expect(field).toHaveValue("Look:\n![](/media/uploads/sunset.jpg)\n"));
    expect(screen.getByRole("status", { name: "Picture ids" })).toHaveTextContent(picture.id);
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("uploads a picture dropped on the text area, or chosen with the picture button, one after another", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const field = renderComposer();
    const files = [image("drop.webp", 2000, "image/webp")];
    fireEvent.dragEnter(field, { dataTransfer: { types: ["Files"], files } });
    fireEvent.drop(field, { dataTransfer: { types: ["Files"], files } });
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    expect((FakeUpload.sent[0]!.body?.get("file") as File).name).toBe("drop.webp");

    const picker = screen.getByTestId("composer-picture-input");
    expect(picker).toHaveAttribute("accept", "image/jpeg,image/png,image/webp,image/gif");
    await userEvent.upload(picker, image("chosen.gif", 500, "image/gif"), { applyAccept: true });
    expect(screen.getByRole("progressbar", { name: "Uploading chosen.gif" })).toHaveAttribute("aria-valuenow", "0");
    // The server takes one upload at a time from a person: the second waits for the first.
    expect(FakeUpload.sent).toHaveLength(1);
    await FakeUpload.sent[0]!.respond(201, picture);
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(2));
    expect((FakeUpload.sent[1]!.body?.get("file") as File).name).toBe("chosen.gif");
  });

  it("refuses, before sending anything, what the server would refuse", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const field = renderComposer(Array.from({ length: 9 }, (_, index) => `id-${index}`));
    paste(field, [image("notes.txt", 10, "text/plain"), image("huge.jpg", 11 * 1024 * 1024, "image/jpeg"), image("ninth.png"), image("tenth.png")]);

    const alerts = await screen.findAllByRole("alert");
    expect(alerts.map((alert) => alert.textContent)).toEqual([
      "notes.txt is not a picture: JPEG, PNG, WebP and GIF files are accepted.",
      "huge.jpg is larger than 10 MB: choose a smaller picture.",
      "tenth.png was not added: a post can have at most 10 pictures.",
    ]);
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    expect((FakeUpload.sent[0]!.body?.get("file") as File).name).toBe("ninth.png");
    // A refusal can be put away.
    await userEvent.click(within(alerts[0]!.parentElement!).getByRole("button", { name: "Dismiss" }));
    expect(screen.getAllByRole("alert")).toHaveLength(2);
  });

  it("shows why the server refused a picture", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const field = renderComposer();
    paste(field, [image("broken.png")]);
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    await FakeUpload.sent[0]!.respond(422, { type: "about:blank", title: "Unprocessable", status: 422, detail: "The image is damaged.", code: "invalid_image" });
    expect(await screen.findByRole("alert")).toHaveTextContent(/^broken\.png was not uploaded: /);
    expect(field).toHaveValue("");
  });

  it("uploads again with a fresh token when the server says the old one expired", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ access_token: "fresh", expires_in: 900, user: { id: "u1", handle: "anna" } })));
    const field = renderComposer();
    paste(field, [image("late.png")]);
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    await FakeUpload.sent[0]!.respond(401, { type: "about:blank", title: "Unauthorized", status: 401, detail: "Expired.", code: "token_expired" });
    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(2));
    expect(FakeUpload.sent[1]!.headers.Authorization).toBe("Bearer fresh");
    await FakeUpload.sent[1]!.respond(201, picture);
    await vi.waitFor(() => expect(field).toHaveValue("![](/media/uploads/sunset.jpg)\n"));
  });

  it("has no serious accessibility problems while suggesting people and uploading", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ items: [person("anna", "Anna Karenina")], next_cursor: null })));
    const field = renderComposer();
    await userEvent.type(field, "@an");
    await screen.findByRole("option");
    paste(field, [image("sunset.png"), image("notes.txt", 10, "text/plain")]);
    await screen.findByRole("progressbar");
    // jsdom lays nothing out, so contrast is checked in the browser journeys instead.
    const result = await axe.run(document.body, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
      rules: { "color-contrast": { enabled: false } },
    });
    expect(result.violations.map((violation) => violation.id)).toEqual([]);
  });

  it("previews the Markdown as the server renders it", async () => {
    const previews: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        previews.push(await request.json());
        return Response.json({ html: "<p>Hello <strong>world</strong></p>" });
      }),
    );
    const field = renderComposer();
    await userEvent.click(screen.getByRole("tab", { name: "Preview" }));
    expect(await screen.findByText("Nothing to preview")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("tab", { name: "Write" }));
    await userEvent.type(field, "Hello **world**");
    await userEvent.click(screen.getByRole("tab", { name: "Preview" }));
    const bold = await screen.findByText("world");
    expect(bold.tagName).toBe("STRONG");
    expect(bold.closest(".post-body")).not.toBeNull();
    expect(previews).toEqual([{ body: "Hello **world**" }]);
  });
});
