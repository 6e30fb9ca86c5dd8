import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { ImageViewer, type ViewedPicture } from "@/components/ui/image-viewer";

function Viewer({ pictures, onClose = () => undefined }: { pictures: ViewedPicture[]; onClose?(): void }) {
  const [index, setIndex] = useState(0);
  return (
    <MantineProvider>
      <ImageViewer pictures={pictures} index={index} opened onClose={onClose} onIndexChange={setIndex} />
    </MantineProvider>
  );
}

const img = (dialog: HTMLElement) => dialog.querySelector("img")!;

afterEach(cleanup);

describe("ImageViewer", () => {
  it("shows one picture at a time, named by what it shows or else by its place, and goes between them by buttons and arrow keys", async () => {
    render(
      <Viewer
        pictures={[
          { src: "/media/uploads/one.jpg", alt: "A harbour at dawn" },
          { src: "/media/uploads/two.jpg", alt: "", width: 1600, height: 1200 },
          { src: "/media/uploads/three.jpg", alt: "" },
        ]}
      />,
    );
    const dialog = await screen.findByRole("dialog", { name: "A harbour at dawn" });
    expect(within(dialog).getByRole("img", { name: "A harbour at dawn" })).toHaveAttribute("src", "/media/uploads/one.jpg");
    expect(within(dialog).getByText("Picture 1 of 3")).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Next picture" }));
    // Nobody said what it shows: never decoration, it is named by its place; its size is kept before it loads.
    expect(dialog).toHaveAccessibleName("Picture 2 of 3");
    expect(within(dialog).getByRole("img", { name: "Picture 2 of 3" })).toHaveAttribute("src", "/media/uploads/two.jpg");
    expect(img(dialog)).toHaveAttribute("width", "1600");
    expect(img(dialog)).toHaveAttribute("height", "1200");

    await userEvent.keyboard("{ArrowRight}");
    expect(img(dialog)).toHaveAttribute("src", "/media/uploads/three.jpg");
    // Round from the last to the first, and back.
    await userEvent.keyboard("{ArrowRight}");
    expect(img(dialog)).toHaveAttribute("src", "/media/uploads/one.jpg");
    await userEvent.click(within(dialog).getByRole("button", { name: "Previous picture" }));
    expect(img(dialog)).toHaveAttribute("src", "/media/uploads/three.jpg");
  });

  it("offers no way between pictures when there is one, and closes by its button", async () => {
    const onClose = vi.fn();
    render(<Viewer pictures={[{ src: "/media/uploads/one.jpg", alt: "" }]} onClose={onClose} />);
    const dialog = await screen.findByRole("dialog", { name: "Picture 1 of 1" });
    expect(within(dialog).queryByRole("button", { name: "Next picture" })).toBeNull();
    await userEvent.keyboard("{ArrowRight}");
    expect(img(dialog)).toHaveAttribute("src", "/media/uploads/one.jpg");
    await userEvent.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalled();
  });
});
