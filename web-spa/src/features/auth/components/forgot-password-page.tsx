import { Alert, Button, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { forgotPassword } from "@/features/auth/api/auth-api";

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState("");
  const mutation = useMutation({ mutationFn: forgotPassword });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(email);
  };
  const error = mutation.error;
  return (
    <FormCard title={t("auth.forgotTitle")} error={error && isFormWide(error, ["email"]) ? problemMessage(t, error) : null}>
      {mutation.isSuccess ? (
        <Alert color="green" role="status">
          {t("auth.forgotSent")}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Text size="sm" mb="sm">
            {t("auth.forgotIntro")}
          </Text>
          <TextInput
            label={t("auth.email")}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldError(error, "email")}
            mb="md"
          />
          <Button type="submit" fullWidth loading={mutation.isPending}>
            {t("auth.forgotSubmit")}
          </Button>
        </form>
      )}
    </FormCard>
  );
}
