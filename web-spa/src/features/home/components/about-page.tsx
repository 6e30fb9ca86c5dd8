import { Anchor, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { PageHeading } from "@/components/ui/page-heading";

export function AboutPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={720} mx="auto">
      <PageHeading size="h2">{t("about.title")}</PageHeading>
      <Text>{t("about.body")}</Text>
      <Anchor href="/api/docs/">{t("about.api")}</Anchor>
    </Stack>
  );
}
