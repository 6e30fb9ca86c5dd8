// Jumping to any post of a topic by its number: the page reads the posts
// around it, however far it is.
import { Button, Group, NumberInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

export function JumpToPost({ last, onJump }: { last: number; onJump(number: number): void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string | number>("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const number = Number(value);
    if (value === "" || !Number.isInteger(number)) return;
    onJump(Math.min(Math.max(number, 1), last));
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t("topic.jumpForm")}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <NumberInput
          size="xs"
          w={150}
          label={t("topic.jumpLabel", { last })}
          placeholder={`1–${last}`}
          min={1}
          max={last}
          clampBehavior="blur"
          allowDecimal={false}
          allowNegative={false}
          hideControls
          value={value}
          onChange={setValue}
        />
        <Button type="submit" size="xs" variant="default">
          {t("topic.go")}
        </Button>
      </Group>
    </form>
  );
}
