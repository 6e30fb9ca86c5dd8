import { Anchor, Button, Checkbox, Group, PasswordInput, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";

import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { FormCard } from "@/components/ui/form-card";
import { signIn } from "@/features/auth/api/auth-api";

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(true);
  const mutation = useMutation({ mutationFn: signIn, onSuccess: () => navigate(from, { replace: true }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ login, password, remember });
  };
  const error = mutation.error;
  return (
    <FormCard title={t("auth.signInTitle")} error={error && isFormWide(error, ["login", "password"]) ? problemMessage(t, error) : null}>
      <form onSubmit={submit} noValidate>
        <TextInput
          label={t("auth.login")}
          autoComplete="username"
          required
          value={login}
          onChange={(e) => setLogin(e.currentTarget.value)}
          error={fieldError(error, "login")}
          mb="sm"
        />
        <PasswordInput
          label={t("auth.password")}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldError(error, "password")}
          mb="sm"
        />
        <Group justify="space-between" mb="md">
          <Checkbox label={t("auth.remember")} checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("auth.forgot")}
          </Anchor>
        </Group>
        <Button type="submit" fullWidth loading={mutation.isPending}>
          {t("auth.signInSubmit")}
        </Button>
      </form>
      <Text size="sm" ta="center">
        {t("auth.noAccount")}{" "}
        <Anchor component={Link} to="/register">
          {t("nav.register")}
        </Anchor>
      </Text>
    </FormCard>
  );
}
