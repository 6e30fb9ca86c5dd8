// @mention suggestions: while the word at the caret is `@` and some letters,
// people from the directory whose name or handle matches, in a list under
// the text area. The text area keeps the focus and points at the highlighted
// person (aria-activedescendant); arrows move, Enter or Tab choose, Escape closes.
import { Avatar, Group, Paper, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import { findMentionCandidates, type MentionCandidate } from "@/features/forum/api/uploads-api";
import { mentionAt, type Splice } from "@/features/forum/components/composer/markdown-edits";

const TYPING_PAUSE_MS = 250;

export function useMentionSuggestions({
  value,
  caret,
  active,
  onChoose,
}: {
  value: string;
  caret: number;
  /** Whether the text area has the focus. */
  active: boolean;
  onChoose(splice: Splice): void;
}) {
  const listId = useId();
  const mention = active ? mentionAt(value, caret) : null;
  // Escape closes the list for this one `@`, until another is typed.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const text = mention && mention.from !== dismissedAt ? mention.text : "";
  const [debounced] = useDebouncedValue(text, TYPING_PAUSE_MS);
  const people = useQuery({
    queryKey: ["forum", "mention-candidates", debounced],
    queryFn: () => findMentionCandidates(debounced),
    enabled: debounced !== "",
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
  const options = text && debounced ? (people.data ?? []) : [];
  const [highlight, setHighlight] = useState({ text: "", index: 0 });
  const index = highlight.text === text ? Math.min(highlight.index, options.length - 1) : 0;
  const open = options.length > 0;

  const choose = (person: MentionCandidate) => {
    if (!mention) return;
    const inserted = `@${person.handle} `;
    const caretAfter = mention.from + inserted.length;
    onChoose({ from: mention.from, to: mention.to, text: inserted, selectionStart: caretAfter, selectionEnd: caretAfter });
  };

  /** Handles the keys the list takes; true when it took this one. */
  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (!open || !mention) return false;
    const move = (step: number) => setHighlight({ text, index: (index + step + options.length) % options.length });
    switch (event.key) {
      case "ArrowDown":
        move(1);
        break;
      case "ArrowUp":
        move(-1);
        break;
      case "Enter":
      case "Tab": {
        const person = options[index];
        if (person) choose(person);
        break;
      }
      case "Escape":
        // Inside a dialog, Escape closes this list, not the dialog.
        event.stopPropagation();
        setDismissedAt(mention.from);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  };

  const optionId = (at: number) => `${listId}-${at}`;
  const textareaProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open ? optionId(index) : undefined,
  };
  const list = open ? <MentionList id={listId} options={options} index={index} optionId={optionId} onChoose={choose} /> : null;
  return { onKeyDown, textareaProps, list };
}

function MentionList({
  id,
  options,
  index,
  optionId,
  onChoose,
}: {
  id: string;
  options: MentionCandidate[];
  index: number;
  optionId(at: number): string;
  onChoose(person: MentionCandidate): void;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      component="ul"
      role="listbox"
      id={id}
      aria-label={t("composer.mentionList")}
      withBorder
      shadow="md"
      p={4}
      style={{ position: "absolute", insetInline: 0, top: "100%", zIndex: 20, margin: 0, listStyle: "none" }}
    >
      {options.map((person, at) => (
        <li
          key={person.id}
          id={optionId(at)}
          role="option"
          aria-selected={at === index}
          // The text area keeps the focus (and its caret) while a person is clicked.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(person)}
          style={{
            cursor: "pointer",
            padding: "4px 8px",
            borderRadius: "var(--mantine-radius-sm)",
            background: at === index ? "var(--mantine-color-default-hover)" : undefined,
          }}
        >
          <Group gap="xs" wrap="nowrap">
            <Avatar src={person.avatar.small} alt="" size="sm" radius="xl" />
            <Text size="sm" fw={500} truncate="end" style={{ minWidth: 0 }}>
              {person.display_name}
            </Text>
            <Text size="sm" c="dimmed" truncate="end" style={{ minWidth: 0 }}>
              @{person.handle}
            </Text>
          </Group>
        </li>
      ))}
    </Paper>
  );
}
