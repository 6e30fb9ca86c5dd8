// A message's plain text as typed, its web addresses made into links. Only
// http and https: a "javascript:" address stays text. Links open in a new
// tab and pass on nothing about the conversation they came from.
import type { ReactNode } from "react";

const ADDRESS = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that ends a sentence rather than the address before it. */
const TRAILING = /[.,;:!?'»”)\]]+$/;

/** The address without the punctuation after it that belongs to the sentence. */
function trimAddress(raw: string): string {
  const trailing = TRAILING.exec(raw);
  if (!trailing) return raw;
  let address = raw.slice(0, trailing.index);
  let rest = trailing[0];
  // "(see https://en.wikipedia.org/wiki/Tea_(drink))": a closing bracket opened inside the address is its own.
  const count = (text: string, bracket: string) => text.split(bracket).length - 1;
  while (rest.startsWith(")") && count(address, "(") > count(address, ")")) {
    address += ")";
    rest = rest.slice(1);
  }
  return address;
}

export function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** The text with its links; React escapes the rest, so nothing in it is ever markup. */
export function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let from = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = trimAddress(match[0]);
    const start = match.index;
    if (!isWebAddress(address)) continue;
    if (start > from) parts.push(text.slice(from, start));
    parts.push(
      <a key={start} href={address} target="_blank" rel="noopener noreferrer nofollow" style={{ color: "inherit", textDecoration: "underline" }}>
        {address}
      </a>,
    );
    from = start + address.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

export function MessageText({ body }: { body: string }) {
  // As typed: line breaks kept, long words and addresses wrapped rather than widening the bubble.
  return <div style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{linkify(body)}</div>;
}
