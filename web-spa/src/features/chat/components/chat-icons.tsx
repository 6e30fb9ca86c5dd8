// The messenger's small icons. Each sits beside a label or inside a labelled
// button, so screen readers skip it.
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

export function ChevronIcon({ direction }: { direction: "left" | "right" }) {
  return <Icon>{direction === "left" ? <path d="M10 3 5 8l5 5" /> : <path d="M6 3l5 5-5 5" />}</Icon>;
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

export function PaperclipIcon() {
  return (
    <Icon width={18} height={18}>
      <path d="M13 7.5 8 12.5a3 3 0 0 1-4.2-4.2L9 3.1a2 2 0 0 1 2.8 2.8L6.7 11a1 1 0 0 1-1.4-1.4L10 5" />
    </Icon>
  );
}

export function SendIcon() {
  return (
    <Icon width={18} height={18}>
      <path d="M2.5 8h9" />
      <path d="M14 8 2.5 2.5 4.5 8l-2 5.5Z" />
    </Icon>
  );
}

export function MutedIcon() {
  return (
    <Icon width={14} height={14}>
      <path d="M2.5 6v4h2.5l3.5 3V3L5 6Z" />
      <path d="m11 6 3 4M14 6l-3 4" />
    </Icon>
  );
}

export function SettingsIcon() {
  return (
    <Icon width={18} height={18}>
      <circle cx="8" cy="8" r="2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </Icon>
  );
}

/** A clock: sending. */
export function ClockIcon() {
  return (
    <Icon width={12} height={12}>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.5V8l2.5 1.5" />
    </Icon>
  );
}

/** One tick: sent; two: read. */
export function TicksIcon({ double }: { double: boolean }) {
  return (
    <Icon width={double ? 18 : 12} height={12} viewBox={double ? "0 0 24 16" : "0 0 16 16"}>
      <path d="m1.5 8.5 3.5 3.5 7.5-7.5" />
      {double ? <path d="m9.5 11 1 1 7.5-7.5" /> : null}
    </Icon>
  );
}

export function ArrowDownIcon() {
  return (
    <Icon width={14} height={14}>
      <path d="M8 2.5v11M3.5 9 8 13.5 12.5 9" />
    </Icon>
  );
}
