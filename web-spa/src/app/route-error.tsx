// Never a blank screen: a route that fails shows what happened and a retry.
import { Alert, Button, Group, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, isRouteErrorResponse, useRouteError } from "react-router";
import { PageHeading } from "@/components/ui/page-heading";

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  // Rendered as the catch-all route there is no error: that is a page not found.
  const notFound = error === undefined || (isRouteErrorResponse(error) && error.status === 404);
  return (
    <Stack maw={560} mx="auto" mt="xl" p="md">
      <PageHeading size="h2">{notFound ? t("errors.notFound") : t("errors.title")}</PageHeading>
      {notFound ? null : <Alert color="red">{t("errors.unexpected")}</Alert>}
      <Group>
        {notFound ? null : <Button onClick={() => window.location.reload()}>{t("errors.retry")}</Button>}
        <Button component={Link} to="/" variant="default">
          {t("errors.goHome")}
        </Button>
      </Group>
    </Stack>
  );
}
