// The tab's title starts with the unread message count, "(3) Forum · NoxChat",
// so it shows among other tabs. Pages set their own titles (PageHeading), so
// the count is put back whenever the title changes, not only when the count does.
import { useEffect } from "react";

const COUNT = /^\(\d+\) /;

export function useUnreadTitle(count: number): void {
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(COUNT, "");
      const wanted = count > 0 ? `(${count}) ${base}` : base;
      // Equal, nothing is written: the observer's own change ends here.
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const title = document.querySelector("title");
    if (!title) return;
    const observer = new MutationObserver(apply);
    observer.observe(title, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }, [count]);
}
