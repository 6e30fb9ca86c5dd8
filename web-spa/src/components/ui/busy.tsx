// A loading indicator that screen readers announce.
import { Loader, type LoaderProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function Busy(props: LoaderProps) {
  const { t } = useTranslation();
  return <Loader role="status" aria-label={t("nav.loading")} {...props} />;
}
