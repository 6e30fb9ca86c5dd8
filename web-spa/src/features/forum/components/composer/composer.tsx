// The editor of posts: Markdown in a text area with a formatting toolbar, a
// preview as the server renders it, pictures uploaded by button, paste or
// drop (with their progress), and @mention suggestions from the directory.
import { Group, Paper, Tabs, Textarea } from "@mantine/core";
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from "react";
import { useTranslation } from "react-i18next";

import { Busy } from "@/components/ui/busy";
import { UploadList } from "@/components/ui/upload-list";
import { MAX_PICTURES, type Picture } from "@/features/forum/api/uploads-api";
import { ComposerToolbar } from "@/features/forum/components/composer/composer-toolbar";
import { formatSplice, insertionSplice, type Format, type Splice } from "@/features/forum/components/composer/markdown-edits";
import { useMentionSuggestions } from "@/features/forum/components/composer/mention-suggestions";
import { useFileDrop } from "@/lib/use-file-drop";
import { usePictureUploads } from "@/lib/use-picture-uploads";

const ComposerPreview = lazy(() => import("@/features/forum/components/composer/composer-preview"));

/** The server's limit on a post's Markdown. */
const MAX_BODY = 20000;

export interface ComposerHandle {
  /** Inserts text at the caret (or replaces the selection) and focuses the text area. */
  insert(text: string): void;
  focus(): void;
}

export interface ComposerProps {
  /** The accessible label of the text area. */
  label: string;
  value: string;
  onChange(value: string): void;
  /** Uploaded pictures' ids, in order (sent as `image_ids`); the composer adds to it on upload. */
  imageIds: string[];
  onImageIdsChange(ids: string[]): void;
  /** The server's field error for `body`. */
  error?: string | null;
  minRows?: number;
  autoFocus?: boolean;
  ref?: Ref<ComposerHandle>;
  /** The topic replied to: the preview's quotes of `post:N` then name their authors. */
  topicId?: string;
  /** Told whether pictures are still on their way, so a form can wait for them before sending. */
  onUploadingChange?(uploading: boolean): void;
}

type Tab = "write" | "preview";

