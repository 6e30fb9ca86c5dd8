import { cleanup, fireEvent, render, screen } from "@testing-library/react";

import { followInApp } from "@/lib/follow-in-app";

function renderHtml(html: string) {
  const navigate = vi.fn();
  render(<div onClick={(event) => followInApp(event, navigate)} dangerouslySetInnerHTML={{ __html: html }} />);
  return navigate;
}

afterEach(cleanup);

describe("followInApp", () => {
  it("opens a link to a page of the app in the app", () => {
    const navigate = renderHtml(`<p>See <a href="/forum/t/t1?post=3#post-3"><strong>#3</strong></a></p>`);
    const click = fireEvent.click(screen.getByText("#3"));
    expect(navigate).toHaveBeenCalledWith("/forum/t/t1?post=3#post-3");
    // The browser does not follow it as well.
    expect(click).toBe(false);
  });

  it("leaves other links and other clicks to the browser", () => {
    const navigate = renderHtml(
      [
        `<a href="https://example.com/x">elsewhere</a>`,
        `<a href="/media/uploads/a.jpg">picture</a>`,
        `<a href="/api/v1/topics">api</a>`,
        `<a href="/users/anna" target="_blank">new tab</a>`,
        `<a href="/users/boris">boris</a>`,
      ].join(" "),
    );
    for (const name of ["elsewhere", "picture", "api", "new tab"]) fireEvent.click(screen.getByRole("link", { name }));
    fireEvent.click(screen.getByRole("link", { name: "boris" }), { ctrlKey: true });
    fireEvent.click(screen.getByRole("link", { name: "boris" }), { button: 1 });
    expect(navigate).not.toHaveBeenCalled();
  });
});
