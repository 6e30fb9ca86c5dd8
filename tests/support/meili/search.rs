//! Searching one index as Meilisearch documents it, as far as NoxChat relies
//! on it: the request's parameters, matching (`matching.rs`), filters, the
//! ranking rules and `sort`, pages, and the hits' attributes.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::filter::{self, covers, lookup};
use super::matching::{Attribute, Ranks, Scale, Typos, rank, tokenize};
use super::store::{Index, strings};
use super::{Failure, failure};

const DEFAULT_LIMIT: usize = 20;

/// `POST /indexes/{uid}/search` on `index`: the response, or why the
/// request is invalid (a 400).
pub(super) fn search(index: &Index, request: &Map<String, Value>) -> Result<Value, Failure> {
    let settings = Value::Object(index.settings());
    let q = match request.get("q") {
        None | Some(Value::Null) => "",
        Some(Value::String(q)) => q.as_str(),
        Some(other) => {
            return Err(failure(
                "invalid_search_q",
                format!("Invalid value type at `.q`: expected a string, but found `{other}`."),
            ));
        }
    };
    let filter = filter::from_value(request.get("filter").unwrap_or(&Value::Null))
        .map_err(|message| failure("invalid_search_filter", message))?;
    let filterable = index.filterable();
    if let Some(filter) = &filter
        && let Some(attribute) = filter.unfilterable(&filterable)
    {
        return Err(failure(
            "invalid_search_filter",
            format!(
                "Attribute `{attribute}` is not filterable. Available filterable attribute patterns are: `{}`.",
                filterable.join(", ")
            ),
        ));
    }
    let rules = strings(&settings["rankingRules"]);
    let sort = sort_criteria(request, &settings, &rules)?;
    let all = match request.get("matchingStrategy") {
        None | Some(Value::Null) => false,
        Some(Value::String(strategy)) if strategy == "all" => true,
        Some(Value::String(strategy)) if strategy == "last" || strategy == "frequency" => false,
        Some(other) => {
            return Err(failure(
                "invalid_search_matching_strategy",
                format!(
                    "Unknown value `{other}` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`."
                ),
            ));
        }
    };

    let typos = Typos::new(&settings["typoTolerance"]);
    let mut searchable = strings(&settings["searchableAttributes"]);
    if searchable.iter().any(|name| name == "*") {
        searchable.clone_from(&index.fields);
    }
    let search_on = optional_strings(
        request,
        "attributesToSearchOn",
        "invalid_search_attributes_to_search_on",
    )?;
    if let Some(names) = &search_on
        && let Some(unknown) = names
            .iter()
            .find(|name| name.as_str() != "*" && !searchable.contains(name))
    {
        return Err(failure(
            "invalid_search_attributes_to_search_on",
            format!(
                "Attribute `{unknown}` is not searchable. Available searchable attributes are: `{}`.",
                searchable.join(", ")
            ),
        ));
    }
    let attributes: Vec<Attribute<'_>> = searchable
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            search_on
                .as_ref()
                .is_none_or(|on| on.iter().any(|wanted| wanted == "*" || wanted == *name))
        })
        .map(|(position, name)| Attribute {
            position,
            name,
            typos: !typos.attributes.contains(name),
        })
        .collect();

    let stop_words: Vec<String> = strings(&settings["stopWords"])
        .iter()
        .map(|word| word.to_lowercase())
        .collect();
    // Words in double quotes form a phrase: matched as they are, without
    // typos or a prefix (NoxChat sends one-word phrases only).
    let (words, phrased): (Vec<String>, Vec<bool>) = q
        .split('"')
        .enumerate()
        .flat_map(|(part, text)| {
            tokenize(text)
                .into_iter()
                .map(move |word| (word, part % 2 == 1))
        })
        .filter(|(word, _)| !stop_words.contains(word))
        .unzip();
    let budgets: Vec<usize> = words
        .iter()
        .zip(&phrased)
        .map(|(word, &phrase)| if phrase { 0 } else { typos.allowed(word) })
        .collect();
    let prefix_last = !phrased.last().copied().unwrap_or(false);
    let scale = Scale {
        words: words.len(),
        typos: budgets.iter().sum(),
        attributes: searchable.len().max(1),
    };

    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for (seq, document) in index.documents() {
        if filter
            .as_ref()
            .is_some_and(|filter| !filter.matches(document))
        {
            continue;
        }
        let Some(ranks) = rank(document, &words, &budgets, &attributes, all, prefix_last) else {
            continue;
        };
        candidates.push(Candidate {
            seq,
            document,
            score: scale.score(&rules, &ranks),
            ranks,
        });
    }
    candidates.sort_by(|a, b| compare(&rules, &sort, a, b));
    if let Some(threshold) = request.get("rankingScoreThreshold").and_then(Value::as_f64) {
        candidates.retain(|candidate| candidate.score >= threshold);
    }

    let number = |name: &str, code: &str| optional_number(request, name, code);
    let page = number("page", "invalid_search_page")?;
    let hits_per_page = number("hitsPerPage", "invalid_search_hits_per_page")?;
    let paged = page.is_some() || hits_per_page.is_some();
    let (skip, take) = if paged {
        let per_page = hits_per_page.unwrap_or(DEFAULT_LIMIT);
        match page.unwrap_or(1) {
            0 => (0, 0),
            page => ((page - 1).saturating_mul(per_page), per_page),
        }
    } else {
        (
            number("offset", "invalid_search_offset")?.unwrap_or(0),
            number("limit", "invalid_search_limit")?.unwrap_or(DEFAULT_LIMIT),
        )
    };
    let max_total_hits = settings["pagination"]["maxTotalHits"]
        .as_u64()
        .and_then(|max| usize::try_from(max).ok())
        .unwrap_or(1000);
    let total = candidates.len();
    let displayed = strings(&settings["displayedAttributes"]);
    let retrieve = optional_strings(
        request,
        "attributesToRetrieve",
        "invalid_search_attributes_to_retrieve",
    )?;
    let show_score = request.get("showRankingScore").and_then(Value::as_bool) == Some(true);
    let hits: Vec<Value> = candidates
        .iter()
        .take(max_total_hits)
        .skip(skip)
        .take(take)
        .map(|candidate| {
            let mut fields = Map::new();
            if let Value::Object(document) = candidate.document {
                for (name, value) in document {
                    if listed(&displayed, name)
                        && retrieve.as_ref().is_none_or(|wanted| listed(wanted, name))
                    {
                        fields.insert(name.clone(), value.clone());
                    }
                }
            }
            if show_score {
                fields.insert("_rankingScore".to_owned(), json!(candidate.score));
            }
            Value::Object(fields)
        })
        .collect();

    let mut response = json!({"hits": hits, "query": q, "processingTimeMs": 0});
    let extra = if paged {
        let per_page = hits_per_page.unwrap_or(DEFAULT_LIMIT);
        json!({
            "page": page.unwrap_or(1),
            "hitsPerPage": per_page,
            "totalHits": total,
            "totalPages": if per_page == 0 { 0 } else { total.div_ceil(per_page) },
        })
    } else {
        json!({"offset": skip, "limit": take, "estimatedTotalHits": total})
    };
    if let (Value::Object(response), Value::Object(extra)) = (&mut response, extra) {
        response.extend(extra);
    }
    Ok(response)
}

