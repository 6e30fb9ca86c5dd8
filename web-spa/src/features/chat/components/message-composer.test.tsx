import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";

import type { Picture } from "@/features/chat/api/chat-api";
import { MessageComposer } from "@/features/chat/components/message-composer";
import { registerChatLive, type ChatConnection } from "@/features/chat/live";
import { outboxFor, type PendingMessage } from "@/features/chat/store/outbox";
import { anna, me } from "@/features/chat/test-support";
import { authSession, type Me } from "@/lib/auth-session";
import { LiveRegistry } from "@/lib/realtime";

/** A stand-in for the browser's XMLHttpRequest: the test decides how each upload goes. */
class FakeUpload {
  static sent: FakeUpload[] = [];
  method = "";
  url = "";
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
  setRequestHeader() {}
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

function image(name: string, type = "image/png"): File {
  return new File(["x"], name, { type });
}

/** The composer of conversation "c1"; what it sends is recorded rather than sent. */
function renderComposer() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const connection: ChatConnection = { sendTyping: vi.fn(), getState: () => "online", subscribe: () => () => undefined };
  registerChatLive(new LiveRegistry(), queryClient, () => me.id, vi.fn(), connection);
  const outbox = outboxFor(me.id, queryClient);
  const send = vi.spyOn(outbox, "send").mockImplementation(
    (conversationId, body, pictures) => ({ clientId: "x", conversationId, body, pictures, uploadIds: [], createdAt: "", state: "sending", attempts: 0 }) as PendingMessage,
  );
  render(
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <MessageComposer conversationId="c1" />
      </QueryClientProvider>
    </MantineProvider>,
  );
  const field = screen.getByRole("textbox", { name: "Message" }) as HTMLTextAreaElement;
  return { field, send, sendTyping: connection.sendTyping };
}

beforeEach(() => {
  localStorage.clear();
  FakeUpload.sent = [];
  authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
});
afterEach(() => {
  cleanup();
  outboxFor(me.id).stop();
  authSession.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("MessageComposer", () => {
  it("sends the text on Enter, and is empty and ready for the next one", async () => {
    const { field, send } = renderComposer();
    await userEvent.type(field, "  Hello there  {Enter}");
    expect(send).toHaveBeenCalledExactlyOnceWith("c1", "Hello there", []);
    expect(field).toHaveValue("");
    expect(field).toHaveFocus();
  });

  it("starts a new line on Shift+Enter, and sends the lines together", async () => {
    const { field, send } = renderComposer();
    await userEvent.type(field, "first line{Shift>}{Enter}{/Shift}second line");
    expect(field).toHaveValue("first line\nsecond line");
    expect(send).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(send).toHaveBeenCalledExactlyOnceWith("c1", "first line\nsecond line", []);
  });

  it("sends nothing while there is nothing to send", async () => {
    const { field, send } = renderComposer();
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
    await userEvent.type(field, "   {Enter}");
    await userEvent.type(field, "{Shift>}{Enter}{/Shift}{Enter}");
    expect(send).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
  });

  it("uploads a pasted picture with its progress, then sends it, with or without words", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const { field, send } = renderComposer();
    fireEvent.paste(field, { clipboardData: { files: [image("sunset.png")], types: ["Files"], getData: () => "" } });

    await vi.waitFor(() => expect(FakeUpload.sent).toHaveLength(1));
    const upload = FakeUpload.sent[0]!;
    expect([upload.method, upload.url]).toEqual(["POST", "/api/v1/uploads"]);
    expect((upload.body?.get("file") as File).name).toBe("sunset.png");
    upload.progress(30, 100);
    expect(screen.getByRole("progressbar", { name: "Uploading sunset.png" })).toHaveAttribute("aria-valuenow", "30");
    // Sending waits for the picture.
    await userEvent.type(field, "{Enter}");
    expect(send).not.toHaveBeenCalled();

    await upload.respond(201, picture);
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByRole("group", { name: "Pictures to send" })).toBeInTheDocument();
    await userEvent.type(field, "{Enter}");
    expect(send).toHaveBeenCalledExactlyOnceWith("c1", null, [picture]);
    expect(screen.queryByRole("group", { name: "Pictures to send" })).toBeNull();
  });

  it("refuses a pasted file that is not a picture, saying why, before sending anything", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const { field } = renderComposer();
    fireEvent.paste(field, { clipboardData: { files: [image("notes.txt", "text/plain")], types: ["Files"], getData: () => "" } });
    expect(await screen.findByRole("alert")).toHaveTextContent("notes.txt is not a picture");
    expect(FakeUpload.sent).toHaveLength(0);
  });

  it("keeps what I typed and did not send for me alone: whoever signs in next on this tab does not see it", async () => {
    const first = renderComposer().field;
    await userEvent.clear(first);
    await userEvent.type(first, "For my eyes only");
    cleanup();
    // Back in the conversation, still me: the draft is there.
    expect(renderComposer().field).toHaveValue("For my eyes only");
    cleanup();

    // I sign out, and Anna signs in, without a reload: the conversation's composer is empty for her.
    authSession.clear();
    authSession.accept({ access_token: "other", expires_in: 900, user: { id: anna.id, handle: anna.handle } as Me } as Parameters<typeof authSession.accept>[0]);
    expect(renderComposer().field).toHaveValue("");
    cleanup();

    // My draft waits for me.
    authSession.clear();
    authSession.accept({ access_token: "token", expires_in: 900, user: { id: me.id, handle: me.handle } as Me } as Parameters<typeof authSession.accept>[0]);
    expect(renderComposer().field).toHaveValue("For my eyes only");
  });

  it("refuses pictures past the message's limit, in the messenger's words", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const { field } = renderComposer();
    const files = Array.from({ length: 11 }, (_, i) => image(`p${i + 1}.png`));
    fireEvent.paste(field, { clipboardData: { files, types: ["Files"], getData: () => "" } });
    expect(await screen.findByRole("alert")).toHaveTextContent("p11.png was not added: a message can have at most 10 pictures.");
    expect(screen.getAllByRole("progressbar")).toHaveLength(10);
  });

  it("tells the others I am typing, at most every 2 seconds", async () => {
    const { field, sendTyping } = renderComposer();
    await userEvent.type(field, "Hel");
    expect(sendTyping).toHaveBeenCalledExactlyOnceWith("c1");
  });

  it("has no serious accessibility problems", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeUpload);
    const { field } = renderComposer();
    fireEvent.paste(field, { clipboardData: { files: [image("sunset.png"), image("notes.txt", "text/plain")], types: ["Files"], getData: () => "" } });
    await screen.findByRole("progressbar");
    const result = await axe.run(document.body, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
      rules: { "color-contrast": { enabled: false } },
    });
    expect(result.violations.map((violation) => violation.id)).toEqual([]);
  });
});
