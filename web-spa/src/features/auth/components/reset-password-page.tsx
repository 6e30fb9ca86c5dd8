import { Alert, Anchor, Button, PasswordInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { useLinkToken } from "@/features/auth/hooks/use-link-token";
import { resetPassword } from "@/features/auth/api/auth-api";

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const token = useLinkToken();
  const [password, setPassword] = useState("");
  const mutation = useMutation({ mutationFn: () => resetPassword(token, password) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const error = mutation.error;
  if (!token) {
    return <FormCard title={t("auth.resetTitle")} error={t("auth.missingToken")} />;
  }
  return (
    <FormCard title={t("auth.resetTitle")} error={error && isFormWide(error, ["password"]) ? problemMessage(t, error) : null}>
      {mutation.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.resetDone")}{" "}
          <Anchor component={Link} to="/login">
            {t("nav.signIn")}
          </Anchor>
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <PasswordInput
            label={t("auth.newPassword")}
            description={t("auth.passwordHint")}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(error, "password")}
            mb="md"
          />
          <Button type="submit" fullWidth loading={mutation.isPending}>
            {t("auth.resetSubmit")}
          </Button>
        </form>
      )}
    </FormCard>
  );
}
