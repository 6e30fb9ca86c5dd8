// Upload with a preview of the chosen file; the server crops and the result is shown.
import { Avatar, Button, FileButton, Group, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { removeAvatar, uploadAvatar } from "@/features/profile/api/profile-api";
import type { Me } from "@/lib/auth-session";

const ACCEPT = "image/jpeg,image/png,image/webp,image/gif";
const MAX_BYTES = 10 * 1024 * 1024;

export function AvatarEditor({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = useMutation({
    mutationFn: uploadAvatar,
    onSuccess: () => {
      setFile(null);
      notify(t("profile.avatarSaved"));
    },
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  const remove = useMutation({ mutationFn: removeAvatar, onError: (error) => notify(problemMessage(t, error), { error: true }) });
  const choose = (chosen: File | null) => {
    if (chosen && chosen.size > MAX_BYTES) {
      notify(t("profile.avatarTooBig"), { error: true });
      return;
    }
    setFile(chosen);
  };

  return (
    <Stack gap="xs">
      <Text fw={500}>{t("profile.avatar")}</Text>
      <Group align="center">
        <Avatar src={me.avatar.large} alt={t("profile.currentAvatar")} size={96} radius={96} data-testid="current-avatar" />
        {preview ? <Avatar src={preview} alt={t("profile.preview")} size={96} radius={96} /> : null}
        <Stack gap="xs">
          <Group gap="xs">
            <FileButton onChange={choose} accept={ACCEPT}>
              {(props) => (
                <Button variant="default" {...props}>
                  {t("profile.chooseImage")}
                </Button>
              )}
            </FileButton>
            {file ? (
              <Button loading={upload.isPending} onClick={() => upload.mutate(file)}>
                {t("profile.upload")}
              </Button>
            ) : null}
            {!me.avatar.is_default && !file ? (
              <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
                {t("profile.removeAvatar")}
              </Button>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {t("profile.avatarHint")}
          </Text>
        </Stack>
      </Group>
    </Stack>
  );
}
