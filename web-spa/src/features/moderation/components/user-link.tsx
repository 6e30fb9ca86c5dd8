// A person named in a moderation list: their name linking to their page, or
// "deleted user" once the account is gone.
import { Anchor, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import type { UserSummary } from "@/features/moderation/api/moderation-api";

export function UserLink({ user }: { user: UserSummary | null | undefined }) {
  const { t } = useTranslation();
  if (!user) {
    return (
      <Text span inherit fs="italic">
        {t("moderation.deletedUser")}
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={`/users/${encodeURIComponent(user.handle)}`} inherit className="break-anywhere">
      {user.display_name} (@{user.handle})
    </Anchor>
  );
}
