// Links inside server-rendered HTML (a post's mentions and quotes) are plain
// anchors: a click on one to a page of this app opens it in the app, without
// reloading it.
import type { MouseEvent } from "react";
import type { NavigateFunction } from "react-router";

/**
 * For the click handler of an element holding such HTML: a plain click on a
 * link to this app's pages navigates in the app. Other clicks (a modified or
 * middle click, a link elsewhere, to a file under /media or the API, or one
 * with a target) are left to the browser.
 */
export function followInApp(event: MouseEvent<HTMLElement>, navigate: NavigateFunction): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (!link || link.target || !link.href) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/media/") || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  void navigate(url.pathname + url.search + url.hash);
}