struct Candidate<'a> {
    seq: u64,
    document: &'a Value,
    ranks: Ranks,
    score: f64,
}

fn compare(
    rules: &[String],
    sort: &[(String, bool)],
    a: &Candidate<'_>,
    b: &Candidate<'_>,
) -> Ordering {
    for rule in rules {
        let ordering = match rule.as_str() {
            "words" => b.ranks.words.cmp(&a.ranks.words),
            "typo" => a.ranks.typos.cmp(&b.ranks.typos),
            "attribute" | "attributeRank" => a.ranks.attribute.cmp(&b.ranks.attribute),
            "exactness" => b.ranks.exact.cmp(&a.ranks.exact),
            "sort" => sort
                .iter()
                .map(|(attribute, descending)| {
                    by_field(a.document, b.document, attribute, *descending)
                })
                .find(|ordering| ordering.is_ne())
                .unwrap_or(Ordering::Equal),
            custom => match custom.rsplit_once(':') {
                Some((attribute, "asc")) => by_field(a.document, b.document, attribute, false),
                Some((attribute, "desc")) => by_field(a.document, b.document, attribute, true),
                _ => Ordering::Equal,
            },
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
    a.seq.cmp(&b.seq)
}

/// Documents ordered by a field: numbers before strings, and the ones
/// without it last whatever the direction.
fn by_field(a: &Value, b: &Value, attribute: &str, descending: bool) -> Ordering {
    match (sort_key(a, attribute), sort_key(b, attribute)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let ordering = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        }
    }
}

#[derive(PartialEq, PartialOrd)]
enum SortKey<'a> {
    Number(f64),
    Text(&'a str),
}

fn sort_key<'a>(document: &'a Value, attribute: &str) -> Option<SortKey<'a>> {
    match lookup(document, attribute)? {
        Value::Number(number) => number.as_f64().map(SortKey::Number),
        Value::String(text) => Some(SortKey::Text(text)),
        Value::Bool(flag) => Some(SortKey::Text(if *flag { "true" } else { "false" })),
        _ => None,
    }
}

