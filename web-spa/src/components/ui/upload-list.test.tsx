import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { UploadList } from "@/components/ui/upload-list";
import { ApiProblem } from "@/lib/problem";
import type { UploadItem } from "@/lib/use-picture-uploads";

afterEach(cleanup);

describe("UploadList", () => {
  it("shows each picture in flight with its progress, and each refusal with its reason, the limit in the caller's words", async () => {
    const onDismiss = vi.fn();
    const busy = new ApiProblem({ type: "urn:noxchat:problem:too_many_uploads", title: "Too many", status: 429, detail: "Wait.", code: "too_many_uploads" } as ConstructorParameters<typeof ApiProblem>[0]);
    const items: UploadItem[] = [
      { key: 1, name: "sunset.png", status: "sending", progress: 0.42 },
      { key: 2, name: "next.png", status: "waiting", progress: 0 },
      { key: 3, name: "notes.txt", status: "failed", refusal: { reason: "type" } },
      { key: 4, name: "huge.png", status: "failed", refusal: { reason: "size" } },
      { key: 5, name: "eleventh.png", status: "failed", refusal: { reason: "count" } },
      { key: 6, name: "later.png", status: "failed", refusal: { reason: "server", error: busy } },
    ];
    render(
      <MantineProvider>
        <UploadList items={items} onDismiss={onDismiss} tooMany={(name, count) => `${name}: at most ${count} here`} />
      </MantineProvider>,
    );
    expect(screen.getByRole("progressbar", { name: "Uploading sunset.png" })).toHaveAttribute("aria-valuenow", "42");
    expect(screen.getByRole("progressbar", { name: "Uploading next.png" })).toHaveAttribute("aria-valuenow", "0");
    expect(screen.getAllByRole("alert").map((alert) => alert.textContent)).toEqual([
      "notes.txt is not a picture: JPEG, PNG, WebP and GIF files are accepted.",
      "huge.png is larger than 10 MB: choose a smaller picture.",
      "eleventh.png: at most 10 here",
      expect.stringMatching(/^later\.png was not uploaded: .+/),
    ]);

    await userEvent.click(screen.getByRole("button", { name: "Cancel uploading sunset.png" }));
    expect(onDismiss).toHaveBeenLastCalledWith(1);
    await userEvent.click(screen.getAllByRole("button", { name: "Dismiss" })[0]!);
    expect(onDismiss).toHaveBeenLastCalledWith(3);
  });

  it("shows nothing when nothing is on its way", () => {
    const { container } = render(
      <MantineProvider>
        <UploadList items={[]} onDismiss={() => undefined} tooMany={() => ""} />
      </MantineProvider>,
    );
    expect(container.querySelector(".mantine-Stack-root")).toBeNull();
  });
});
