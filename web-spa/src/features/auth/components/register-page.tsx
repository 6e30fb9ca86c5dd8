import { Alert, Anchor, Button, PasswordInput, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { register } from "@/features/auth/api/auth-api";

const FIELDS = ["email", "handle", "display_name", "password"];

export function RegisterPage() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ email: "", handle: "", display_name: "", password: "" });
  // The account is made when the emailed link is opened; the answer is the
  // same whether or not the address has one, so this page only says where to look.
  const mutation = useMutation({ mutationFn: () => register(form) });
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [name]: e.currentTarget.value }),
    error: fieldError(mutation.error, name),
    required: true,
    mb: "sm",
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const error = mutation.error;
  if (mutation.isSuccess) {
    return (
      <FormCard title={t("auth.checkEmailTitle")}>
        <Alert color="green" role="status">
          {t("auth.registered", { email: mutation.data.email })}
        </Alert>
        <Text size="sm" ta="center">
          {t("auth.haveAccount")}{" "}
          <Anchor component={Link} to="/login">
            {t("nav.signIn")}
          </Anchor>
        </Text>
      </FormCard>
    );
  }
  return (
    <FormCard title={t("auth.registerTitle")} error={error && isFormWide(error, FIELDS) ? problemMessage(t, error) : null}>
      <form onSubmit={submit} noValidate>
        <TextInput label={t("auth.email")} type="email" autoComplete="email" {...field("email")} />
        <TextInput label={t("auth.handle")} description={t("auth.handleHint")} autoComplete="username" {...field("handle")} />
        <TextInput label={t("auth.displayName")} autoComplete="name" {...field("display_name")} />
        <PasswordInput label={t("auth.password")} description={t("auth.passwordHint")} autoComplete="new-password" {...field("password")} />
        <Button type="submit" fullWidth loading={mutation.isPending} mt="xs">
          {t("auth.registerSubmit")}
        </Button>
      </form>
      <Text size="sm" ta="center">
        {t("auth.haveAccount")}{" "}
        <Anchor component={Link} to="/login">
          {t("nav.signIn")}
        </Anchor>
      </Text>
    </FormCard>
  );
}
