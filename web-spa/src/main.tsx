import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "@/app/app.css";
// First of the code: it asks for the reader's language at once (in a build,
// index.html has already started fetching it alongside this code).
import "@/lib/i18n";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";

import { startLiveUpdates } from "@/app/live";
import { Providers } from "@/app/providers";
import { router } from "@/app/router";
import { authSession } from "@/lib/auth-session";
import { currentLanguage, i18nReady, setLanguage } from "@/lib/i18n";
import { queryClient } from "@/lib/query-client";

// Signed in, the language kept in the profile wins, on any browser; and no
// cached data of one account is ever shown to the next.
let lastUserId: string | null = null;
authSession.subscribe(() => {
  const state = authSession.getState();
  const userId = state.status === "signed-in" ? state.user.id : null;
  if (userId !== lastUserId) {
    // Only when an account goes away: clearing while the session is first
    // restored would pull queries from under the page being opened.
    if (lastUserId !== null) queryClient.clear();
    lastUserId = userId;
    if (state.status === "signed-in" && state.user.locale !== currentLanguage()) setLanguage(state.user.locale);
  }
});

// Restore the session from the refresh cookie before anything asks for it.
void authSession.refresh();
startLiveUpdates();

// Drawn once the reader's language is here: no flash of keys or of English.
const root = document.getElementById("root");
if (root) {
  void i18nReady.then(() =>
    createRoot(root).render(
      <StrictMode>
        <Providers>
          <RouterProvider router={router} />
        </Providers>
      </StrictMode>,
    ),
  );
}
