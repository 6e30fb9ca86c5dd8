// How the message list scrolls, as in the messengers people know: it opens
// at the newest message and stays stuck to the bottom while the reader is
// there; scrolled up, arriving messages do not move the view but are counted
// for "Jump to latest"; older messages put above keep the one on screen in
// place (browsers' scroll anchoring does not help at the very top, where it
// matters most, so the list measures and restores it itself, measuring again
// as the reader goes on scrolling while they load).
import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useRef, useState, type RefObject } from "react";

/** This close to the bottom counts as at the bottom (a line's height, for rounding and a half-seen last line). */
export const NEAR_BOTTOM_PX = 48;

interface Keyed {
  key: string;
}

export function useChatScroll<T extends Keyed>(options: {
  items: T[];
  /** The first page is in: from now on, new keys below the first are arrivals. */
  loaded: boolean;
  own(item: T): boolean;
  /** Others' messages that arrived below (not older ones loaded above). */
  onArrived(items: T[]): void;
}) {
  const { items, loaded } = options;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  /** A row on screen while older messages load, and where it was last seen (its top in the viewport). */
  const anchor = useRef<{ key: string; element: HTMLElement; top: number } | null>(null);
  const known = useRef<{ keys: Set<string>; first: string | null } | null>(null);
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  const row = (key: string) => [...(scroller.current?.querySelectorAll<HTMLElement>("[data-key]") ?? [])].find((element) => element.dataset.key === key) ?? null;

  const toBottom = useCallback(() => {
    const element = scroller.current;
    stuck.current = true;
    if (element) element.scrollTop = element.scrollHeight;
  }, []);

  /**
   * On scroll: is the reader at the bottom? There, nothing is unseen any more.
   * While older messages load, the reader may go on scrolling: the row kept
   * in place is kept where it is now, not where it was when the load began.
   */
  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    const mark = anchor.current;
    if (mark?.element.isConnected) mark.top = mark.element.getBoundingClientRect().top;
    const near = element.scrollHeight - element.scrollTop - element.clientHeight <= NEAR_BOTTOM_PX;
    stuck.current = near;
    setAtBottom(near);
    if (near) setUnseen(0);
  }, []);

  /** Call just before asking for older messages: the first one shown now stays where it is. */
  const keepPlace = useCallback(() => {
    const first = scroller.current?.querySelector<HTMLElement>("[data-key]");
    anchor.current = first?.dataset.key ? { key: first.dataset.key, element: first, top: first.getBoundingClientRect().top } : null;
  }, []);

  const arrived = useEffectEvent((list: T[]) => latest.current.onArrived(list));

  useLayoutEffect(() => {
    if (!loaded) return;
    const keys = items.map((item) => item.key);
    const before = known.current;
    known.current = { keys: new Set(keys), first: keys[0] ?? null };
    if (!before) {
      toBottom(); // opens at the newest
      return;
    }
    const mark = anchor.current;
    if (mark && keys[0] !== before.first) {
      anchor.current = null;
      const element = mark.element.isConnected ? mark.element : row(mark.key);
      const shift = element ? element.getBoundingClientRect().top - mark.top : 0;
      if (shift !== 0 && scroller.current) scroller.current.scrollTop += shift;
    }
    // New keys below the old first one came in at the bottom; those above it are older history.
    const firstIndex = before.first === null ? -1 : keys.indexOf(before.first);
    const news = items.filter((item, index) => index > firstIndex && !before.keys.has(item.key));
    if (news.length === 0) return;
    const theirs = news.filter((item) => !latest.current.own(item));
    // My own message takes me to the bottom, wherever I was.
    if (stuck.current || theirs.length < news.length) {
      toBottom();
      setUnseen(0);
    } else {
      setUnseen((count) => count + theirs.length);
    }
    if (theirs.length) arrived(theirs);
  }, [items, loaded, toBottom]);

  // Pictures, an edit form, a longer line: while stuck, the bottom stays in sight.
  useEffect(() => {
    const element = content.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) toBottom();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [toBottom, loaded]);

  const jumpToLatest = useCallback(() => {
    toBottom();
    setAtBottom(true);
    setUnseen(0);
    // The button goes away: the keyboard stays in the list rather than falling to the page.
    scroller.current?.focus({ preventScroll: true });
  }, [toBottom]);

  return { scroller, content, onScroll, keepPlace, atBottom, unseen, jumpToLatest };
}

/**
 * Infinite scroll upwards: returns a ref for an element at the top of the
 * list; `load` runs while it is near the top of the scroller and `ready`,
 * and again each time `ready` comes back with it still near (short pages fill the view).
 */
export function useLoadNearTop(root: RefObject<HTMLElement | null>, load: () => void, ready: boolean, margin = "400px 0px 0px 0px") {
  const [near, setNear] = useState(false);
  // Observed from an effect, not the ref callback: children's refs are set
  // before their parents', so the scroller (the root) is only known by then.
  const [edge, setEdge] = useState<HTMLElement | null>(null);
  useEffect(() => {
    if (!edge) return;
    const observer = new IntersectionObserver(([entry]) => setNear(entry?.isIntersecting ?? false), { root: root.current, rootMargin: margin });
    observer.observe(edge);
    return () => {
      observer.disconnect();
      setNear(false);
    };
  }, [edge, root, margin]);
  const loadNow = useEffectEvent(load);
  useEffect(() => {
    if (near && ready) loadNow();
  }, [near, ready]);
  return setEdge;
}
