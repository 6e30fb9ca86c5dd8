// Which post the reader is at, as they scroll: the one at the top of the
// screen (below the fixed header), as a reload would put it.
import { useEffect, useEffectEvent, type RefObject } from "react";

/** A tall post stays the one read while it covers this much of the screen's top. */
const READING_LINE = 0.3;

/**
 * The post (a child of `list` with `data-number`) at the top of the screen:
 * the first with more than half of it below the top, or reaching well down
 * the screen; null when none is on screen.
 */
export function postAtTop(list: HTMLElement): number | null {
  const items = list.querySelectorAll<HTMLElement>(":scope > [data-number]");
  const first = items[0];
  if (!first) return null;
  // Posts keep clear of the header by their scroll margin: the visible part starts there.
  const top = parseFloat(getComputedStyle(first).scrollMarginTop) || 0;
  const reach = (window.innerHeight - top) * READING_LINE;
  for (const item of items) {
    const box = item.getBoundingClientRect();
    if (box.bottom > top + Math.min(box.height / 2, reach)) return box.top < window.innerHeight ? Number(item.dataset.number) : null;
  }
  return null;
}

/** Calls `onChange` with the post the reader is at once they stop scrolling for `wait` ms. */
export function useReadingPosition(list: RefObject<HTMLElement | null>, onChange: (number: number) => void, wait = 300): void {
  const report = useEffectEvent(onChange);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: number | null = null;
    const measure = () => {
      const number = list.current ? postAtTop(list.current) : null;
      if (number === null || number === last) return;
      last = number;
      report(number);
    };
    const scrolled = () => {
      clearTimeout(timer);
      timer = setTimeout(measure, wait);
    };
    addEventListener("scroll", scrolled, { passive: true });
    return () => {
      removeEventListener("scroll", scrolled);
      clearTimeout(timer);
    };
  }, [list, wait]);
}
