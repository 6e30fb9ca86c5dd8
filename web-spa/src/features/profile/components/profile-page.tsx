import { Anchor, Stack, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation } from "react-router";

import { AvatarEditor } from "@/features/profile/components/avatar-editor";
import { DeleteAccount } from "@/features/profile/components/delete-account";
import { PasswordForm } from "@/features/profile/components/password-form";
import { PrivacyForm } from "@/features/profile/components/privacy-form";
import { ProfileForm } from "@/features/profile/components/profile-form";
import { SessionsList } from "@/features/profile/components/sessions-list";
import { useSession } from "@/lib/session";
import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";

export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.status === "loading") return <Busy />;
  if (session.status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const me = session.user;
  return (
    <Stack maw={720} mx="auto">
      <PageHeading size="h2">{t("profile.title")}</PageHeading>
      {/* My topics and posts are on the page others see. */}
      <Anchor component={Link} to={`/users/${me.handle}`} style={{ alignSelf: "flex-start" }}>
        {t("activity.myPublicPage")}
      </Anchor>
      <Tabs defaultValue="profile">
        <Tabs.List>
          <Tabs.Tab value="profile">{t("profile.tabProfile")}</Tabs.Tab>
          <Tabs.Tab value="security">{t("profile.tabSecurity")}</Tabs.Tab>
          <Tabs.Tab value="privacy">{t("profile.tabPrivacy")}</Tabs.Tab>
          <Tabs.Tab value="sessions">{t("profile.tabSessions")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile" pt="md">
          <Stack gap="xl">
            <AvatarEditor me={me} />
            <ProfileForm me={me} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="security" pt="md">
          <Stack gap="xl">
            <PasswordForm />
            <DeleteAccount />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="privacy" pt="md">
          <PrivacyForm me={me} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="md">
          <SessionsList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
