import { Button, Modal, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { deleteAccount } from "@/features/profile/api/profile-api";

export function DeleteAccount() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure(false);
  const [password, setPassword] = useState("");
  const mutation = useMutation({
    mutationFn: () => deleteAccount(password),
    onSuccess: () => {
      notify(t("profile.deleted"));
      navigate("/");
    },
    onError: (error) => {
      if (isFormWide(error, ["password"])) notify(problemMessage(t, error), { error: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t("profile.deleteTitle")}
      </Title>
      <Text size="sm">{t("profile.deleteWarning")}</Text>
      <Button color="red" variant="outline" onClick={open} style={{ alignSelf: "flex-start" }}>
        {t("profile.deleteButton")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("profile.deleteTitle")} closeButtonProps={{ "aria-label": t("nav.close") }}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t("profile.deleteConfirm")}</Text>
            <PasswordInput
              label={t("auth.password")}
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError(mutation.error, "password")}
              data-autofocus
            />
            <Button type="submit" color="red" loading={mutation.isPending}>
              {t("profile.deleteForever")}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
