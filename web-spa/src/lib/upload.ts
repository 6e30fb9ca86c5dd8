// Pictures uploaded to the server (POST /api/v1/uploads) for posts and
// messages alike. XMLHttpRequest rather than fetch: it reports the upload's
// progress. Shared by the forum's composer and the messenger's.
import type { components } from "@/api/schema";
import { authSession } from "@/lib/auth-session";
import { ApiProblem, isProblem, networkProblem } from "@/lib/problem";

export type Picture = components["schemas"]["Picture"];

/** The server's limits on pictures: the types it takes, the size, and how many one post or message has. */
export const PICTURE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"];
export const MAX_PICTURE_BYTES = 10 * 1024 * 1024;
export const MAX_PICTURES = 10;

export interface UploadOptions {
  /** Called with the share of the file sent so far, 0 to 1. */
  onProgress?(sent: number): void;
  signal?: AbortSignal;
}

interface RawResponse {
  status: number;
  body: unknown;
}

function abortError(): DOMException {
  return new DOMException("The upload was cancelled.", "AbortError");
}

function send(file: File, token: string | null, { onProgress, signal }: UploadOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/uploads");
    if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // A proxy's HTML error page: the status alone decides.
      }
      resolve({ status: request.status, body });
    };
    request.onerror = () => reject(networkProblem());
    request.ontimeout = () => reject(networkProblem());
    request.onabort = () => reject(abortError());
    signal?.addEventListener("abort", () => request.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}

/**
 * Uploads a picture. Like the API client, an expired token is refreshed and
 * the upload tried once more; an ended session signs out.
 */
export async function uploadPicture(file: File, options: UploadOptions = {}): Promise<Picture> {
  let response = await send(file, await authSession.token(), options);
  if (response.status === 401 && isProblem(response.body)) {
    if (response.body.code === "session_ended") authSession.clear();
    else if (await authSession.refresh()) response = await send(file, await authSession.token(), options);
  }
  if (response.status >= 200 && response.status < 300) return response.body as Picture;
  if (isProblem(response.body)) throw new ApiProblem(response.body);
  throw networkProblem();
}
