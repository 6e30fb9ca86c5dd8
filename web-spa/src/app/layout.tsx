// The frame of every page: navigation, language, theme and the user menu.
import {
  ActionIcon,
  AppShell,
  Badge,
  Box,
  Burger,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Text,
  useComputedColorScheme,
  useMantineColorScheme,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Suspense, lazy, useSyncExternalStore } from "react";
import { Link, NavLink, Outlet } from "react-router";

import { realtime } from "@/app/live";
import { useUnreadTitle } from "@/app/unread-title";
import { useUnreadBadge } from "@/features/chat/hooks/use-unread-badge";
import { useFriendsSummary } from "@/features/friends/hooks/use-friends-summary";
import { SearchBox, SearchIcon } from "@/features/search/components/search-box";
import { authSession } from "@/lib/auth-session";
import { currentLanguage, setLanguage, type Language } from "@/lib/i18n";
import { useSession } from "@/lib/session";
import { Busy } from "@/components/ui/busy";

function ThemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme("light");
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label={t("nav.theme")}
      title={scheme === "dark" ? t("theme.light") : t("theme.dark")}
      onClick={() => setColorScheme(scheme === "dark" ? "light" : "dark")}
    >
      <span aria-hidden="true">{scheme === "dark" ? "☀" : "☾"}</span>
    </ActionIcon>
  );
}

function LanguageSwitch() {
  const { t } = useTranslation();
  const session = useSession();
  const change = (language: Language) => {
    setLanguage(language);
    // Signed in, the language is kept in the profile (and used for emails).
    if (session.status === "signed-in") {
      // The client loads on demand: it is not needed to draw the first page.
      void import("@/lib/api-client")
        .then(({ api }) => api.PATCH("/api/v1/me", { body: { locale: language } }))
        .then(({ data }) => {
          if (data) authSession.updateUser(data);
        });
    }
  };
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("nav.language")}
      value={currentLanguage()}
      onChange={(value) => change(value as Language)}
      data={[
        { value: "en", label: "EN" },
        { value: "ru", label: "RU" },
      ]}
    />
  );
}

/** Says when live updates are not coming: offline, or reconnecting. */
function ConnectionIndicator() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(realtime.subscribe, realtime.getState, realtime.getState);
  const shown = state === "offline" || state === "reconnecting";
  return (
    <span role="status">
      {shown ? (
        <Badge color={state === "offline" ? "gray" : "yellow"} variant="light" size="sm">
          {state === "offline" ? t("live.offline") : t("live.reconnecting")}
        </Badge>
      ) : null}
    </span>
  );
}

// The signed-in menu (with its popover machinery) loads after the first page.
const SignedInMenu = lazy(() => import("@/app/user-menu"));
// So does the notification bell; until then, its place is kept so the header does not shift.
const NotificationBell = lazy(() => import("@/features/notifications/components/notification-bell"));

function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.status === "loading") return <Busy size="sm" />;
  if (session.status === "anonymous") {
    return (
      <Group gap="xs">
        <Button component={Link} to="/login" variant="default" size="xs">
          {t("nav.signIn")}
        </Button>
        <Button component={Link} to="/register" size="xs" visibleFrom="xs">
          {t("nav.register")}
        </Button>
      </Group>
    );
  }
  return (
    <Suspense fallback={<Busy size="sm" />}>
      <SignedInMenu user={session.user} />
    </Suspense>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSession();
  const incoming = useFriendsSummary().data?.incoming ?? 0;
  // The messenger's badge comes from the live connection's cache alone: nothing of the messenger loads for it.
  const unread = useUnreadBadge();
  useUnreadTitle(unread);
  const chatsLabel = (
    <>
      {t("chatSetup.chats")}
      {unread > 0 ? (
        <Badge size="xs" circle={unread < 10} ml={6} aria-label={t("chatSetup.unread", { count: unread })}>
          {unread > 99 ? "99+" : unread}
        </Badge>
      ) : null}
    </>
  );
  const friendsLabel = (
    <>
      {t("nav.friends")}
      {incoming > 0 ? (
        <Badge size="xs" circle ml={6} aria-label={t("nav.incomingRequests", { count: incoming })}>
          {incoming}
        </Badge>
      ) : null}
    </>
  );
  // `end`: the link is current on its own page only; the forum's also on the pages under it.
  const links = [
    { to: "/", label: t("nav.home"), end: true },
    { to: "/forum", label: t("nav.forum"), end: false },
    ...(session.status === "signed-in"
      ? [
          { to: "/chats", label: chatsLabel, end: false },
          { to: "/people", label: t("nav.people"), end: true },
          { to: "/friends", label: friendsLabel, end: true },
        ]
      : []),
    { to: "/about", label: t("nav.about"), end: true },
  ];
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { desktop: true, mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t("nav.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.navigation")} />
            <Text component={Link} to="/" fw={700} size="lg">
              {t("app.name")}
            </Text>
            <Group gap="xs" visibleFrom="sm" component="nav">
              {links.map((link) => (
                <Button key={link.to} component={NavLink} to={link.to} end={link.end} variant="subtle" size="compact-sm">
                  {link.label}
                </Button>
              ))}
            </Group>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {/* The box on wide screens; narrower, an icon leading to the search page; on a phone, in the menu. */}
            <SearchBox visibleFrom="md" />
            <ActionIcon component={Link} to="/search" variant="default" size="lg" aria-label={t("search.open")} visibleFrom="sm" hiddenFrom="md">
              <SearchIcon />
            </ActionIcon>
            <ConnectionIndicator />
            <LanguageSwitch />
            <ThemeToggle />
            {session.status === "signed-in" ? (
              <Suspense fallback={<Box w={34} h={34} />}>
                <NotificationBell />
              </Suspense>
            ) : null}
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" hidden={!opened} inert={!opened}>
        {opened ? <SearchBox onSearched={close} /> : null}
        <Stack gap="xs" component="nav" mt="md">
          {links.map((link) => (
            <Button key={link.to} component={NavLink} to={link.to} end={link.end} variant="subtle" justify="start" onClick={close}>
              {link.label}
            </Button>
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
