import { Avatar, Button, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { VerifyBanner } from "@/features/auth/components/verify-banner";
import { LatestTopics } from "@/features/home/components/latest-topics";
import { useSession } from "@/lib/session";
import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";

export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.status === "loading") return <Busy />;
  if (session.status === "signed-in") {
    return (
      <Stack maw={720} mx="auto">
        <VerifyBanner />
        <Group>
          <Avatar src={session.user.avatar.large} alt="" size="lg" radius="xl" />
          <PageHeading size="h2">{t("home.welcome", { name: session.user.display_name })}</PageHeading>
        </Group>
        <Text>{t("home.signedInIntro")}</Text>
        <LatestTopics />
      </Stack>
    );
  }
  return (
    <Stack maw={720} mx="auto" mt="xl" align="flex-start">
      <PageHeading>{t("app.tagline")}</PageHeading>
      <Text size="lg">{t("home.intro")}</Text>
      <Group>
        <Button component={Link} to="/register" size="md">
          {t("home.cta")}
        </Button>
        <Button component={Link} to="/login" size="md" variant="default">
          {t("nav.signIn")}
        </Button>
      </Group>
      <LatestTopics />
    </Stack>
  );
}
