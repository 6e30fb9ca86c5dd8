// A user's public profile, with what they wrote in the forum.
import { Avatar, Badge, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { problemMessage } from "@/components/ui/problem-text";
import { getUser } from "@/features/people/api/people-api";
import { ActivityTabs } from "@/features/people/components/activity/activity-tabs";
import { FriendshipActions } from "@/features/people/components/friendship-actions";
import { MessageButton } from "@/features/people/components/message-button";
import { RelativeTime } from "@/lib/relative-time";
import { useSession } from "@/lib/session";
import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";

export function UserPage() {
  const { t } = useTranslation();
  const { handle = "" } = useParams();
  const session = useSession();
  const user = useQuery({
    queryKey: ["user", handle, session.status],
    queryFn: () => getUser(handle),
    enabled: session.status !== "loading",
  });
  if (user.isPending) return <Busy />;
  if (user.isError) return <Text c="red">{problemMessage(t, user.error)}</Text>;
  const profile = user.data;
  const relationshipLabel: Record<string, string> = {
    friends: t("people.youAreFriends"),
    request_sent: t("people.requestSent"),
    request_received: t("people.requestReceived"),
  };
  return (
    <Stack maw={720} mx="auto">
      <Group align="flex-start" wrap="nowrap">
        <Avatar src={profile.avatar.large} alt={profile.display_name} size={128} radius={128} />
        <Stack gap={4}>
          <PageHeading size="h2">{profile.display_name}</PageHeading>
          <Text c="dimmed">@{profile.handle}</Text>
          {profile.relationship && relationshipLabel[profile.relationship] ? (
            <Badge variant="light">{relationshipLabel[profile.relationship]}</Badge>
          ) : null}
          <Text size="sm" c="dimmed">
            {t("people.joined")} <RelativeTime value={profile.created_at} />
            {profile.online ? (
              <>
                {" · "}
                {t("live.online")}
              </>
            ) : profile.last_seen_at ? (
              <>
                {" · "}
                {t("people.lastSeen")} <RelativeTime value={profile.last_seen_at} />
              </>
            ) : null}
          </Text>
        </Stack>
      </Group>
      {profile.bio ? <Text style={{ whiteSpace: "pre-wrap" }}>{profile.bio}</Text> : null}
      <Group gap="lg">
        <Text size="sm">
          <b>{profile.stats.friends}</b> {t("people.statFriends")}
        </Text>
        <Text size="sm">
          <b>{profile.stats.topics}</b> {t("people.statTopics")}
        </Text>
        <Text size="sm">
          <b>{profile.stats.posts}</b> {t("people.statPosts")}
        </Text>
      </Group>
      {/* Signed in, to someone else I have not blocked (blocking them also stops our messages). */}
      {profile.relationship && profile.relationship !== "self" && !profile.blocked ? <MessageButton user={profile} /> : null}
      <FriendshipActions user={profile} />
      <ActivityTabs handle={profile.handle} name={profile.display_name} />
    </Stack>
  );
}
