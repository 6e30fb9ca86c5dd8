// A gentle reminder while the email is unconfirmed, with a way to resend.
import { Alert, Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";
import { resendVerification } from "@/features/auth/api/auth-api";
import { useSession } from "@/lib/session";

export function VerifyBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const resend = useMutation({
    mutationFn: resendVerification,
    onSuccess: () => notifications.show({ message: t("auth.resent") }),
    onError: (error) => notifications.show({ color: "red", message: problemMessage(t, error) }),
  });
  if (session.status !== "signed-in" || session.user.email_verified) return null;
  return (
    <Alert color="yellow" mb="md" role="status">
      <Group justify="space-between">
        <Text size="sm">{t("auth.unverified")}</Text>
        <Button size="xs" variant="light" loading={resend.isPending} onClick={() => resend.mutate()}>
          {t("auth.resend")}
        </Button>
      </Group>
    </Alert>
  );
}
