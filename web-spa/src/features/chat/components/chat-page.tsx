// The messenger's page, at /chats and /chats/:id. On a desktop (md and up)
// the list and the open conversation sit side by side; on a phone they are
// two screens: the list at /chats, the conversation at /chats/:id with a way
// back. The page fills the window below the header, edge to edge, so only
// the list and the messages scroll.
import { Box, Stack, Text } from "@mantine/core";
import { useEffect, useRef, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { ChatList } from "@/features/chat/components/chat-list";
import { ConversationView } from "@/features/chat/components/conversation-view";
import { useSession } from "@/lib/session";

const PAGE_STYLE = {
  display: "flex",
  // The shell's padding given back: the panes reach the window's edges.
  margin: "calc(var(--app-shell-padding, 0px) * -1)",
  height: "calc(100dvh - var(--app-shell-header-offset, 0px))",
  minHeight: 0,
} as const;

/** Whether the keyboard focus was lost: on nothing, or on something no longer shown (the other screen, on a phone). */
function focusLost(): boolean {
  const active = document.activeElement;
  return !(active instanceof HTMLElement) || active === document.body || !active.isConnected || active.getClientRects().length === 0;
}

/**
 * Choosing a conversation (or going back) keeps this page, so its heading
 * does not take the focus as a new page's would. Where the focus was left on
 * something now hidden, the heading of what is shown takes it, and screen
 * readers say where the reader is; on a desktop it stays in the list.
 */
function useFocusOnSwitch(page: RefObject<HTMLDivElement | null>, id: string | undefined) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!focusLost()) return;
    const heading = page.current?.querySelector<HTMLElement>(id ? "h2[tabindex]" : "h1");
    heading?.focus();
  }, [page, id]);
}

export function ChatPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const session = useSession();
  const location = useLocation();
  const page = useRef<HTMLDivElement>(null);
  useFocusOnSwitch(page, id);
  if (session.status === "loading") return <Busy />;
  if (session.status === "anonymous") return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const me = session.user.id;
  return (
    <div ref={page} style={PAGE_STYLE}>
      {/* Hidden with CSS, not unmounted: going back on a phone finds the list where it was. */}
      <Box
        visibleFrom={id ? "md" : undefined}
        w={{ base: "100%", md: 340 }}
        style={{ flex: "none", minHeight: 0, borderInlineEnd: "1px solid var(--mantine-color-default-border)" }}
      >
        <ChatList activeId={id ?? null} me={me} />
      </Box>
      {id ? (
        <Box style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
          <ConversationView id={id} me={me} />
        </Box>
      ) : (
        <Stack visibleFrom="md" style={{ flex: 1 }} align="center" justify="center" p="md">
          <Text c="dimmed" ta="center">
            {t("chatView.choose")}
          </Text>
        </Stack>
      )}
    </div>
  );
}
