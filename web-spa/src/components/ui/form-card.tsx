import { Alert, Paper, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** A centred card with a title, for short forms such as sign-in. */
export function FormCard({ title, error, children }: { title: string; error?: string | null; children?: ReactNode }) {
  return (
    <Paper withBorder shadow="sm" p="lg" radius="md" maw={440} mx="auto" mt="xl">
      <Stack>
        <Title order={1} size="h2">
          {title}
        </Title>
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
