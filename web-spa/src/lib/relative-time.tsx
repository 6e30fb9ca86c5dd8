// "5 минут назад", with the exact time on hover.
import { Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function formatRelative(date: Date, now: Date, language: string): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, "second");
}

export function RelativeTime({ value }: { value: string }) {
  const { i18n } = useTranslation();
  const date = new Date(value);
  const exact = new Intl.DateTimeFormat(i18n.language, { dateStyle: "long", timeStyle: "short" }).format(date);
  return (
    <Tooltip label={exact}>
      <time dateTime={value}>{formatRelative(date, new Date(), i18n.language)}</time>
    </Tooltip>
  );
}
