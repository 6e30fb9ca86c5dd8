// Pictures given to a text box by paste or drag-and-drop, for both composers.
import { useState, type ClipboardEvent, type DragEvent } from "react";

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes("Files");
}

/**
 * Hands pasted or dropped files to `add`: `onPaste` for the text box, the
 * drop-zone handlers for its container, and `dragging` while files hover
 * over it (to highlight it). Text pastes and drops are left to the browser.
 */
export function useFileDrop(add: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    event.preventDefault();
    add(files);
  };
  const dropZone = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    // Leaving for a child of the zone is not leaving it.
    onDragLeave: (event: DragEvent) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      setDragging(false);
      const files = Array.from(event.dataTransfer.files);
      if (files.length === 0) return;
      event.preventDefault();
      add(files);
    },
  };
  return { dragging, onPaste, dropZone };
}
