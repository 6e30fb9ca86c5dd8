// A word-level diff of two versions of a post: the longest common
// subsequence of their words (and the spaces between), as runs of kept,
// removed and added text.

export type DiffKind = "same" | "removed" | "added";

export interface DiffPart {
  kind: DiffKind;
  text: string;
}

/**
 * Past this many cells (words before × words after, once the common start
 * and end are set aside) the table would cost too much memory: the middle is
 * then shown as removed and added whole. Edits are usually local, so the
 * middle is small.
 */
const MAX_CELLS = 4_000_000;

/** Words and the runs of white space between them, so spacing survives the diff. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

function push(parts: DiffPart[], kind: DiffKind, text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last && last.kind === kind) last.text += text;
  else parts.push({ kind, text });
}

/** The middle of the two texts: each a sequence of tokens with nothing in common at either end. */
function diffMiddle(before: string[], after: string[], parts: DiffPart[]): void {
  const rows = before.length;
  const columns = after.length;
  if (rows * columns > MAX_CELLS) {
    push(parts, "removed", before.join(""));
    push(parts, "added", after.join(""));
    return;
  }
  // lengths[i][j]: the longest common subsequence of before[i..] and after[j..].
  const width = columns + 1;
  const lengths = new Uint32Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      lengths[i * width + j] =
        before[i] === after[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < rows && j < columns) {
    if (before[i] === after[j]) {
      push(parts, "same", before[i]!);
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      push(parts, "removed", before[i]!);
      i++;
    } else {
      push(parts, "added", after[j]!);
      j++;
    }
  }
  push(parts, "removed", before.slice(i).join(""));
  push(parts, "added", after.slice(j).join(""));
}

/**
 * A lone space kept between two changes reads as noise ("~~a~~ __b__ ~~c~~ __d__"):
 * it joins both sides, so the reader sees one removed and one added phrase.
 */
function absorbLoneSpaces(parts: DiffPart[]): DiffPart[] {
  const result: DiffPart[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const previous = parts[index - 1];
    const next = parts[index + 1];
    const between = part.kind === "same" && /^\s+$/.test(part.text) && previous && next && previous.kind !== "same" && next.kind !== "same";
    if (between) {
      push(result, "removed", part.text);
      push(result, "added", part.text);
    } else {
      push(result, part.kind, part.text);
    }
  }
  // Joining may leave removed/added interleaved: put each run's removals first.
  return regroup(result);
}

/** Within each stretch of changes, all that was removed, then all that was added. */
function regroup(parts: DiffPart[]): DiffPart[] {
  const result: DiffPart[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    push(result, "removed", removed);
    push(result, "added", added);
    removed = "";
    added = "";
  };
  for (const part of parts) {
    if (part.kind === "removed") removed += part.text;
    else if (part.kind === "added") added += part.text;
    else {
      flush();
      push(result, "same", part.text);
    }
  }
  flush();
  return result;
}

/** How `after` differs from `before`, word by word. */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  push(parts, "same", a.slice(0, start).join(""));
  diffMiddle(a.slice(start, endA), b.slice(start, endB), parts);
  push(parts, "same", a.slice(endA).join(""));
  return absorbLoneSpaces(parts);
}
