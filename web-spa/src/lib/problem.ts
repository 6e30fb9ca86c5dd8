// Problem documents (RFC 9457) from the API, as errors the UI can show.
import type { components } from "@/api/schema";

/** A problem as the server sends it, or the one the app makes up when the server cannot be reached. */
export type Problem = Omit<components["schemas"]["Problem"], "code"> & { code: ErrorCode | "network_error" };
export type ErrorCode = components["schemas"]["ErrorCode"];
export type FieldIssue = components["schemas"]["FieldIssue"];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = "ApiProblem";
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The server's first (English) message for a field. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.[field]?.[0];
  }

  /** The code of the first problem with a field, for translating it. */
  fieldIssue(field: string): FieldIssue | undefined {
    return this.problem.error_codes?.[field]?.[0];
  }
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    "code" in value &&
    "status" in value &&
    "detail" in value
  );
}

/** A problem for failures that never reached the API (offline, server down). */
export function networkProblem(): ApiProblem {
  return new ApiProblem({
    type: "urn:noxchat:problem:network",
    title: "Network error",
    status: 0,
    detail: "Could not reach the server.",
    code: "network_error",
  });
}
