import { Button, Select, Stack, TextInput, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import { updateProfile } from "@/features/profile/api/profile-api";
import type { Me } from "@/lib/auth-session";
import { setLanguage, type Language } from "@/lib/i18n";

const FIELDS = ["display_name", "handle", "bio", "locale"];

export function ProfileForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ display_name: me.display_name, handle: me.handle, bio: me.bio, locale: me.locale });
  const mutation = useMutation({
    // Only what changed here: the language may have been switched in the header meanwhile.
    mutationFn: () => {
      const changes = Object.fromEntries(
        Object.entries(form).filter(([key, value]) => me[key as keyof typeof form] !== value),
      );
      return updateProfile(changes);
    },
    onSuccess: (saved) => {
      setLanguage(saved.locale as Language);
      notify(t("profile.saved"));
    },
    onError: (error) => {
      if (isFormWide(error, FIELDS)) notify(problemMessage(t, error), { error: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label={t("auth.displayName")}
          value={form.display_name}
          onChange={(e) => setForm({ ...form, display_name: e.currentTarget.value })}
          error={fieldError(mutation.error, "display_name")}
          maxLength={64}
        />
        <TextInput
          label={t("auth.handle")}
          description={t("auth.handleHint")}
          value={form.handle}
          onChange={(e) => setForm({ ...form, handle: e.currentTarget.value })}
          error={fieldError(mutation.error, "handle")}
        />
        <Textarea
          label={t("profile.bio")}
          description={t("profile.bioHint", { count: 500 - form.bio.length })}
          autosize
          minRows={3}
          maxLength={500}
          value={form.bio}
          onChange={(e) => setForm({ ...form, bio: e.currentTarget.value })}
          error={fieldError(mutation.error, "bio")}
        />
        <Select
          label={t("nav.language")}
          allowDeselect={false}
          value={form.locale}
          onChange={(value) => value && setForm({ ...form, locale: value as Language })}
          data={[
            { value: "en", label: "English" },
            { value: "ru", label: "Русский" },
          ]}
        />
        <Button type="submit" loading={mutation.isPending} style={{ alignSelf: "flex-start" }}>
          {t("profile.save")}
        </Button>
      </Stack>
    </form>
  );
}
