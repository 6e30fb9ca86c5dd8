// Composes the live connection: which feature reacts to which event, and
// when the connection runs (while signed in). Features never import each
// other; they meet here.
import { showChatNotice } from "@/app/chat-notice";
import { registerChatLive } from "@/features/chat/live";
import { registerForumLive } from "@/features/forum/live";
import { registerFriendsLive } from "@/features/friends/live";
import { registerNotificationsLive } from "@/features/notifications/live";
import { registerPeopleLive } from "@/features/people/live";
import { registerProfileLive } from "@/features/profile/live";
import { notify } from "@/components/ui/notify";
import { authSession } from "@/lib/auth-session";
import i18n from "@/lib/i18n";
import { queryClient } from "@/lib/query-client";
import { LiveRegistry, Realtime } from "@/lib/realtime";

export const liveRegistry = new LiveRegistry();

export const realtime = new Realtime({
  registry: liveRegistry,
  url: () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/realtime`,
  token: () => authSession.token(),
  refresh: () => authSession.refresh(),
  signedIn: () => authSession.getState().status === "signed-in",
  signOut: () => authSession.clear(),
});

const me = () => {
  const state = authSession.getState();
  return state.status === "signed-in" ? state.user.id : null;
};

registerFriendsLive(liveRegistry, queryClient, me, (name) => notify(i18n.t("live.friendRequestFrom", { name })));
registerPeopleLive(liveRegistry, queryClient);
registerProfileLive(liveRegistry, queryClient);
registerForumLive(liveRegistry, queryClient, (topicId) => realtime.viewTopic(topicId));
registerNotificationsLive(liveRegistry, queryClient);
registerChatLive(liveRegistry, queryClient, me, showChatNotice, realtime);

/** Runs the connection while someone is signed in, and follows the network. */
export function startLiveUpdates(): void {
  const follow = () => {
    if (authSession.getState().status === "signed-in") realtime.start();
    else realtime.stop();
  };
  authSession.subscribe(follow);
  follow();
  addEventListener("online", () => realtime.retryNow());
  addEventListener("offline", () => realtime.wentOffline());
}
