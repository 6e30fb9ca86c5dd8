// A dialog that is mounted the first time it opens and then kept, so its code
// loads on demand and Mantine can still hand focus back when it closes.
import { useCallback, useState } from "react";

export interface DialogState {
  /** Mount it: it has been opened at least once. */
  wanted: boolean;
  opened: boolean;
  open(): void;
  close(): void;
}

export function useDialog(): DialogState {
  const [wanted, setWanted] = useState(false);
  const [opened, setOpened] = useState(false);
  const open = useCallback(() => {
    setWanted(true);
    setOpened(true);
  }, []);
  const close = useCallback(() => setOpened(false), []);
  return { wanted, opened, open, close };
}
