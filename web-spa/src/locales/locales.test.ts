import en from "@/locales/en.json";
import ru from "@/locales/ru.json";
import spec from "../../../openapi/openapi.json";

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

describe("problem codes", () => {
  it("every code the server can send has a message in both languages", () => {
    // The committed spec, which a server test keeps equal to what the server sends.
    const codes = spec.components.schemas.ErrorCode.enum;
    expect(codes.length).toBeGreaterThan(20);
    for (const [language, messages] of [["en", en.translation.errors], ["ru", ru.translation.errors]] as const) {
      const missing = codes.filter((code) => !(code in messages) || (messages as Record<string, string>)[code] === "");
      expect(missing, `${language} lacks messages for`).toEqual([]);
    }
  });
});

describe("field problems", () => {
  it("every problem the server can find with a field has a message in both languages", () => {
    const codes = spec.components.schemas.FieldIssue.enum;
    expect(codes.length).toBeGreaterThan(10);
    for (const [language, messages] of [["en", en.fields], ["ru", ru.fields]] as const) {
      const missing = codes.filter((code) => !(code in messages) || (messages as Record<string, string>)[code] === "");
      expect(missing, `${language} lacks messages for`).toEqual([]);
    }
  });
});
