// A page's h1: names the browser tab, and after in-app navigation takes the
// focus, so screen readers announce the new page.
import { Title, type TitleProps } from "@mantine/core";
import { useEffect, useRef } from "react";

let firstPageShown = false;

export function PageHeading({ children, ...props }: Omit<TitleProps, "order" | "children"> & { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · NoxChat`;
  }, [children]);
  useEffect(() => {
    // The first page of a visit keeps the browser's own focus.
    if (firstPageShown) ref.current?.focus();
    firstPageShown = true;
  }, []);
  return (
    <Title order={1} ref={ref} tabIndex={-1} style={{ outline: "none" }} {...props}>
      {children}
    </Title>
  );
}
