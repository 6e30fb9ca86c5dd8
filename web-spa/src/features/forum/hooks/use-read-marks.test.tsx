import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render } from "@testing-library/react";

import { forumKeys, type Topic } from "@/features/forum/api/forum-api";
import { useReadMarks } from "@/features/forum/hooks/use-read-marks";
import { authSession, type Me } from "@/lib/auth-session";

const TOPIC_ID = "t1";

/** An IntersectionObserver the test drives: `show(n)` brings post n into view. */
let callback: IntersectionObserverCallback | null = null;
const observed = new Set<Element>();
class ObserverDouble {
  constructor(cb: IntersectionObserverCallback) {
    callback = cb;
  }
  observe(element: Element) {
    observed.add(element);
  }
  unobserve(element: Element) {
    observed.delete(element);
  }
  disconnect() {
    observed.clear();
  }
}
function show(number: number) {
  const target = [...observed].find((element) => (element as HTMLElement).dataset.number === String(number));
  if (!target || !callback) throw new Error(`post ${number} is not observed`);
  const entry = { target, isIntersecting: true, intersectionRatio: 1, intersectionRect: { height: 100 }, rootBounds: { height: 800 } };
  act(() => callback?.([entry as unknown as IntersectionObserverEntry], {} as IntersectionObserver));
}

function Posts({ enabled, numbers }: { enabled: boolean; numbers: number[] }) {
  const observe = useReadMarks(TOPIC_ID, enabled, 2);
  return (
    <ol>
      {numbers.map((number) => (
        <li key={number} ref={observe} data-number={number} />
      ))}
    </ol>
  );
}

function renderPosts(enabled: boolean, client = new QueryClient()) {
  return render(
    <QueryClientProvider client={client}>
      <Posts enabled={enabled} numbers={[1, 2, 3, 4, 5]} />
    </QueryClientProvider>,
  );
}

let sent: number[];
beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("IntersectionObserver", ObserverDouble);
  sent = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      expect(request.method).toBe("PUT");
      expect(new URL(request.url).pathname).toBe(`/api/v1/topics/${TOPIC_ID}/read`);
      sent.push(((await request.json()) as { last_read_number: number }).last_read_number);
      return Response.json({ status: "read", unread_count: 0, continue_at: 5 });
    }),
  );
});
afterEach(() => {
  // Unmounted before signing out, so nothing renders after the test.
  cleanup();
  authSession.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  observed.clear();
  callback = null;
});

describe("useReadMarks", () => {
  it("sends the highest post seen at most once a second, never backwards", async () => {
    renderPosts(true);
    show(1); // already read (the server's mark is 2): nothing to send
    show(3);
    show(4);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(sent).toEqual([4]);
    show(5);
    show(3);
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(sent).toEqual([4]);
    await act(() => vi.advanceTimersByTimeAsync(600));
    expect(sent).toEqual([4, 5]);
    show(4);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(sent).toEqual([4, 5]);
  });

  it("sends what was seen on leaving the topic", async () => {
    const view = renderPosts(true);
    show(3);
    await act(() => vi.advanceTimersByTimeAsync(0));
    show(5);
    view.unmount();
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(sent).toEqual([3, 5]);
  });

  it("keeps where the server says the reader now stands in their cached topic", async () => {
    authSession.accept({ access_token: "token", expires_in: 900, user: { id: "u1", handle: "anna" } as Me } as Parameters<typeof authSession.accept>[0]);
    const client = new QueryClient();
    const cached = { id: TOPIC_ID, last_post_number: 5, reading: { status: "unread", unread_count: 3, continue_at: 3 } } as Topic;
    client.setQueryData(forumKeys.topic("u1", TOPIC_ID), cached);
    client.setQueryData(forumKeys.topic("u2", TOPIC_ID), cached);
    renderPosts(true, client);
    show(5);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(sent).toEqual([5]);
    // Opened again from the cache, it starts at the server's answer, not at post 3.
    expect(client.getQueryData<Topic>(forumKeys.topic("u1", TOPIC_ID))?.reading).toEqual({ status: "read", unread_count: 0, continue_at: 5 });
    // Another person's copy on this browser is theirs.
    expect(client.getQueryData<Topic>(forumKeys.topic("u2", TOPIC_ID))?.reading?.unread_count).toBe(3);
  });

  it("observes nothing for a visitor", () => {
    renderPosts(false);
    expect(observed.size).toBe(0);
  });
});