fn sort_criteria(
    request: &Map<String, Value>,
    settings: &Value,
    rules: &[String],
) -> Result<Vec<(String, bool)>, Failure> {
    let Some(items) = optional_strings(request, "sort", "invalid_search_sort")? else {
        return Ok(Vec::new());
    };
    let sortable = strings(&settings["sortableAttributes"]);
    let mut criteria = Vec::new();
    for item in items {
        let parsed = item
            .rsplit_once(':')
            .and_then(|(attribute, order)| match order {
                "asc" => Some((attribute, false)),
                "desc" => Some((attribute, true)),
                _ => None,
            });
        let Some((attribute, descending)) = parsed else {
            return Err(failure(
                "invalid_search_sort",
                format!(
                    "Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `{item}`."
                ),
            ));
        };
        if !sortable.iter().any(|pattern| covers(pattern, attribute)) {
            return Err(failure(
                "invalid_search_sort",
                format!(
                    "Attribute `{attribute}` is not sortable. Available sortable attributes are: `{}`.",
                    sortable.join(", ")
                ),
            ));
        }
        criteria.push((attribute.to_owned(), descending));
    }
    if !criteria.is_empty() && !rules.iter().any(|rule| rule == "sort") {
        return Err(failure(
            "invalid_search_sort",
            "You must specify the `sort` ranking rule in the ranking rules settings to use the sort parameter at search time.",
        ));
    }
    Ok(criteria)
}

fn optional_strings(
    request: &Map<String, Value>,
    name: &str,
    code: &str,
) -> Result<Option<Vec<String>>, Failure> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Array(items)) if items.iter().all(Value::is_string) => {
            Ok(Some(strings(value)))
        }
        Some(other) => Err(failure(
            code,
            format!(
                "Invalid value type at `.{name}`: expected an array of strings, but found `{other}`."
            ),
        )),
    }
}

fn optional_number(
    request: &Map<String, Value>,
    name: &str,
    code: &str,
) -> Result<Option<usize>, Failure> {
    match request.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .and_then(|number| usize::try_from(number).ok())
            .map(Some)
            .ok_or_else(|| {
                failure(
                    code,
                    format!("Invalid value type at `.{name}`: expected a positive integer, but found `{value}`."),
                )
            }),
    }
}

