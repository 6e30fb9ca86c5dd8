// What the reader may do with one post. The server decides in the end; this
// only keeps buttons that would be refused off the screen.
import type { Post, Topic } from "@/features/forum/api/forum-api";
import type { SessionState } from "@/lib/auth-session";

export interface PostPermissions {
  signedIn: boolean;
  moderator: boolean;
  own: boolean;
  like: boolean;
  reply: boolean;
  edit: boolean;
  remove: boolean;
  restore: boolean;
  report: boolean;
  history: boolean;
}

export function postPermissions(post: Post, topic: Pick<Topic, "locked">, session: SessionState): PostPermissions {
  const user = session.status === "signed-in" ? session.user : null;
  const moderator = user?.role === "moderator" || user?.role === "admin";
  const own = user !== null && post.author?.id === user.id;
  const deleted = Boolean(post.deleted);
  // A locked topic takes no replies or edits but from moderators.
  const writable = !deleted && (!topic.locked || moderator);
  return {
    signedIn: user !== null,
    moderator,
    own,
    like: user !== null && !own && !deleted,
    reply: user !== null && writable,
    edit: own && writable,
    remove: user !== null && !deleted && (own || moderator),
    restore: moderator && deleted,
    report: user !== null && !own && !deleted,
    history: post.revision > 1 && (!deleted || moderator),
  };
}
