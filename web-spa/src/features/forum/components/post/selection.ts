// The reader's selection, when it lies inside one element (a post's body).

/** The selected text if the selection starts and ends inside `element`, else "". */
export function selectedTextWithin(element: Element | null): string {
  const selection = globalThis.getSelection?.();
  if (!element || !selection || selection.isCollapsed || selection.rangeCount === 0) return "";
  const range = selection.getRangeAt(0);
  if (!element.contains(range.startContainer) || !element.contains(range.endContainer)) return "";
  return selection.toString().trim();
}
