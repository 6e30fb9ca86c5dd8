import { reasonQuery } from "@/lib/reason-query";

describe("reasonQuery", () => {
  it("sends a moderator's note trimmed, and nothing when there is none", () => {
    expect(reasonQuery("  Spam  ")).toEqual({ reason: "Spam" });
    expect(reasonQuery("   ")).toEqual({});
    expect(reasonQuery(undefined)).toEqual({});
  });
});
