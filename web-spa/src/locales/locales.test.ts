import en from "@/locales/en.json";
import ru from "@/locales/ru.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe("translations", () => {
  it("say every interface string in both Russian and English", () => {
    expect(keys(ru.translation).sort()).toEqual(keys(en.translation).sort());
  });

  it("leave no string empty", () => {
    for (const language of [en, ru]) {
      for (const key of keys(language.translation)) {
        const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], language.translation);
        expect(value, key).not.toBe("");
      }
    }
  });
});
