import { formatRelative } from "@/lib/relative-time";

describe("formatRelative", () => {
  const now = new Date("2026-11-22T12:00:00Z");

  it("says minutes ago in Russian and English", () => {
    const fiveMinutesAgo = new Date("2026-11-22T11:55:00Z");
    expect(formatRelative(fiveMinutesAgo, now, "ru")).toBe("5 минут назад");
    expect(formatRelative(fiveMinutesAgo, now, "en")).toBe("5 minutes ago");
  });

  it("uses words for yesterday", () => {
    expect(formatRelative(new Date("2026-11-21T12:00:00Z"), now, "en")).toBe("yesterday");
  });
});
