// The search page. What is sought lives in the URL (`/search?q=…&type=topics&category=<id>`),
// so a search can be linked to, reloaded and gone back to.
import { Anchor, Button, Group, NativeSelect, Stack, Tabs, TextInput } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearchParams } from "react-router";

import { Busy } from "@/components/ui/busy";
import { PageHeading } from "@/components/ui/page-heading";
import {
  ALL_KINDS,
  MAX_QUERY_LENGTH,
  PUBLIC_KINDS,
  listCategories,
  searchKeys,
  takesCategory,
  type SearchKind,
} from "@/features/search/api/search-api";
import { SearchResults } from "@/features/search/components/search-results";
import { useViewer } from "@/lib/session";

/** Every category, to narrow topics and posts to one; without them, "all" is still there. */
function CategorySelect({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const categories = useQuery({ queryKey: searchKeys.categories(), queryFn: listCategories });
  const data = [
    { value: "", label: t("search.allCategories") },
    ...(categories.data ?? []).map((category) => ({ value: category.id, label: category.name })),
  ];
  return (
    <NativeSelect
      label={t("search.category")}
      data={data}
      value={value ?? ""}
      onChange={(event) => onChange(event.currentTarget.value || null)}
      style={{ flex: "1 1 12rem" }}
    />
  );
}

interface FormProps {
  query: string;
  kind: SearchKind;
  category: string | null;
  onSearch: (query: string) => void;
  onCategory: (id: string | null) => void;
}

/** The words (sent on submit) and the category (applied at once). */
function SearchForm({ query, kind, category, onSearch, onCategory }: FormProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(query);
  // A new query in the URL (the header's box, going back) refills the field.
  useEffect(() => setText(query), [query]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form role="search" aria-label={t("search.pageLandmark")} onSubmit={submit}>
      <Group align="flex-end" gap="xs">
        <TextInput
          type="search"
          label={t("search.field")}
          placeholder={t("search.placeholder")}
          value={text}
          maxLength={MAX_QUERY_LENGTH}
          onChange={(event) => setText(event.currentTarget.value)}
          style={{ flex: "1 1 14rem" }}
        />
        {takesCategory(kind) ? <CategorySelect value={category} onChange={onCategory} /> : null}
        <Button type="submit">{t("search.submit")}</Button>
      </Group>
    </form>
  );
}

export function SearchPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
  const category = params.get("category") || null;
  const asked = params.get("type");
  const signedIn = viewer !== null && viewer !== "anonymous";
  const kinds = signedIn ? ALL_KINDS : PUBLIC_KINDS;
  // Signed out, people and messages are not offered: topics instead.
  const kind = kinds.find((known) => known === asked) ?? "topics";
  const askedPrivate = viewer === "anonymous" && (asked === "people" || asked === "messages");

  /** A new search is a new history entry; another tab or category replaces the current one. */
  const change = (changes: Record<string, string | null>, replace: boolean) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next, { replace });
  };

  return (
    <Stack maw={800} mx="auto">
      <PageHeading size="h2">{t("search.title")}</PageHeading>
      <SearchForm
        query={q}
        kind={kind}
        category={category}
        onSearch={(query) => change({ q: query || null, type: kind }, false)}
        onCategory={(id) => change({ category: id }, true)}
      />
      {askedPrivate ? (
        <Anchor component={Link} to="/login" state={{ from: location.pathname + location.search }} size="sm">
          {t("search.signInForPrivate")}
        </Anchor>
      ) : null}
      {viewer === null ? (
        <Busy mx="auto" />
      ) : (
        <Tabs value={kind} onChange={(value) => change({ type: value }, true)} keepMounted={false}>
          <Tabs.List aria-label={t("search.kinds")}>
            {kinds.map((each) => (
              <Tabs.Tab key={each} value={each} className="search-tab">
                {t(`search.kind.${each}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {kinds.map((each) => (
            <Tabs.Panel key={each} value={each} pt="md">
              <SearchResults viewer={viewer} request={{ q, kind: each, category }} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
