import { QueryClient } from "@tanstack/react-query";

import { registerFriendsLive } from "@/features/friends/live";
import { LiveRegistry } from "@/lib/realtime";

function setUp() {
  const registry = new LiveRegistry();
  const queryClient = new QueryClient();
  const announced: string[] = [];
  queryClient.setQueryData(["friends-summary"], { friends: 1, incoming: 0, outgoing: 0 });
  registerFriendsLive(registry, queryClient, () => "me", (name) => announced.push(name));
  const summary = () => queryClient.getQueryData(["friends-summary"]);
  return { registry, queryClient, announced, summary };
}

const person = (id: string, name: string) => ({ id, handle: id, display_name: name, avatar: { large: "", small: "", is_default: true }, role: "user" });

describe("friends live updates", () => {
  it("count a request to me as incoming, announce it, and only reload the incoming list", async () => {
    const { registry, queryClient, announced, summary } = setUp();
    queryClient.setQueryData(["friends-list", "incoming", ""], { pages: [] });
    queryClient.setQueryData(["friends-list", "friends", ""], { pages: [] });
    registry.event({
      type: "friend_request_sent",
      request_id: "r1",
      sender: person("anna", "Анна"),
      recipient: person("me", "Me"),
      created_at: "2026-11-22T00:00:00Z",
    } as never);
    expect(summary()).toEqual({ friends: 1, incoming: 1, outgoing: 0 });
    expect(announced).toEqual(["Анна"]);
    expect(queryClient.getQueryState(["friends-list", "incoming", ""])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(["friends-list", "friends", ""])?.isInvalidated).toBe(false);
  });

  it("move an accepted request of mine to friends", () => {
    const { registry, summary } = setUp();
    registry.event({ type: "friend_request_sent", request_id: "r1", sender: person("me", "Me"), recipient: person("boris", "Boris"), created_at: "2026-11-22T00:00:00Z" } as never);
    registry.event({ type: "friend_request_accepted", request_id: "r1", sender_id: "me", recipient_id: "boris" });
    expect(summary()).toEqual({ friends: 2, incoming: 0, outgoing: 0 });
  });

  it("take the incoming count from a fresh ready, and leave it to the resumed events after a reconnect", () => {
    const { registry, summary } = setUp();
    registry.ready({ counts: { incoming_friend_requests: 4 } } as never, true);
    expect(summary()).toEqual({ friends: 1, incoming: 4, outgoing: 0 });
    registry.ready({ counts: { incoming_friend_requests: 9 } } as never, false);
    expect(summary()).toEqual({ friends: 1, incoming: 4, outgoing: 0 });
  });
});
