import { Alert, Paper, Stack } from "@mantine/core";
import type { ReactNode } from "react";
import { PageHeading } from "@/components/ui/page-heading";

/** A centred card with a title, for short forms such as sign-in. */
export function FormCard({ title, error, children }: { title: string; error?: string | null; children?: ReactNode }) {
  return (
    <Paper withBorder shadow="sm" p="lg" radius="md" maw={440} mx="auto" mt="xl">
      <Stack>
        <PageHeading size="h2">{title}</PageHeading>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        {children}
      </Stack>
    </Paper>
  );
}
