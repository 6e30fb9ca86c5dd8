// A category's name, address (slug) and description: adding one (after the
// others) and changing one (admins).
import { Button, Group, Modal, Paper, Stack, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { notify } from "@/components/ui/notify";
import { fieldError, isFormWide, problemMessage } from "@/components/ui/problem-text";
import {
  createCategory,
  FORUM_CACHE,
  moderationKeys,
  updateCategory,
  type Category,
  type CategoryFields,
} from "@/features/moderation/api/moderation-api";
import { ApiProblem } from "@/lib/problem";

const FIELDS = ["name", "slug", "description"];
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function CategoryFieldsForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: CategoryFields;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit(fields: CategoryFields): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [fields, setFields] = useState(initial);
  const [checked, setChecked] = useState(false);
  const set = (key: keyof CategoryFields) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setFields((old) => ({ ...old, [key]: value }));
  };
  const nameMissing = checked && !fields.name.trim();
  const slugWrong = checked && !SLUG.test(fields.slug.trim());
  // A taken address comes back as a problem of the whole request; it belongs under the slug.
  const slugTaken = error instanceof ApiProblem && error.code === "slug_taken" ? problemMessage(t, error) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (fields.name.trim() && SLUG.test(fields.slug.trim())) onSubmit(fields);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t("moderation.categories.name")}
          value={fields.name}
          maxLength={64}
          onChange={set("name")}
          error={nameMissing ? t("moderation.categories.nameMissing") : fieldError(error, "name")}
          required
          data-autofocus
        />
        <TextInput
          label={t("moderation.categories.slug")}
          description={t("moderation.categories.slugHint")}
          value={fields.slug}
          maxLength={50}
          autoComplete="off"
          spellCheck={false}
          onChange={set("slug")}
          error={slugWrong ? t("moderation.categories.slugWrong") : (slugTaken ?? fieldError(error, "slug"))}
          required
        />
        <Textarea
          label={t("moderation.categories.description")}
          autosize
          minRows={2}
          maxLength={500}
          value={fields.description}
          onChange={set("description")}
          error={fieldError(error, "description")}
        />
        <Group gap="xs">
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          <Button variant="default" onClick={onCancel} disabled={pending}>
            {t("moderation.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** After a change the forum's own lists are out of date too. */
function useRefreshCategories() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: moderationKeys.categories() });
    void queryClient.invalidateQueries({ queryKey: FORUM_CACHE });
  };
}

function reportUnlessField(t: Parameters<typeof problemMessage>[0], error: unknown) {
  const slugTaken = error instanceof ApiProblem && error.code === "slug_taken";
  if (!slugTaken && isFormWide(error, FIELDS)) notify(problemMessage(t, error), { error: true });
}

export function NewCategory() {
  const { t } = useTranslation();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const refresh = useRefreshCategories();
  const create = useMutation({
    mutationFn: createCategory,
    onSuccess: (category) => {
      notify(t("moderation.categories.created", { name: category.name }));
      setOpen(false);
      refresh();
    },
    onError: (error) => reportUnlessField(t, error),
  });
  if (!open) {
    return (
      <Button onClick={() => setOpen(true)} style={{ alignSelf: "flex-start" }}>
        {t("moderation.categories.add")}
      </Button>
    );
  }
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={3} size="h4" id={titleId}>
          {t("moderation.categories.add")}
        </Title>
        <CategoryFieldsForm
          initial={{ name: "", slug: "", description: "" }}
          submitLabel={t("moderation.categories.create")}
          pending={create.isPending}
          error={create.error}
          onSubmit={(fields) => create.mutate(fields)}
          onCancel={() => {
            setOpen(false);
            create.reset();
          }}
        />
      </Stack>
    </Paper>
  );
}

export function EditCategory({ category, opened, onClose }: { category: Category; opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const refresh = useRefreshCategories();
  const update = useMutation({
    mutationFn: (fields: CategoryFields) => updateCategory(category, fields),
    onSuccess: (changed) => {
      notify(t("moderation.categories.saved", { name: changed.name }));
      onClose();
      refresh();
    },
    onError: (error) => reportUnlessField(t, error),
  });
  const close = () => {
    onClose();
    update.reset();
  };
  return (
    <Modal opened={opened} onClose={close} title={t("moderation.categories.editTitle", { name: category.name })} closeButtonProps={{ "aria-label": t("nav.close") }}>
      <CategoryFieldsForm
        initial={{ name: category.name, slug: category.slug, description: category.description }}
        submitLabel={t("moderation.categories.save")}
        pending={update.isPending}
        error={update.error}
        onSubmit={(fields) => update.mutate(fields)}
        onCancel={close}
      />
    </Modal>
  );
}
