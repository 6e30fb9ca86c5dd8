import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "@/app/app.css";
import "@/lib/i18n";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";

import { Providers } from "@/app/providers";
import { router } from "@/app/router";
import { authSession } from "@/lib/auth-session";
import { currentLanguage, setLanguage } from "@/lib/i18n";

// Signed in, the language kept in the profile wins, on any browser.
authSession.subscribe(() => {
  const state = authSession.getState();
  if (state.status === "signed-in" && state.user.locale !== currentLanguage()) setLanguage(state.user.locale);
});

// Restore the session from the refresh cookie before anything asks for it.
void authSession.refresh();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Providers>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  );
}
