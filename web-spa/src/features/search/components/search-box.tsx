// The site's search box (in the header, and in the menu on a phone): it sends
// its words to the search page. Part of the first page, so kept to a form and a field.
import { Box, TextInput, type MantineBreakpoint } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

/** The search page for `query`, topics first; the bare page when there is nothing to seek. */
export function searchPath(query: string): string {
  return query ? `/search?${new URLSearchParams({ q: query, type: "topics" }).toString()}` : "/search";
}

export function SearchIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true">
      <circle cx="6.75" cy="6.75" r="5" />
      <path d="M10.5 10.5 15 15" strokeLinecap="round" />
    </svg>
  );
}

export function SearchBox({ visibleFrom, onSearched }: { visibleFrom?: MantineBreakpoint; onSearched?: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(searchPath(text.trim()));
    // The search page shows the words from now on, in its own field.
    setText("");
    onSearched?.();
  };
  return (
    <Box component="form" role="search" aria-label={t("search.siteLandmark")} onSubmit={submit} visibleFrom={visibleFrom}>
      <TextInput
        type="search"
        aria-label={t("search.siteField")}
        placeholder={t("search.sitePlaceholder")}
        leftSection={<SearchIcon />}
        value={text}
        // The server's limit; its module (and the API client) is not for the first page.
        maxLength={100}
        onChange={(event) => setText(event.currentTarget.value)}
        w={{ base: "100%", sm: 180, lg: 260 }}
      />
    </Box>
  );
}
