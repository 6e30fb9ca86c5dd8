// Account calls: sign-in keeps the tokens in the session; the rest are plain calls.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";
import { authSession, type Me } from "@/lib/auth-session";
import { currentLanguage } from "@/lib/i18n";

export type LoginInput = components["schemas"]["LoginRequest"];
export type RegisterInput = components["schemas"]["RegisterRequest"];

export async function signIn(input: LoginInput): Promise<Me> {
  const tokens = await call(api.POST("/api/v1/auth/login", { body: input }));
  authSession.accept(tokens);
  return tokens.user;
}

export type RegistrationAccepted = components["schemas"]["RegistrationAccepted"];

/** Asks for the account: a link to create it is emailed to the address. */
export async function register(input: RegisterInput): Promise<RegistrationAccepted> {
  // The account's language (and its first email's) is the one chosen here.
  return call(api.POST("/api/v1/auth/register", { body: input, headers: { "Accept-Language": currentLanguage() } }));
}

/** Creates the account from the emailed link's token. */
export async function confirmRegistration(token: string): Promise<Me> {
  return call(api.POST("/api/v1/auth/register/confirm", { body: { token } }));
}

export async function forgotPassword(email: string): Promise<void> {
  await call(api.POST("/api/v1/auth/password/forgot", { body: { email }, parseAs: "text" }));
}

export async function resetPassword(token: string, password: string): Promise<void> {
  await call(api.POST("/api/v1/auth/password/reset", { body: { token, password }, parseAs: "text" }));
}

export async function verifyEmail(token: string): Promise<void> {
  await call(api.POST("/api/v1/auth/email/verify", { body: { token }, parseAs: "text" }));
}

export async function resendVerification(): Promise<void> {
  await call(api.POST("/api/v1/auth/email/resend", { parseAs: "text" }));
}
