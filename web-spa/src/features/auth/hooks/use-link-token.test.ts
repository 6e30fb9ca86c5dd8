import { describe, expect, it } from "vitest";

import { readLinkToken } from "@/features/auth/hooks/use-link-token";

describe("readLinkToken", () => {
  it("reads the token from the fragment", () => {
    expect(readLinkToken("#token=abc.def-1", "")).toBe("abc.def-1");
  });
  it("still reads links mailed with the token in the query string", () => {
    expect(readLinkToken("", "?token=old")).toBe("old");
  });
  it("prefers the fragment and is empty without either", () => {
    expect(readLinkToken("#token=new", "?token=old")).toBe("new");
    expect(readLinkToken("", "")).toBe("");
    expect(readLinkToken("#other=1", "")).toBe("");
  });
});
