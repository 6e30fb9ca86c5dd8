// What to tell a person about a failed request, in their language.
import type { TFunction } from "i18next";

import { translateFieldIssue } from "@/lib/i18n";
import { ApiProblem, networkProblem } from "@/lib/problem";

export function problemMessage(t: TFunction, error: unknown): string {
  const problem = error instanceof ApiProblem ? error : networkProblem();
  // The server's English detail only for English readers; others get a translated generic message.
  const fallback = t("errors.generic");
  return t(`errors.${problem.code}`, { defaultValue: t("nav.language") === "Language" ? problem.problem.detail : fallback });
}

/** The message to show under `field`, if the server complained about it. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiProblem)) return undefined;
  const message = error.fieldError(field);
  if (message === undefined) return undefined;
  const code = error.fieldIssue(field);
  return code === undefined ? message : translateFieldIssue(code, message);
}

/** A problem that belongs in a notification rather than under a field. */
export function isFormWide(error: unknown, fields: string[]): boolean {
  return !(error instanceof ApiProblem) || !fields.some((field) => error.fieldError(field));
}
