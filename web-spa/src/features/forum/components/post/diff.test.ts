import { diffWords, tokenize, type DiffPart } from "@/features/forum/components/post/diff";

/** The text before, read back from a diff: what was kept and what was removed. */
const before = (parts: DiffPart[]) => parts.filter((part) => part.kind !== "added").map((part) => part.text).join("");
/** The text after: what was kept and what was added. */
const after = (parts: DiffPart[]) => parts.filter((part) => part.kind !== "removed").map((part) => part.text).join("");

describe("diffWords", () => {
  it("finds nothing changed in the same text", () => {
    expect(diffWords("Hello there, world", "Hello there, world")).toEqual([{ kind: "same", text: "Hello there, world" }]);
  });

  it("marks a replaced word as removed then added, keeping the words around it", () => {
    expect(diffWords("the cat sat down", "the dog sat down")).toEqual([
      { kind: "same", text: "the " },
      { kind: "removed", text: "cat" },
      { kind: "added", text: "dog" },
      { kind: "same", text: " sat down" },
    ]);
  });

  it("marks words added at the end and removed from the start", () => {
    expect(diffWords("Well, see you", "see you tomorrow")).toEqual([
      { kind: "removed", text: "Well, " },
      { kind: "same", text: "see you" },
      { kind: "added", text: " tomorrow" },
    ]);
  });

  it("keeps the words both versions share, even when others move around them", () => {
    const parts = diffWords("one two three four five", "zero two four five six");
    expect(parts.filter((part) => part.kind === "same").map((part) => part.text.trim())).toEqual(["two", "four five"]);
    expect(parts.filter((part) => part.kind === "removed").map((part) => part.text.trim())).toEqual(["one", "three"]);
    expect(parts.filter((part) => part.kind === "added").map((part) => part.text.trim())).toEqual(["zero", "six"]);
  });

  it("joins changes separated by a lone space into one removed and one added phrase", () => {
    expect(diffWords("red apples", "green pears")).toEqual([
      { kind: "removed", text: "red apples" },
      { kind: "added", text: "green pears" },
    ]);
  });

  it("handles Russian words, line breaks and empty texts", () => {
    expect(diffWords("Привет,\nмир", "Привет,\nдруг")).toEqual([
      { kind: "same", text: "Привет,\n" },
      { kind: "removed", text: "мир" },
      { kind: "added", text: "друг" },
    ]);
    expect(diffWords("", "new")).toEqual([{ kind: "added", text: "new" }]);
    expect(diffWords("old", "")).toEqual([{ kind: "removed", text: "old" }]);
    expect(diffWords("", "")).toEqual([]);
  });

  it("always gives back both versions exactly", () => {
    const pairs: [string, string][] = [
      ["a b c d e f", "a x c y e z"],
      ["  leading and trailing  ", "leading, trailing\n\n"],
      ["**bold** _it_ `code`", "_it_ **bold** `code` more"],
    ];
    for (const [a, b] of pairs) {
      const parts = diffWords(a, b);
      expect(before(parts)).toBe(a);
      expect(after(parts)).toBe(b);
    }
  });

  it("copes with very long, wholly different texts without a huge table", () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`).join(" ");
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`).join(" ");
    const parts = diffWords(a, b);
    expect(parts).toEqual([
      { kind: "removed", text: a },
      { kind: "added", text: b },
    ]);
  });
});

describe("tokenize", () => {
  it("keeps the spaces between words as tokens of their own", () => {
    expect(tokenize("a  b\nc")).toEqual(["a", "  ", "b", "\n", "c"]);
  });
});
