// Markdown formatting of a text area's selection. Every edit is one splice
// (replace `from`–`to` with `text`) plus the selection to leave, so the
// composer can hand it to the browser's own editing and keep Ctrl+Z working.

export interface TextState {
  value: string;
  start: number;
  end: number;
}

export interface Splice {
  from: number;
  to: number;
  text: string;
  selectionStart: number;
  selectionEnd: number;
}

export type Format = "bold" | "italic" | "link" | "quote" | "code" | "bulletList" | "numberedList";

function splice(from: number, to: number, text: string, selectionStart: number, selectionEnd = selectionStart): Splice {
  return { from, to, text, selectionStart, selectionEnd };
}

/** Puts `marker` around the selection, or takes it away when the selection already has it. */
function wrap({ value, start, end }: TextState, marker: string): Splice {
  const size = marker.length;
  const selected = value.slice(start, end);
  if (start >= size && value.slice(start - size, start) === marker && value.slice(end, end + size) === marker) {
    return splice(start - size, end + size, selected, start - size, end - size);
  }
  if (selected.length >= 2 * size && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(size, selected.length - size);
    return splice(start, end, inner, start, start + inner.length);
  }
  // Markers hug the words ("**word** "): Markdown ignores "** word **".
  const inner = selected.trim();
  const leading = selected.slice(0, selected.length - selected.trimStart().length);
  const trailing = selected.slice(selected.trimEnd().length);
  const innerStart = start + leading.length + size;
  return splice(start, end, `${leading}${marker}${inner}${marker}${trailing}`, innerStart, innerStart + inner.length);
}

/** Inline code for a part of a line; a fenced block, on lines of its own, for several lines. */
function code(state: TextState): Splice {
  const { value, start, end } = state;
  const selected = value.slice(start, end);
  if (!selected.includes("\n")) return wrap(state, "`");
  const before = start > 0 && value[start - 1] !== "\n" ? "\n" : "";
  const after = end < value.length && value[end] !== "\n" ? "\n" : "";
  const body = selected.replace(/\n$/, "");
  const innerStart = start + before.length + 4;
  return splice(start, end, `${before}\`\`\`\n${body}\n\`\`\`${after}`, innerStart, innerStart + body.length);
}

/** `[text](url)`: selected words become the text and the address is selected to be typed over; a selected address becomes the address. */
function link({ value, start, end }: TextState): Splice {
  const selected = value.slice(start, end).trim();
  if (/^https?:\/\/\S+$/.test(selected)) return splice(start, end, `[](${selected})`, start + 1);
  const placeholder = "https://";
  const text = `[${selected}](${placeholder})`;
  if (!selected) return splice(start, end, text, start + 1);
  const urlStart = start + selected.length + 3;
  return splice(start, end, text, urlStart, urlStart + placeholder.length);
}

const LINE_PATTERNS = {
  quote: /^> ?/,
  bulletList: /^[-*+] /,
  numberedList: /^\d+[.)] /,
} as const;

/** Prefixes each selected line (quote, list), or takes the prefix away when every line has it. */
function prefixLines({ value, start, end }: TextState, kind: keyof typeof LINE_PATTERNS): Splice {
  const from = value.lastIndexOf("\n", start - 1) + 1;
  // A selection that ends at the start of a line does not take that line in.
  const lastEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const newline = value.indexOf("\n", lastEnd);
  const to = newline === -1 ? value.length : newline;
  const lines = value.slice(from, to).split("\n");
  const pattern = LINE_PATTERNS[kind];
  const filled = lines.filter((line) => line.trim() !== "");
  const remove = filled.length > 0 && filled.every((line) => pattern.test(line));
  let number = 0;
  const changed = lines.map((line) => {
    if (remove) return line.replace(pattern, "");
    // Blank lines stay inside a quote; a list skips them.
    if (line.trim() === "") return kind === "quote" && lines.length > 1 ? ">" : line;
    if (kind === "quote") return `> ${line}`;
    if (kind === "bulletList") return `- ${line}`;
    number += 1;
    return `${number}. ${line}`;
  });
  const text = changed.join("\n");
  if (start === end && lines.length === 1) {
    const caret = Math.max(from, start + text.length - (lines[0] ?? "").length);
    return splice(from, to, text, caret);
  }
  return splice(from, to, text, from, from + text.length);
}

export function formatSplice(state: TextState, format: Format): Splice {
  switch (format) {
    case "bold":
      return wrap(state, "**");
    case "italic":
      return wrap(state, "_");
    case "code":
      return code(state);
    case "link":
      return link(state);
    default:
      return prefixLines(state, format);
  }
}

/**
 * `text` in place of the selection, the caret after it. Text ending in a
 * line break is a block (a quote, a picture): it starts on a line of its own.
 */
export function insertionSplice({ value, start, end }: TextState, text: string): Splice {
  const startsLine = start === 0 || value[start - 1] === "\n";
  const inserted = text.endsWith("\n") && !startsLine ? `\n${text}` : text;
  return splice(start, end, inserted, start + inserted.length);
}

/** The `@name` being typed at the caret, if any: where it starts and ends, and the text after the `@`. */
export function mentionAt(value: string, caret: number): { from: number; to: number; text: string } | null {
  const text = /(?:^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_]{1,32})$/u.exec(value.slice(0, caret))?.[1];
  if (!text) return null;
  const rest = /^[\p{L}\p{N}_]*/u.exec(value.slice(caret))?.[0] ?? "";
  return { from: caret - text.length - 1, to: caret + rest.length, text };
}
