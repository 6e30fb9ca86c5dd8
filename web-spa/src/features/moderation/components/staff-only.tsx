// Shows its content to moderators (or admins only), and to everyone else a
// plain explanation instead of a blank or broken screen.
import { Alert, Anchor } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { Busy } from "@/components/ui/busy";
import type { StaffRole } from "@/features/moderation/api/moderation-api";
import { mayAct, useStaffRole } from "@/features/moderation/hooks/use-staff-role";
import { useSession } from "@/lib/session";

export function StaffOnly({ need = "moderator", children }: { need?: StaffRole; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const role = useStaffRole();
  const location = useLocation();
  if (role === undefined) return <Busy mx="auto" />;
  if (mayAct(role, need)) return children;
  return (
    <Alert color="yellow" title={need === "admin" ? t("moderation.adminsOnly") : t("moderation.moderatorsOnly")}>
      {session.status === "anonymous" ? (
        <Anchor component={Link} to="/login" state={{ from: location.pathname }}>
          {t("moderation.signInAsModerator")}
        </Anchor>
      ) : (
        t(need === "admin" ? "moderation.adminsOnlyDetail" : "moderation.moderatorsOnlyDetail")
      )}
    </Alert>
  );
}
