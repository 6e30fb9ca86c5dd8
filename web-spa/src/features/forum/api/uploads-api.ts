// What the composer asks of the server: pictures uploaded (with their
// progress, hence XMLHttpRequest rather than fetch), Markdown rendered as a
// post would show it, and people to @mention.
import type { components } from "@/api/schema";
import { api, call } from "@/lib/api-client";
import { authSession } from "@/lib/auth-session";
import { ApiProblem, isProblem, networkProblem } from "@/lib/problem";

export type Picture = components["schemas"]["Picture"];
export type MentionCandidate = components["schemas"]["UserSummary"];

/** The server's limits on a post's pictures. */
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
 * Uploads a picture for a post. Like the API client, an expired token is
 * refreshed and the upload tried once more; an ended session signs out.
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

/** The safe HTML the server would show for `body`; `topicId` lets quotes of `post:N` name their authors. */
export async function previewPost(body: string, topicId?: string): Promise<string> {
  const request = topicId ? { body, topic_id: topicId } : { body };
  return (await call(api.POST("/api/v1/posts/preview", { body: request }))).html;
}

/** A few people from the directory whose name or handle matches `text`, best first. */
export async function findMentionCandidates(text: string): Promise<MentionCandidate[]> {
  return (await call(api.GET("/api/v1/users", { params: { query: { q: text, limit: 5 } } }))).items;
}
