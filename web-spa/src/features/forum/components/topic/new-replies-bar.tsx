// Posts added while the reader reads: a button at the bottom of the screen
// says how many, and shows them when asked. It is announced politely and
// never moves the page by itself.
import { Button, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { problemMessage } from "@/components/ui/problem-text";

export function NewRepliesBar({ count, loading, error, onShow }: { count: number; loading: boolean; error: Error | null; onShow(): void }) {
  const { t } = useTranslation();
  return (
    <div role="status" style={{ position: "sticky", bottom: "var(--mantine-spacing-md)", zIndex: 2, textAlign: "center" }}>
      {count > 0 ? (
        <Button radius="xl" loading={loading} onClick={onShow} style={{ boxShadow: "var(--mantine-shadow-md)" }}>
          {t("topic.newReplies", { count })}
        </Button>
      ) : null}
      {error ? (
        <Text c="red" size="sm">
          {problemMessage(t, error)}
        </Text>
      ) : null}
    </div>
  );
}
