// Infinite scroll: an element at an edge of a list loads more while it is
// near the screen.
import { useCallback, useEffect, useEffectEvent, useState } from "react";

/**
 * Returns a ref for the edge element. `load` runs when it comes near the
 * screen while `ready`, and again each time `ready` comes back (the last
 * load done) with it still near: short pages fill the screen.
 */
export function useLoadWhenNear(load: () => void, ready: boolean, margin = "600px 0px") {
  const [near, setNear] = useState(false);
  const ref = useCallback(
    (element: HTMLElement | null) => {
      if (!element) return;
      const observer = new IntersectionObserver(([entry]) => setNear(entry?.isIntersecting ?? false), { rootMargin: margin });
      observer.observe(element);
      return () => {
        observer.disconnect();
        setNear(false);
      };
    },
    [margin],
  );
  const loadNow = useEffectEvent(load);
  useEffect(() => {
    if (near && ready) loadNow();
  }, [near, ready]);
  return ref;
}
