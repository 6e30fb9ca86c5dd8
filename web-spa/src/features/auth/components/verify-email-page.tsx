import { Alert, Anchor } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { useLinkToken } from "@/features/auth/hooks/use-link-token";
import { verifyEmail } from "@/features/auth/api/auth-api";
import { authSession } from "@/lib/auth-session";
import { Busy } from "@/components/ui/busy";

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const token = useLinkToken();
  const verification = useQuery({
    queryKey: ["verify-email", token],
    enabled: token !== "",
    retry: false,
    // A one-time action: never re-run it on focus or reconnect.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    queryFn: async () => {
      await verifyEmail(token);
      const state = authSession.getState();
      if (state.status === "signed-in") authSession.updateUser({ ...state.user, email_verified: true });
      return true;
    },
  });
  if (!token) return <FormCard title={t("auth.verifyTitle")} error={t("auth.missingToken")} />;
  return (
    <FormCard title={t("auth.verifyTitle")} error={verification.isError ? problemMessage(t, verification.error) : null}>
      {verification.isPending ? <Busy /> : null}
      {verification.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.verifyDone")}{" "}
          <Anchor component={Link} to="/">
            {t("errors.goHome")}
          </Anchor>
        </Alert>
      ) : null}
    </FormCard>
  );
}
