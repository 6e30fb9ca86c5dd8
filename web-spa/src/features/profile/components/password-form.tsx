import { Button, PasswordInput, Stack, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { changePassword } from "@/features/profile/api/profile-api";

export function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const mutation = useMutation({
    mutationFn: () => changePassword(current, next),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      notify(t("profile.passwordChanged"));
    },
    onError: (error) => {
      if (isFormWide(error, ["current_password", "new_password"])) notify(problemMessage(t, error), { error: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h4">
          {t("profile.changePassword")}
        </Title>
        <PasswordInput
          label={t("profile.currentPassword")}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={fieldError(mutation.error, "current_password")}
        />
        <PasswordInput
          label={t("auth.newPassword")}
          description={t("auth.passwordHint")}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={fieldError(mutation.error, "new_password")}
        />
        <Button type="submit" loading={mutation.isPending} style={{ alignSelf: "flex-start" }}>
          {t("profile.changePassword")}
        </Button>
      </Stack>
    </form>
  );
}
