// Pictures on their way to the server, for a post or a message being
// written (the forum's composer and the messenger's share it). The server
// takes one upload per person at a time, so files wait in a queue and go one
// after another; files it would refuse anyway are refused here, before
// anything is sent.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import { ApiProblem } from "@/lib/problem";
import { MAX_PICTURE_BYTES, PICTURE_TYPES, uploadPicture, type Picture } from "@/lib/upload";

export type UploadRefusal = { reason: "type" | "size" | "count" } | { reason: "server"; error: unknown };

export type UploadItem =
  | { key: number; name: string; status: "waiting" | "sending"; progress: number }
  | { key: number; name: string; status: "failed"; refusal: UploadRefusal };

interface Queued {
  key: number;
  file: File;
  controller: AbortController;
}

/** Another tab's upload may still be running: wait this long before trying again, a few times. */
const BUSY_RETRY_MS = 1500;
const BUSY_RETRIES = 3;

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function refusalOf(file: File): UploadRefusal | null {
  if (!PICTURE_TYPES.includes(file.type)) return { reason: "type" };
  if (file.size > MAX_PICTURE_BYTES) return { reason: "size" };
  return null;
}

export function usePictureUploads(options: {
  /** How many more pictures the post or message can take. */
  room(): number;
  onUploaded(picture: Picture): void;
}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const queue = useRef<Queued[]>([]);
  const current = useRef<Queued | null>(null);
  const nextKey = useRef(0);
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  const update = useCallback((key: number, item: UploadItem | null) => {
    setItems((list) => (item ? list.map((old) => (old.key === key ? item : old)) : list.filter((old) => old.key !== key)));
  }, []);

  const sendOne = useCallback(
    async ({ key, file, controller }: Queued) => {
      const { signal } = controller;
      update(key, { key, name: file.name, status: "sending", progress: 0 });
      for (let attempt = 0; ; attempt += 1) {
        try {
          const picture = await uploadPicture(file, {
            signal,
            onProgress: (sent) => update(key, { key, name: file.name, status: "sending", progress: sent }),
          });
          update(key, null);
          latest.current.onUploaded(picture);
          return;
        } catch (error) {
          if (signal.aborted) {
            update(key, null);
            return;
          }
          if (error instanceof ApiProblem && error.code === "too_many_uploads" && attempt < BUSY_RETRIES) {
            await wait(BUSY_RETRY_MS, signal);
            if (!signal.aborted) continue;
          }
          update(key, { key, name: file.name, status: "failed", refusal: { reason: "server", error } });
          return;
        }
      }
    },
    [update],
  );

  const drain = useCallback(async () => {
    if (current.current) return;
    for (let next = queue.current.shift(); next; next = queue.current.shift()) {
      current.current = next;
      await sendOne(next);
    }
    current.current = null;
  }, [sendOne]);

  /** Queues the pictures among `files`; refuses the rest with a reason. */
  const add = useCallback(
    (files: File[]) => {
      let room = latest.current.room() - queue.current.length - (current.current ? 1 : 0);
      const added: UploadItem[] = [];
      for (const file of files) {
        const key = (nextKey.current += 1);
        const refusal = refusalOf(file) ?? (room <= 0 ? ({ reason: "count" } as const) : null);
        if (refusal) {
          added.push({ key, name: file.name, status: "failed", refusal });
          continue;
        }
        room -= 1;
        queue.current.push({ key, file, controller: new AbortController() });
        added.push({ key, name: file.name, status: "waiting", progress: 0 });
      }
      setItems((list) => [...list, ...added]);
      void drain();
    },
    [drain],
  );

  /** Stops an upload (or takes it out of the queue), or hides a refusal. */
  const dismiss = useCallback(
    (key: number) => {
      const waiting = queue.current.find((item) => item.key === key);
      queue.current = queue.current.filter((item) => item.key !== key);
      waiting?.controller.abort();
      if (current.current?.key === key) current.current.controller.abort();
      update(key, null);
    },
    [update],
  );

  /** Hides the refusals (what was written went without those pictures). */
  const clearRefusals = useCallback(() => setItems((list) => list.filter((item) => item.status !== "failed")), []);

  // Leaving (the page, the conversation) stops what is still being sent.
  useEffect(
    () => () => {
      current.current?.controller.abort();
      queue.current.forEach((item) => item.controller.abort());
      queue.current = [];
    },
    [],
  );

  const busy = items.some((item) => item.status !== "failed");
  return { items, add, dismiss, clearRefusals, busy };
}
