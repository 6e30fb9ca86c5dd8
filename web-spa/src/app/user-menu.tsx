// The signed-in user's menu: profile and sign-out.
import { Avatar, Menu, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { discardStoredOutbox } from "@/features/chat/store/stored-outbox";
import { authSession, type Me } from "@/lib/auth-session";

export default function UserMenu({ user }: { user: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = async () => {
    const signedOut = await import("@/lib/api-client")
      .then(({ api }) => api.POST("/api/v1/auth/logout", { parseAs: "text" }))
      .then(({ response }) => response.ok)
      .catch(() => false);
    // Unless the server ended the session, the cookie would sign the next person in.
    if (!signedOut) {
      notify(t("errors.network_error"), { error: true });
      return;
    }
    authSession.clear();
    // Signed out on purpose: messages still waiting to go must not go out on their own at the next sign-in.
    const unsent = discardStoredOutbox(user.id);
    notify(t("auth.signedOut"));
    if (unsent) notify(t("chatView.unsentDiscarded", { count: unsent }), { error: true });
    navigate("/");
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t("nav.menu")}>
          <Avatar src={user.avatar.small} alt={user.display_name} radius="xl" size="md" />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.display_name} · @{user.handle}
        </Menu.Label>
        <Menu.Item component={Link} to="/me">
          {t("nav.profile")}
        </Menu.Item>
        {user.role === "moderator" || user.role === "admin" ? (
          <Menu.Item component={Link} to="/moderation">
            {t("moderation.menuItem")}
          </Menu.Item>
        ) : null}
        <Menu.Item onClick={() => void signOut()}>{t("nav.signOut")}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
