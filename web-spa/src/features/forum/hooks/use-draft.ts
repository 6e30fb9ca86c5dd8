// Text being written (and what goes with it: the post replied to, the
// pictures uploaded), kept in localStorage so that a reload, a closed tab or
// a crash loses nothing. What is sent is then taken out of it (the form
// does that: the reader may have written on meanwhile). Forms put the
// signed-in person's id in the key: drafts are not shared between accounts.
import { useCallback, useLayoutEffect, useRef, useState } from "react";

const PREFIX = "noxchat:draft:";

function read<T extends object>(key: string, empty: T): T {
  try {
    const stored = globalThis.localStorage?.getItem(PREFIX + key);
    const parsed: unknown = stored ? JSON.parse(stored) : null;
    // Fields missing from an older draft take their empty value.
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? { ...empty, ...parsed } : empty;
  } catch {
    return empty; // storage disabled or a damaged entry: a draft is a convenience
  }
}

function write<T extends object>(key: string, value: T, empty: T): void {
  try {
    const text = JSON.stringify(value);
    if (text === JSON.stringify(empty)) globalThis.localStorage?.removeItem(PREFIX + key);
    else globalThis.localStorage?.setItem(PREFIX + key, text);
  } catch {
    // storage full or disabled: keep the draft in memory only
  }
}

export type DraftUpdate<T> = Partial<T> | ((current: T) => Partial<T>);

/**
 * The draft stored under `key` (`empty` when there is none), a setter that
 * merges changes into it and stores it, and `clear` to empty it. Changes
 * build on each other even when several come before a render.
 */
export function useDraft<T extends object>(key: string, empty: T): [T, (update: DraftUpdate<T>) => void, () => void] {
  const [state, setState] = useState(() => ({ key, value: read(key, empty) }));
  // Another key (another topic) reads its own draft.
  const value = state.key === key ? state.value : read(key, empty);
  const latest = useRef({ key, value, empty });
  useLayoutEffect(() => {
    latest.current = { key, value, empty };
  });
  const set = useCallback((update: DraftUpdate<T>) => {
    const { key, value, empty } = latest.current;
    const next = { ...value, ...(typeof update === "function" ? update(value) : update) };
    latest.current = { key, value: next, empty };
    write(key, next, empty);
    setState({ key, value: next });
  }, []);
  const clear = useCallback(() => set(latest.current.empty), [set]);
  return [value, set, clear];
}