fn listed(list: &[String], name: &str) -> bool {
    list.iter().any(|item| item == "*" || item == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(documents: &Value, settings: &Value) -> Index {
        let mut index = Index::new(Some("id".to_owned()));
        let Value::Array(documents) = documents.clone() else {
            panic!("documents")
        };
        index.add(documents, &[], None, true).expect("documents");
        let Value::Object(settings) = settings.clone() else {
            panic!("settings")
        };
        index.patch_settings(&settings);
        index
    }

    fn ids(index: &Index, request: &Value) -> Vec<i64> {
        let Value::Object(request) = request.clone() else {
            panic!("request")
        };
        let response = search(index, &request).unwrap_or_else(|error| panic!("{}", error.message));
        response["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| hit["id"].as_i64().expect("id"))
            .collect()
    }

    #[test]
    fn ranking_follows_typos_then_attribute_then_exactness() {
        let index = index(
            &json!([
                {"id": 1, "title": "other", "body": "hello world", "hidden": false},
                {"id": 2, "title": "Hello there", "body": "", "hidden": false},
                {"id": 3, "title": "hellos", "body": "", "hidden": true},
                {"id": 4, "title": "hallo", "body": "", "hidden": false},
                {"id": 5, "title": "unrelated", "body": "nothing", "hidden": false},
            ]),
            &json!({
                "searchableAttributes": ["title", "body"],
                "filterableAttributes": ["hidden"],
            }),
        );
        // "hello": exact in title (2), prefix in title (3), typo in title
        // (4) last, exact in body (1) after the title matches without typos.
        assert_eq!(ids(&index, &json!({"q": "hello"})), [2, 3, 1, 4]);
        assert_eq!(
            ids(&index, &json!({"q": "hello", "filter": "hidden = false"})),
            [2, 1, 4]
        );
        assert_eq!(
            ids(&index, &json!({"q": "hello", "offset": 1, "limit": 2})),
            [3, 1]
        );
        // Placeholder: every document, in insertion order.
        assert_eq!(ids(&index, &json!({"q": " "})), [1, 2, 3, 4, 5]);
        // Every word must match under "all"; the first ones under "last".
        assert_eq!(
            ids(
                &index,
                &json!({"q": "hello world", "matchingStrategy": "all"})
            ),
            [1]
        );
        assert_eq!(
            ids(
                &index,
                &json!({"q": "hello world", "matchingStrategy": "last"})
            ),
            [1, 2, 3, 4]
        );
        let Value::Object(request) = json!({"q": "hello", "showRankingScore": true}) else {
            panic!("request")
        };
        let response = search(&index, &request).expect("search");
        let scores: Vec<f64> = response["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| hit["_rankingScore"].as_f64().expect("score"))
            .collect();
        assert!((scores[0] - 1.0).abs() < f64::EPSILON, "{scores:?}");
        assert!(
            scores.windows(2).all(|pair| pair[0] > pair[1]),
            "{scores:?}"
        );
        assert!(scores.iter().all(|score| *score > 0.0));
        assert_eq!(response["estimatedTotalHits"], 4);

        let Value::Object(bad) = json!({"q": "x", "filter": "title = x"}) else {
            panic!("request")
        };
        assert_eq!(
            search(&index, &bad).err().map(|error| error.code),
            Some("invalid_search_filter".to_owned())
        );
    }

    #[test]
    fn stop_words_typo_settings_and_sort() {
        let index = index(
            &json!([
                {"id": 1, "name": "the quick fox", "n": 2},
                {"id": 2, "name": "quick", "n": 1},
                {"id": 3, "name": "quikc", "n": 3},
            ]),
            &json!({
                "stopWords": ["the"],
                "sortableAttributes": ["n"],
                "typoTolerance": {"minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 255}},
            }),
        );
        assert_eq!(
            ids(
                &index,
                &json!({"q": "the quick", "matchingStrategy": "all"})
            ),
            [1, 2, 3]
        );
        assert_eq!(
            ids(&index, &json!({"q": "quick", "sort": ["n:desc"]})),
            [1, 2, 3]
        );
        assert_eq!(
            ids(&index, &json!({"q": "", "sort": ["n:desc"]})),
            [3, 1, 2]
        );
        let strict = self::index(
            &json!([{"id": 1, "name": "quikc"}]),
            &json!({"typoTolerance": {"enabled": false}}),
        );
        assert!(ids(&strict, &json!({"q": "quick"})).is_empty());
    }
}
