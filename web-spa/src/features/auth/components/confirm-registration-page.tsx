import { Alert, Anchor, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { Busy } from "@/components/ui/busy";
import { confirmRegistration } from "@/features/auth/api/auth-api";
import { useLinkToken } from "@/features/auth/hooks/use-link-token";

// The emailed link's landing page: opening it creates the account.
export function ConfirmRegistrationPage() {
  const { t } = useTranslation();
  const token = useLinkToken();
  const creation = useQuery({
    queryKey: ["confirm-registration", token],
    enabled: token !== "",
    retry: false,
    // A one-time action: never re-run it on focus or reconnect.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    queryFn: () => confirmRegistration(token),
  });
  if (!token) return <FormCard title={t("auth.confirmTitle")} error={t("auth.missingToken")} />;
  return (
    <FormCard title={t("auth.confirmTitle")} error={creation.isError ? problemMessage(t, creation.error) : null}>
      {creation.isPending ? <Busy /> : null}
      {creation.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.confirmDone", { handle: creation.data.handle })}{" "}
          <Anchor component={Link} to="/login">
            {t("nav.signIn")}
          </Anchor>
        </Alert>
      ) : null}
      {creation.isError ? (
        <Text size="sm" ta="center">
          <Anchor component={Link} to="/register">
            {t("auth.registerAgain")}
          </Anchor>
        </Text>
      ) : null}
    </FormCard>
  );
}
