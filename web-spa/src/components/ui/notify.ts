// Notifications with a labelled close button, in the reader's language.
import { notifications } from "@mantine/notifications";

import i18n from "@/lib/i18n";

export function notify(message: string, options: { error?: boolean } = {}): void {
  notifications.show({
    message,
    color: options.error ? "red" : undefined,
    closeButtonProps: { "aria-label": i18n.t("nav.close") },
  });
}
