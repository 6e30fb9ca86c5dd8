import { Anchor, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function AboutPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={720} mx="auto">
      <Title order={1} size="h2">
        {t("about.title")}
      </Title>
      <Text>{t("about.body")}</Text>
      <Anchor href="/api/docs/">{t("about.api")}</Anchor>
    </Stack>
  );
}
