import en from "@/locales/en.json";
import ru from "@/locales/ru.json";

import i18n, { currentLanguage, setLanguage } from "@/lib/i18n";

// The test setup puts both languages in place; these take Russian out again
// to see it fetched as in the app.
function forgetRussian() {
  i18n.removeResourceBundle("ru", "translation");
  i18n.removeResourceBundle("ru", "fields");
}

afterEach(async () => {
  vi.doUnmock("@/locales/ru.json");
  vi.restoreAllMocks();
  await setLanguage("en");
  i18n.addResourceBundle("ru", "translation", ru.translation);
  i18n.addResourceBundle("ru", "fields", ru.fields);
});

describe("setLanguage", () => {
  it("fetches a language not yet here, then switches to it", async () => {
    forgetRussian();
    const switched = setLanguage("ru");
    expect(currentLanguage()).toBe("en");
    await switched;
    expect(currentLanguage()).toBe("ru");
    expect(document.documentElement.lang).toBe("ru");
    expect(i18n.t("nav.close")).toBe(ru.translation.nav.close);
    expect(i18n.t("required", { ns: "fields" })).toBe(ru.fields.required);
    expect(localStorage.getItem("noxchat.language")).toBe("ru");
  });

  it("switches at once to a language already here", () => {
    void setLanguage("ru");
    expect(currentLanguage()).toBe("ru");
    expect(document.documentElement.lang).toBe("ru");
  });

  it("lets a later choice win over a slower fetch", async () => {
    forgetRussian();
    const first = setLanguage("ru");
    void setLanguage("en");
    await first;
    expect(currentLanguage()).toBe("en");
    expect(i18n.t("nav.close")).toBe(en.translation.nav.close);
  });

  it("stays in the language on screen when another cannot be fetched", async () => {
    forgetRussian();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.doMock("@/locales/ru.json", () => {
      throw new Error("offline");
    });
    await setLanguage("ru");
    expect(currentLanguage()).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    expect(console.warn).toHaveBeenCalled();
  });
});
