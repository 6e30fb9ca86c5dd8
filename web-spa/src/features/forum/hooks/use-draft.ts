// Text being written, kept in this tab's sessionStorage so a reload loses
// nothing; sessionStorage rather than localStorage, so a draft does not
// outlive the tab on a shared computer.
import { useCallback, useState } from "react";

const PREFIX = "noxchat:draft:";

function read(key: string): string {
  try {
    return globalThis.sessionStorage?.getItem(PREFIX + key) ?? "";
  } catch {
    return ""; // storage disabled: a draft is a convenience
  }
}

function write(key: string, value: string): void {
  try {
    if (value) globalThis.sessionStorage?.setItem(PREFIX + key, value);
    else globalThis.sessionStorage?.removeItem(PREFIX + key);
  } catch {
    // storage full or disabled: keep the text in memory only
  }
}

/** The draft stored under `key`, a setter that stores it, and `clear` for after a successful send. */
export function useDraft(key: string): [string, (value: string) => void, () => void] {
  const [state, setState] = useState(() => ({ key, value: read(key) }));
  // Another key (another topic) reads its own draft.
  const value = state.key === key ? state.value : read(key);
  const set = useCallback(
    (next: string) => {
      write(key, next);
      setState({ key, value: next });
    },
    [key],
  );
  const clear = useCallback(() => set(""), [set]);
  return [value, set, clear];
}
