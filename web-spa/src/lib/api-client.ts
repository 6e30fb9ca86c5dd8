// The typed API client: generated from openapi/openapi.json, with the access
// token attached and problems turned into ApiProblem errors.
import createClient, { type Middleware } from "openapi-fetch";

import type { paths } from "@/api/schema";
import { authSession } from "@/lib/auth-session";
import { ApiProblem, isProblem, networkProblem } from "@/lib/problem";

const authenticate: Middleware = {
  async onRequest({ request }) {
    if (!request.headers.has("Authorization")) {
      const token = await authSession.token();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
    }
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) {
      const body: unknown = await response.clone().json().catch(() => null);
      if (isProblem(body) && body.code === "session_ended") authSession.clear();
      // A token that expired early (a sleeping laptop): get a fresh one for the next call.
      else if (isProblem(body) && (body.code === "token_expired" || body.code === "invalid_token")) void authSession.refresh();
    }
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
  // Looked up per call, so tests can stub the global.
  fetch: (request) => globalThis.fetch(request),
});
api.use(authenticate);

/** Returns the data of a call, or throws its problem. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw networkProblem();
  }
  if (result.error !== undefined || !result.response.ok) {
    if (isProblem(result.error)) throw new ApiProblem(result.error);
    throw networkProblem();
  }
  return result.data as T;
}
