// Moderation acts on the forum's things through the API and its schema, not
// through the forum's own modules (the forum may show moderation's menus, not
// the other way round).
const files = import.meta.glob("./**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

describe("the moderation feature", () => {
  it("imports nothing from the forum feature", () => {
    expect(Object.keys(files).length).toBeGreaterThan(5);
    const reaching = Object.entries(files)
      .filter(([, text]) => /from\s+["']@\/features\/forum\//.test(text))
      .map(([path]) => path);
    expect(reaching).toEqual([]);
  });
});
