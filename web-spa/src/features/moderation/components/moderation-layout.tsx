// The moderators' home: links to its sections (reports, log, bans; for
// admins also categories and moderators) above the section shown.
import { Button, Group, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useMatch } from "react-router";

import { PageHeading } from "@/components/ui/page-heading";
import { StaffOnly } from "@/features/moderation/components/staff-only";
import { useStaffRole } from "@/features/moderation/hooks/use-staff-role";

/** A section's link, filled in while it is the one shown (NavLink adds aria-current="page"). */
function SectionLink({ to, label }: { to: string; label: string }) {
  const current = useMatch(to) !== null;
  return (
    <Button component={NavLink} to={to} variant={current ? "light" : "subtle"} size="compact-md">
      {label}
    </Button>
  );
}

export function ModerationLayout() {
  const { t } = useTranslation();
  const role = useStaffRole();
  const sections = [
    { to: "/moderation/reports", label: t("moderation.reports.title") },
    { to: "/moderation/log", label: t("moderation.log.title") },
    { to: "/moderation/bans", label: t("moderation.bans.title") },
    ...(role === "admin"
      ? [
          { to: "/moderation/categories", label: t("moderation.categories.title") },
          { to: "/moderation/moderators", label: t("moderation.moderators.title") },
        ]
      : []),
  ];
  return (
    <Stack maw={900} mx="auto">
      <PageHeading size="h2">{t("moderation.title")}</PageHeading>
      <StaffOnly>
        <Group component="nav" aria-label={t("moderation.sections")} gap="xs">
          {sections.map((section) => (
            <SectionLink key={section.to} {...section} />
          ))}
        </Group>
        <Outlet />
      </StaffOnly>
    </Stack>
  );
}
