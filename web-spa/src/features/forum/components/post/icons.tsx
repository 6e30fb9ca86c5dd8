// The post actions' small icons; each sits beside a label or inside a
// labelled button, so screen readers skip it.
import type { SVGProps } from "react";

function Icon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    />
  );
}

/** Filled when the reader likes the post, so the state shows in shape as well as colour. */
export function HeartIcon({ filled }: { filled: boolean }) {
  return (
    <Icon fill={filled ? "currentColor" : "none"}>
      <path d="M8 14s-5.5-3.4-5.5-7.2A3 3 0 0 1 8 4.6a3 3 0 0 1 5.5 2.2C13.5 10.6 8 14 8 14Z" />
    </Icon>
  );
}

export function ReplyIcon() {
  return (
    <Icon>
      <path d="M6.5 3.5 2.5 7.5l4 4" />
      <path d="M2.5 7.5h7a4 4 0 0 1 4 4v1" />
    </Icon>
  );
}

export function QuoteIcon() {
  return (
    <Icon>
      <path d="M3 11.5V8.5a4 4 0 0 1 3-3.9" />
      <path d="M9 11.5V8.5a4 4 0 0 1 3-3.9" />
      <path d="M3 8.5h3v3H3zM9 8.5h3v3H9z" />
    </Icon>
  );
}

export function LinkIcon() {
  return (
    <Icon>
      <path d="M6.5 9.5a3 3 0 0 0 4.2 0l2.1-2.1a3 3 0 0 0-4.2-4.2l-.8.8" />
      <path d="M9.5 6.5a3 3 0 0 0-4.2 0L3.2 8.6a3 3 0 0 0 4.2 4.2l.8-.8" />
    </Icon>
  );
}

export function MoreIcon() {
  return (
    <Icon fill="currentColor" stroke="none">
      <circle cx="3" cy="8" r="1.4" />
      <circle cx="8" cy="8" r="1.4" />
      <circle cx="13" cy="8" r="1.4" />
    </Icon>
  );
}
