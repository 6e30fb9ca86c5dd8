// Where a forum page sits: the forum, then its category.
import { Anchor, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function ForumTrail({ category }: { category?: { slug: string; name: string } }) {
  const { t } = useTranslation();
  return (
    <Group component="nav" aria-label={t("forum.trail")} gap={6} wrap="wrap">
      <Anchor component={Link} to="/forum" size="sm">
        {t("forum.title")}
      </Anchor>
      {category ? (
        <>
          <Text size="sm" c="dimmed" aria-hidden="true">
            ›
          </Text>
          <Anchor component={Link} to={`/forum/c/${category.slug}`} size="sm">
            {category.name}
          </Anchor>
        </>
      ) : null}
    </Group>
  );
}
