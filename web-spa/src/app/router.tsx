// Routes; each page is its own chunk, loaded when first visited.
import { createBrowserRouter, redirect } from "react-router";

import { Layout } from "@/app/layout";
import { RouteError } from "@/app/route-error";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import("@/features/home/components/home-page")).HomePage }) },
      { path: "about", lazy: async () => ({ Component: (await import("@/features/home/components/about-page")).AboutPage }) },
      { path: "login", lazy: async () => ({ Component: (await import("@/features/auth/components/login-page")).LoginPage }) },
      { path: "register", lazy: async () => ({ Component: (await import("@/features/auth/components/register-page")).RegisterPage }) },
      { path: "forgot-password", lazy: async () => ({ Component: (await import("@/features/auth/components/forgot-password-page")).ForgotPasswordPage }) },
      { path: "reset-password", lazy: async () => ({ Component: (await import("@/features/auth/components/reset-password-page")).ResetPasswordPage }) },
      { path: "confirm-registration", lazy: async () => ({ Component: (await import("@/features/auth/components/confirm-registration-page")).ConfirmRegistrationPage }) },
      { path: "verify-email", lazy: async () => ({ Component: (await import("@/features/auth/components/verify-email-page")).VerifyEmailPage }) },
      { path: "me", lazy: async () => ({ Component: (await import("@/features/profile/components/profile-page")).ProfilePage }) },
      { path: "people", lazy: async () => ({ Component: (await import("@/features/people/components/people-page")).PeoplePage }) },
      { path: "users/:handle", lazy: async () => ({ Component: (await import("@/features/people/components/user-page")).UserPage }) },
      { path: "friends", lazy: async () => ({ Component: (await import("@/features/friends/components/friends-page")).FriendsPage }) },
      { path: "notifications", lazy: async () => ({ Component: (await import("@/features/notifications/components/notifications-page")).NotificationsPage }) },
      { path: "forum", lazy: async () => ({ Component: (await import("@/features/forum/components/forum-home-page")).ForumHomePage }) },
      { path: "forum/c/:slug", lazy: async () => ({ Component: (await import("@/features/forum/components/category-page")).CategoryPage }) },
      { path: "forum/t/:id", lazy: async () => ({ Component: (await import("@/features/forum/components/topic-page")).TopicPage }) },
      { path: "search", lazy: async () => ({ Component: (await import("@/features/search/components/search-page")).SearchPage }) },
      // One route for the list and a conversation: choosing another keeps the page (and the list) in place.
      { path: "chats/:id?", lazy: async () => ({ Component: (await import("@/features/chat/components/chat-page")).ChatPage }) },
      {
        path: "moderation",
        lazy: async () => ({ Component: (await import("@/features/moderation/components/moderation-layout")).ModerationLayout }),
        children: [
          { index: true, loader: () => redirect("/moderation/reports") },
          { path: "reports", lazy: async () => ({ Component: (await import("@/features/moderation/components/reports-page")).ReportsPage }) },
          { path: "log", lazy: async () => ({ Component: (await import("@/features/moderation/components/log-page")).LogPage }) },
          { path: "bans", lazy: async () => ({ Component: (await import("@/features/moderation/components/bans-page")).BansPage }) },
          { path: "categories", lazy: async () => ({ Component: (await import("@/features/moderation/components/categories-page")).CategoriesPage }) },
          { path: "moderators", lazy: async () => ({ Component: (await import("@/features/moderation/components/moderators-page")).ModeratorsPage }) },
        ],
      },
      // The server's links to a post (in quotes) name it /topics/<id>/<number>.
      {
        path: "topics/:id/:number?",
        loader: ({ params }) => {
          const number = params.number ? `?post=${encodeURIComponent(params.number)}` : "";
          return redirect(`/forum/t/${encodeURIComponent(params.id ?? "")}${number}`);
        },
      },
      { path: "*", element: <RouteError /> },
    ],
  },
]);
