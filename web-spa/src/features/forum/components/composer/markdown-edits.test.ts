import { formatSplice, insertionSplice, mentionAt, type Format, type Splice, type TextState } from "@/features/forum/components/composer/markdown-edits";

/** The text after an edit, with the selection marked `[` … `]` (or the caret as `|`). */
function applied(state: TextState, edit: Splice): string {
  const value = state.value.slice(0, edit.from) + edit.text + state.value.slice(edit.to);
  if (edit.selectionStart === edit.selectionEnd) return `${value.slice(0, edit.selectionStart)}|${value.slice(edit.selectionStart)}`;
  return `${value.slice(0, edit.selectionStart)}[${value.slice(edit.selectionStart, edit.selectionEnd)}]${value.slice(edit.selectionEnd)}`;
}

/** Reads a text with its selection marked the same way. */
function state(marked: string): TextState {
  const caret = marked.indexOf("|");
  if (caret !== -1) return { value: marked.replace("|", ""), start: caret, end: caret };
  const start = marked.indexOf("[");
  const end = marked.indexOf("]") - 1;
  return { value: marked.replace("[", "").replace("]", ""), start, end };
}

function format(marked: string, kind: Format): string {
  const before = state(marked);
  return applied(before, formatSplice(before, kind));
}

describe("Markdown formatting of a selection", () => {
  it("wraps words in markers that hug them, and unwraps them again", () => {
    expect(format("say [hello ]there", "bold")).toBe("say **[hello]** there");
    expect(format("say **[hello]** there", "bold")).toBe("say [hello] there");
    expect(format("say [**hello**] there", "bold")).toBe("say [hello] there");
    expect(format("say |", "italic")).toBe("say _|_");
  });

  it("makes inline code of part of a line and a fenced block of several lines", () => {
    expect(format("run [npm test] now", "code")).toBe("run `[npm test]` now");
    expect(format("see:[a()\nb()]", "code")).toBe("see:\n```\n[a()\nb()]\n```");
  });

  it("makes a link of words, selecting the address to type, or of an address", () => {
    expect(format("read [the docs]", "link")).toBe("read [the docs]([https://])");
    expect(format("read [https://example.org/a]", "link")).toBe("read [|](https://example.org/a)");
  });

  it("prefixes whole lines, numbering a list, and takes the prefixes away again", () => {
    expect(format("intro\nfi[rst\nsec]ond", "numberedList")).toBe("intro\n[1. first\n2. second]");
    expect(format("[- milk\n- bread]", "bulletList")).toBe("[milk\nbread]");
    expect(format("one\n\n|two", "quote")).toBe("one\n\n> |two");
    expect(format("[one\n\ntwo]", "quote")).toBe("[> one\n>\n> two]");
  });

  it("puts an inserted block on a line of its own", () => {
    const middle = state("Look|");
    expect(applied(middle, insertionSplice(middle, "![](/a.jpg)\n"))).toBe("Look\n![](/a.jpg)\n|");
    const fresh = state("|");
    expect(applied(fresh, insertionSplice(fresh, "hello"))).toBe("hello|");
  });
});

describe("The @mention being typed", () => {
  it("is the word at the caret after an @, in any alphabet", () => {
    expect(mentionAt("hi @an", 6)).toEqual({ from: 3, to: 6, text: "an" });
    expect(mentionAt("hi @Ан there", 6)).toEqual({ from: 3, to: 6, text: "Ан" });
    // The caret inside the word: the whole word goes when a person is chosen.
    expect(mentionAt("hi @anna", 5)).toEqual({ from: 3, to: 8, text: "a" });
  });

  it("is not an e-mail address, a bare @ or a finished word", () => {
    expect(mentionAt("anna@example", 12)).toBeNull();
    expect(mentionAt("hi @", 4)).toBeNull();
    expect(mentionAt("hi @anna ", 9)).toBeNull();
  });
});
