// Search results as rows, one shape per kind, with the server's highlights:
// safe HTML (the text escaped, the matched words in <mark>).
import { Anchor, Avatar, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { SearchHit } from "@/features/search/api/search-api";
import { RelativeTime } from "@/lib/relative-time";

type Hit<T extends SearchHit["type"]> = Extract<SearchHit, { type: T }>;
type Person = Hit<"person">["user"];

/** The server escapes the text and adds only <mark>: showing it as HTML is the point. */
function Highlighted({ html }: { html: string }) {
  return <span className="search-highlight" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A person's name, linked to their profile; a deleted account has neither. */
function Author({ person, link = true }: { person: Person | null | undefined; link?: boolean }) {
  const { t } = useTranslation();
  if (!person) return <>{t("search.deletedUser")}</>;
  if (!link) return <>{person.display_name}</>;
  return (
    <Anchor component={Link} to={`/users/${person.handle}`} inherit c="dimmed">
      {person.display_name}
    </Anchor>
  );
}

function TopicRow({ hit }: { hit: Hit<"topic"> }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Anchor component={Link} to={`/forum/t/${hit.id}`} fw={600} className="break-anywhere">
        <Highlighted html={hit.title_highlight} />
      </Anchor>
      {hit.excerpt ? (
        <Text size="sm" className="break-anywhere">
          <Highlighted html={hit.excerpt} />
        </Text>
      ) : null}
      <Text size="sm" c="dimmed">
        <Anchor component={Link} to={`/forum/c/${hit.category.slug}`} inherit c="dimmed">
          {hit.category.name}
        </Anchor>
        {" · "}
        <Author person={hit.author} />
        {" · "}
        {t("search.replies", { count: hit.reply_count })}
        {" · "}
        {t("search.lastPost")} <RelativeTime value={hit.last_activity_at} />
      </Text>
    </Stack>
  );
}

function PostRow({ hit }: { hit: Hit<"post"> }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Anchor component={Link} to={`/forum/t/${hit.topic_id}?post=${hit.number}`} fw={600} className="break-anywhere">
        {t("search.postIn", { number: hit.number, title: hit.topic_title })}
      </Anchor>
      <Text size="sm" className="break-anywhere">
        <Highlighted html={hit.highlight} />
      </Text>
      <Text size="sm" c="dimmed">
        <Author person={hit.author} />
        {" · "}
        <RelativeTime value={hit.created_at} />
      </Text>
    </Stack>
  );
}

function PersonRow({ hit }: { hit: Hit<"person"> }) {
  const user = hit.user;
  return (
    <Group gap="sm" wrap="nowrap">
      <Avatar src={user.avatar.small} alt="" radius="xl" />
      <div style={{ minWidth: 0 }}>
        <Anchor component={Link} to={`/users/${user.handle}`} fw={600} className="break-anywhere">
          {user.display_name}
        </Anchor>
        <Text size="sm" c="dimmed" className="break-anywhere">
          @{user.handle}
        </Text>
      </div>
    </Group>
  );
}

/** A message leads to its conversation. */
function MessageRow({ hit }: { hit: Hit<"message"> }) {
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Avatar src={hit.sender?.avatar.small} alt="" radius="xl" />
      <Stack gap={4} style={{ minWidth: 0 }}>
        <Text size="sm" c="dimmed">
          <Text span fw={600} c="bright" inherit>
            <Author person={hit.sender} link={false} />
          </Text>
          {" · "}
          <RelativeTime value={hit.created_at} />
        </Text>
        <Anchor component={Link} to={`/chats/${hit.conversation_id}`} size="sm" className="break-anywhere">
          <Highlighted html={hit.highlight} />
        </Anchor>
      </Stack>
    </Group>
  );
}

function HitRow({ hit }: { hit: SearchHit }) {
  switch (hit.type) {
    case "topic":
      return <TopicRow hit={hit} />;
    case "post":
      return <PostRow hit={hit} />;
    case "person":
      return <PersonRow hit={hit} />;
    case "message":
      return <MessageRow hit={hit} />;
  }
}

/** A stable key per hit: ids, or a message's place in its conversation. */
export function hitKey(hit: SearchHit): string {
  switch (hit.type) {
    case "topic":
    case "post":
      return `${hit.type}:${hit.id}`;
    case "person":
      return `person:${hit.user.id}`;
    case "message":
      return `message:${hit.conversation_id}:${hit.seq}`;
  }
}

/** The hits given, best first, as a labelled list. */
export function HitList({ hits, label }: { hits: SearchHit[]; label: string }) {
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={label}>
      {hits.map((hit) => (
        <li key={hitKey(hit)}>
          <Paper withBorder p="sm">
            <HitRow hit={hit} />
          </Paper>
        </li>
      ))}
    </Stack>
  );
}
