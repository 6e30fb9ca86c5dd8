// A gentle reminder while the email is unconfirmed, with a way to resend.
import { Alert, Button, Group, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { resendVerification } from "@/features/auth/api/auth-api";
import { useSession } from "@/lib/session";

export function VerifyBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const resend = useMutation({
    mutationFn: resendVerification,
    onSuccess: () => notify(t("auth.resent")),
    onError: (error) => notify(problemMessage(t, error), { error: true }),
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