export function Composer({
  label,
  value,
  onChange,
  imageIds,
  onImageIdsChange,
  error,
  minRows = 4,
  autoFocus,
  ref,
  topicId,
  onUploadingChange,
}: ComposerProps) {
  const { t } = useTranslation();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [tab, setTab] = useState<Tab>("write");
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  // Until the text area has had the focus, its caret means nothing: inserts go at the end.
  const caretPlaced = useRef(false);
  // Edits can follow each other before the parent renders again (a picture
  // arriving as a key is typed): each one builds on the last, not on props.
  const latest = useRef({ value, imageIds, onChange, onImageIdsChange, onUploadingChange });
  useLayoutEffect(() => {
    latest.current = { value, imageIds, onChange, onImageIdsChange, onUploadingChange };
  });
  const pendingSelection = useRef<{ start: number; end: number; focus: boolean } | null>(null);

  const setValue = useCallback((next: string) => {
    latest.current.value = next;
    latest.current.onChange(next);
  }, []);

  const restoreSelection = useCallback(() => {
    const element = textarea.current;
    const selection = pendingSelection.current;
    if (!element || !selection) return;
    pendingSelection.current = null;
    if (selection.focus) element.focus();
    // Not typing here: leave the caret alone rather than pull the focus.
    if (selection.focus || document.activeElement === element) element.setSelectionRange(selection.start, selection.end);
  }, []);

  useLayoutEffect(restoreSelection, [value, tab, restoreSelection]);

  /** Makes one edit; through the browser's own editing when focusing, so Ctrl+Z undoes it. */
  const apply = useCallback(
    (edit: Splice, focus: boolean) => {
      const element = textarea.current;
      const current = latest.current.value;
      const next = current.slice(0, edit.from) + edit.text + current.slice(edit.to);
      setCaret(edit.selectionEnd);
      if (focus && element && tab === "write" && element.value === current) {
        element.focus();
        element.setSelectionRange(edit.from, edit.to);
        if (document.execCommand?.("insertText", false, edit.text) && element.value === next) {
          element.setSelectionRange(edit.selectionStart, edit.selectionEnd);
          return;
        }
      }
      pendingSelection.current = { start: edit.selectionStart, end: edit.selectionEnd, focus };
      if (next === current) restoreSelection();
      else setValue(next);
    },
    [tab, setValue, restoreSelection],
  );

  const selection = useCallback(() => {
    const element = textarea.current;
    const current = latest.current.value;
    if (!element || !caretPlaced.current) return { value: current, start: current.length, end: current.length };
    return { value: current, start: element.selectionStart, end: element.selectionEnd };
  }, []);

  const format = (kind: Format) => apply(formatSplice(selection(), kind), true);

  const onUploaded = (picture: Picture) => {
    const ids = [...latest.current.imageIds, picture.id];
    latest.current.imageIds = ids;
    latest.current.onImageIdsChange(ids);
    const typingHere = document.activeElement === textarea.current;
    apply(insertionSplice(selection(), `![](${picture.url})\n`), typingHere);
  };
  const uploads = usePictureUploads({ room: () => MAX_PICTURES - latest.current.imageIds.length, onUploaded });
  useEffect(() => {
    latest.current.onUploadingChange?.(uploads.busy);
  }, [uploads.busy]);

  const mentions = useMentionSuggestions({
    value,
    caret,
    active: focused && tab === "write",
    onChoose: (edit) => apply(edit, true),
  });

  useImperativeHandle(
    ref,
    () => ({
      insert(text: string) {
        const edit = insertionSplice(selection(), text);
        if (tab === "write") {
          apply(edit, true);
          return;
        }
        // The text area shows again first; the edit and the focus land when it does.
        setTab("write");
        const current = latest.current.value;
        pendingSelection.current = { start: edit.selectionStart, end: edit.selectionEnd, focus: true };
        setValue(current.slice(0, edit.from) + edit.text + current.slice(edit.to));
      },
      focus() {
        const { start, end } = selection();
        pendingSelection.current = { start, end, focus: true };
        if (tab === "write") restoreSelection();
        else setTab("write");
      },
    }),
    [tab, apply, selection, setValue, restoreSelection],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    // Another keyboard layout (Russian) still has B and I where they are.
    const letter = /^[a-z]$/i.test(event.key) ? event.key.toLowerCase() : event.code.replace(/^Key/, "").toLowerCase();
    if (letter !== "b" && letter !== "i") return;
    event.preventDefault();
    format(letter === "b" ? "bold" : "italic");
  };

  const { dragging, onPaste, dropZone } = useFileDrop((files) => uploads.add(files));

  const layout = (input: ReactNode) => (
    <>
      <Group justify="space-between" gap="xs" mb={6}>
        <Tabs.List>
          <Tabs.Tab value="write">{t("composer.write")}</Tabs.Tab>
          <Tabs.Tab value="preview">{t("composer.preview")}</Tabs.Tab>
        </Tabs.List>
        {tab === "write" ? <ComposerToolbar onFormat={format} onPictures={uploads.add} /> : null}
      </Group>
      <Tabs.Panel value="write">
        <div {...dropZone} style={{ position: "relative" }}>
          {input}
          {mentions.list}
        </div>
      </Tabs.Panel>
      <Tabs.Panel value="preview">
        <Paper withBorder p="sm" mih={minRows * 26 + 18}>
          {tab === "preview" ? (
            <Suspense fallback={<Busy size="sm" />}>
              <ComposerPreview body={value} topicId={topicId} />
            </Suspense>
          ) : null}
        </Paper>
      </Tabs.Panel>
    </>
  );

  return (
    <Tabs value={tab} onChange={(next) => setTab(next === "preview" ? "preview" : "write")} variant="pills" keepMounted>
      <Textarea
        ref={textarea}
        label={label}
        description={t("composer.hint")}
        error={error || undefined}
        inputWrapperOrder={["label", "input", "description", "error"]}
        inputContainer={layout}
        autosize
        minRows={minRows}
        maxRows={20}
        maxLength={MAX_BODY}
        autoFocus={autoFocus}
        value={value}
        onChange={(event) => {
          setCaret(event.currentTarget.selectionStart);
          setValue(event.currentTarget.value);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onFocus={() => {
          caretPlaced.current = true;
          setFocused(true);
        }}
        onBlur={() => setFocused(false)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        {...mentions.textareaProps}
        styles={{
          input: dragging
            ? { borderStyle: "dashed", borderColor: "var(--mantine-primary-color-filled)", background: "var(--mantine-primary-color-light)" }
            : undefined,
        }}
      />
      <UploadList items={uploads.items} onDismiss={uploads.dismiss} tooMany={(name, count) => t("composer.tooMany", { name, count })} />
    </Tabs>
  );
}
