// "Mark all read", for the dropdown and the page. With nothing unread it
// looks disabled but keeps the keyboard focus it has: a disabled button
// would drop the focus to the page (and out of the dropdown).
import { Button, type ButtonProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useMarkAllRead } from "@/features/notifications/hooks/use-inbox";

export function MarkAllReadButton({ unread, ...props }: ButtonProps & { unread: number }) {
  const { t } = useTranslation();
  const markAll = useMarkAllRead();
  const nothingUnread = unread === 0;
  return (
    <Button
      {...props}
      data-disabled={nothingUnread || undefined}
      aria-disabled={nothingUnread || undefined}
      onClick={() => {
        if (!nothingUnread) markAll.mutate();
      }}
    >
      {t("notifications.markAllRead")}
    </Button>
  );
}
