import { Button, Radio, Stack } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import { updateProfile } from "@/features/profile/api/profile-api";
import type { Me } from "@/lib/auth-session";

type Privacy = Me["message_privacy"];
type OnlineVisibility = Me["online_status_visibility"];

export function PrivacyForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [privacy, setPrivacy] = useState<Privacy>(me.message_privacy);
  const [online, setOnline] = useState<OnlineVisibility>(me.online_status_visibility);
  const mutation = useMutation({
    mutationFn: () => updateProfile({ message_privacy: privacy, online_status_visibility: online }),
    onSuccess: () => notify(t("profile.saved")),
    onError: (error) => notify(problemMessage(t, error), { error: true }),
  });
  return (
    <Stack>
      <Radio.Group label={t("profile.whoMayMessage")} value={privacy} onChange={(value) => setPrivacy(value as Privacy)}>
        <Stack gap="xs" mt="xs">
          <Radio value="everyone" label={t("profile.privacyEveryone")} />
          <Radio value="friends" label={t("profile.privacyFriends")} />
          <Radio value="nobody" label={t("profile.privacyNobody")} />
        </Stack>
      </Radio.Group>
      <Radio.Group
        label={t("profile.whoSeesOnline")}
        description={t("profile.whoSeesOnlineHint")}
        value={online}
        onChange={(value) => setOnline(value as OnlineVisibility)}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="everyone" label={t("profile.onlineEveryone")} />
          <Radio value="friends" label={t("profile.privacyFriends")} />
          <Radio value="nobody" label={t("profile.privacyNobody")} />
        </Stack>
      </Radio.Group>
      <Button loading={mutation.isPending} onClick={() => mutation.mutate()} style={{ alignSelf: "flex-start" }}>
        {t("profile.save")}
      </Button>
    </Stack>
  );
}
