// The forum's categories (admins): in their order, moved up and down, added,
// changed, and deleted once empty.
import { ActionIcon, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { notify } from "@/components/ui/notify";
import { problemMessage } from "@/components/ui/problem-text";
import {
  deleteCategory,
  FORUM_CACHE,
  listCategories,
  moderationKeys,
  reorderCategories,
  type Category,
} from "@/features/moderation/api/moderation-api";
import { ActionModal } from "@/features/moderation/components/action-modal";
import { EditCategory, NewCategory } from "@/features/moderation/components/category-form";
import { StaffOnly } from "@/features/moderation/components/staff-only";

export function CategoriesPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2} size="h3">
        {t("moderation.categories.title")}
      </Title>
      <StaffOnly need="admin">
        <NewCategory />
        <CategoryList />
      </StaffOnly>
    </Stack>
  );
}

/** The list with one category moved a place up (-1) or down (+1). */
function moved(list: Category[], index: number, step: -1 | 1): Category[] {
  const next = [...list];
  const [category] = next.splice(index, 1);
  if (!category) return list;
  next.splice(index + step, 0, category);
  return next;
}

function CategoryList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const categories = useQuery({ queryKey: moderationKeys.categories(), queryFn: listCategories });
  const reorder = useMutation({
    mutationFn: (order: Category[]) => reorderCategories(order.map((category) => category.slug)),
    // Shown moved at once; put back if the server refuses.
    onMutate: async (order) => {
      await queryClient.cancelQueries({ queryKey: moderationKeys.categories() });
      const before = queryClient.getQueryData<Category[]>(moderationKeys.categories());
      queryClient.setQueryData(moderationKeys.categories(), order);
      return { before };
    },
    onError: (error, _, context) => {
      if (context?.before) queryClient.setQueryData(moderationKeys.categories(), context.before);
      notify(problemMessage(t, error), { error: true });
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: moderationKeys.categories() });
      void queryClient.invalidateQueries({ queryKey: FORUM_CACHE });
    },
  });
  if (categories.isPending) return <Busy mx="auto" />;
  if (categories.isError) return <Text c="red">{problemMessage(t, categories.error)}</Text>;
  const list = categories.data;
  if (list.length === 0) return <Text c="dimmed">{t("moderation.categories.none")}</Text>;
  return (
    <Stack gap="xs" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label={t("moderation.categories.list")}>
      {list.map((category, index) => (
        <li key={category.id}>
          <CategoryRow
            category={category}
            first={index === 0}
            last={index === list.length - 1}
            busy={reorder.isPending}
            onMove={(step) => reorder.mutate(moved(list, index, step))}
          />
        </li>
      ))}
    </Stack>
  );
}

function CategoryRow({
  category,
  first,
  last,
  busy,
  onMove,
}: {
  category: Category;
  first: boolean;
  last: boolean;
  busy: boolean;
  onMove(step: -1 | 1): void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const empty = category.topic_count === 0;
  const remove = useMutation({
    mutationFn: () => deleteCategory(category.slug),
    onSuccess: () => {
      setDeleting(false);
      notify(t("moderation.categories.deleted", { name: category.name }));
      void queryClient.invalidateQueries({ queryKey: moderationKeys.categories() });
      void queryClient.invalidateQueries({ queryKey: FORUM_CACHE });
    },
  });
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={2} style={{ minWidth: 0, flex: "1 1 14rem" }}>
          <Text fw={600} className="break-anywhere">
            {category.name}
          </Text>
          <Text size="sm" c="dimmed" className="break-anywhere">
            /forum/c/{category.slug} · {t("moderation.categories.topicCount", { count: category.topic_count })}
          </Text>
          {category.description ? (
            <Text size="sm" className="break-anywhere">
              {category.description}
            </Text>
          ) : null}
        </Stack>
        <Group gap={6} wrap="wrap">
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={t("moderation.categories.moveUp", { name: category.name })}
            disabled={first || busy}
            onClick={() => onMove(-1)}
          >
            <span aria-hidden="true">↑</span>
          </ActionIcon>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={t("moderation.categories.moveDown", { name: category.name })}
            disabled={last || busy}
            onClick={() => onMove(1)}
          >
            <span aria-hidden="true">↓</span>
          </ActionIcon>
          <Button size="xs" variant="default" onClick={() => setEditing(true)} aria-label={t("moderation.categories.editFor", { name: category.name })}>
            {t("moderation.categories.edit")}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => setDeleting(true)}
            aria-label={t("moderation.categories.deleteFor", { name: category.name })}
          >
            {t("moderation.categories.delete")}
          </Button>
        </Group>
      </Group>
      <EditCategory category={category} opened={editing} onClose={() => setEditing(false)} />
      <ActionModal
        opened={deleting}
        onClose={() => {
          setDeleting(false);
          remove.reset();
        }}
        title={t("moderation.categories.deleteTitle", { name: category.name })}
        confirmLabel={t("moderation.categories.delete")}
        danger
        withReason={false}
        confirmDisabled={!empty}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
      >
        <Text size="sm">{empty ? t("moderation.categories.deleteExplained") : t("moderation.categories.notEmpty", { count: category.topic_count })}</Text>
      </ActionModal>
    </Paper>
  );
}
