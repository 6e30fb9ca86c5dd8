import en from "@/locales/en.json";
import ru from "@/locales/ru.json";
import spec from "../../../openapi/openapi.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The keys without their plural endings: what the code asks for. */
function baseKeys(value: unknown): string[] {
  return [...new Set(keys(value).map((key) => key.replace(PLURAL, "")))].sort();
}

/** Each counted string's forms, by its key without the ending. */
function pluralForms(value: unknown): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const key of keys(value)) {
    const form = PLURAL.exec(key)?.[1];
    if (!form) continue;
    const base = key.replace(PLURAL, "");
    forms.set(base, [...(forms.get(base) ?? []), form]);
  }
  return forms;
}

describe("translations", () => {
  it("say every interface string in both Russian and English", () => {
    expect(baseKeys(ru.translation)).toEqual(baseKeys(en.translation));
  });

  it("give each counted string every plural form its language has", () => {
    const needed = { en: ["one", "other"], ru: ["one", "few", "many", "other"] } as const;
    for (const [language, messages] of [["en", en.translation], ["ru", ru.translation]] as const) {
      for (const [base, forms] of pluralForms(messages)) {
        for (const form of needed[language]) expect(forms, `${language} ${base}`).toContain(form);
      }
    }
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
