// Posts put above the ones on screen must not push them down: the reader
// keeps looking at the same post. Browsers' own scroll anchoring does this in
// most cases, not all (Safari before 18, or no post on screen to anchor to),
// so the page measures and restores it itself; where the browser already
// did, the measured shift is nil.
import { useCallback, useLayoutEffect, useRef, type RefObject } from "react";

/**
 * `list` holds the posts as children with `data-number`; `firstNumber` is
 * the first one's. Call the returned function just before asking for
 * earlier posts; once they are in (the first number changed), the post that
 * was first is put back where it was on screen.
 */
export function useKeepInPlace(list: RefObject<HTMLElement | null>, firstNumber: number | undefined): () => void {
  const saved = useRef<{ number: number; top: number } | null>(null);
  const remember = useCallback(() => {
    const first = list.current?.querySelector<HTMLElement>(":scope > [data-number]");
    saved.current = first ? { number: Number(first.dataset.number), top: first.getBoundingClientRect().top } : null;
  }, [list]);
  useLayoutEffect(() => {
    const mark = saved.current;
    if (!mark || firstNumber === mark.number) return;
    saved.current = null;
    const element = list.current?.querySelector(`:scope > [data-number="${mark.number}"]`);
    const shift = element ? element.getBoundingClientRect().top - mark.top : 0;
    if (shift !== 0) window.scrollBy(0, shift);
  }, [list, firstNumber]);
  return remember;
}
