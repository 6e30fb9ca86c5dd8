//! What the fake keeps of an index: its documents in insertion order (a
//! replaced document keeps its place, as Meilisearch's internal ids do),
//! the fields in the order first seen (what `searchableAttributes: ["*"]`
//! searches), and its settings.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};

use super::{Failure, failure, now};

pub(super) struct Index {
    pub(super) primary_key: Option<String>,
    created_at: String,
    updated_at: String,
    /// The settings set explicitly; the others are Meilisearch's defaults.
    settings: Map<String, Value>,
    /// Every top-level field of the documents, in the order first seen.
    pub(super) fields: Vec<String>,
    documents: BTreeMap<u64, Value>,
    ids: HashMap<String, u64>,
    next: u64,
}

impl Index {
    pub(super) fn new(primary_key: Option<String>) -> Self {
        let now = now();
        Self {
            primary_key,
            created_at: now.clone(),
            updated_at: now,
            settings: Map::new(),
            fields: Vec::new(),
            documents: BTreeMap::new(),
            ids: HashMap::new(),
            next: 0,
        }
    }

    pub(super) fn info(&self, uid: &str) -> Value {
        json!({
            "uid": uid,
            "primaryKey": self.primary_key,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        })
    }

    pub(super) fn count(&self) -> usize {
        self.documents.len()
    }

    /// The documents with their internal ids, in insertion order.
    pub(super) fn documents(&self) -> impl Iterator<Item = (u64, &Value)> {
        self.documents
            .iter()
            .map(|(seq, document)| (*seq, document))
    }

    pub(super) fn get(&self, id: &str) -> Option<&Value> {
        self.documents.get(self.ids.get(id)?)
    }

    /// The documents sorted by id: integers first, numerically, then strings.
    pub(super) fn sorted_documents(&self) -> Vec<Value> {
        let mut entries: Vec<(&String, &u64)> = self.ids.iter().collect();
        entries.sort_by_key(|&(id, _)| {
            let number = id.parse::<i128>();
            (number.is_err(), number.unwrap_or_default(), id.as_str())
        });
        entries
            .into_iter()
            .filter_map(|(_, seq)| self.documents.get(seq).cloned())
            .collect()
    }

    /// Adds (`replace`) or adds and merges documents, all or none: the count
    /// indexed, or why the task fails.
    pub(super) fn add(
        &mut self,
        documents: Vec<Value>,
        order: &[String],
        primary_key: Option<&str>,
        replace: bool,
    ) -> Result<usize, Failure> {
        let batch: Vec<Map<String, Value>> = documents
            .into_iter()
            .filter_map(|document| match document {
                Value::Object(fields) => Some(fields),
                _ => None,
            })
            .collect();
        let key = match (&self.primary_key, primary_key) {
            (Some(existing), Some(asked)) if existing != asked => {
                return Err(failure(
                    "index_primary_key_already_exists",
                    format!("Index already has a primary key: `{existing}`."),
                ));
            }
            (_, Some(asked)) => asked.to_owned(),
            (Some(existing), None) => existing.clone(),
            (None, None) => match batch.first() {
                Some(first) => infer_primary_key(first)?,
                None => return Ok(0),
            },
        };
        let mut identified = Vec::with_capacity(batch.len());
        for fields in batch {
            let Some(value) = fields.get(&key) else {
                return Err(failure(
                    "missing_document_id",
                    format!(
                        "Document doesn't have a `{key}` attribute: `{}`.",
                        Value::Object(fields)
                    ),
                ));
            };
            let Some(id) = document_id(value) else {
                return Err(failure(
                    "invalid_document_id",
                    format!(
                        "Document identifier `{value}` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes."
                    ),
                ));
            };
            identified.push((id, fields));
        }
        self.primary_key = Some(key);
        let seen = order
            .iter()
            .chain(identified.iter().flat_map(|(_, fields)| fields.keys()));
        for name in seen {
            if !self.fields.contains(name) {
                self.fields.push(name.clone());
            }
        }
        let count = identified.len();
        for (id, fields) in identified {
            if let Some(seq) = self.ids.get(&id) {
                match self.documents.get_mut(seq) {
                    Some(Value::Object(stored)) if !replace => stored.extend(fields),
                    Some(stored) => *stored = Value::Object(fields),
                    None => {}
                }
            } else {
                self.ids.insert(id, self.next);
                self.documents.insert(self.next, Value::Object(fields));
                self.next += 1;
            }
        }
        self.touch();
        Ok(count)
    }

    /// Removes the documents `doomed` picks (given their id): how many.
    pub(super) fn remove_where(&mut self, doomed: impl Fn(&str, &Value) -> bool) -> usize {
        let gone: Vec<(String, u64)> = self
            .ids
            .iter()
            .filter(|&(id, seq)| self.documents.get(seq).is_some_and(|doc| doomed(id, doc)))
            .map(|(id, seq)| (id.clone(), *seq))
            .collect();
        for (id, seq) in &gone {
            self.ids.remove(id);
            self.documents.remove(seq);
        }
        if !gone.is_empty() {
            self.touch();
        }
        gone.len()
    }

    pub(super) fn set_primary_key(&mut self, primary_key: Option<String>) -> Result<(), Failure> {
        if self.count() > 0 && primary_key.is_some() && primary_key != self.primary_key {
            return Err(failure(
                "index_primary_key_already_exists",
                "Index already has a primary key and documents.",
            ));
        }
        if primary_key.is_some() {
            self.primary_key = primary_key;
        }
        self.touch();
        Ok(())
    }

    /// All the settings: the ones set, Meilisearch's defaults for the rest.
    pub(super) fn settings(&self) -> Map<String, Value> {
        let mut settings = defaults();
        patch(&mut settings, &self.settings, false);
        settings
    }

    pub(super) fn patch_settings(&mut self, changes: &Map<String, Value>) {
        patch(&mut self.settings, changes, false);
        self.touch();
    }

    pub(super) fn reset_settings(&mut self) {
        self.settings.clear();
        self.touch();
    }

    /// The filterable attribute patterns: names, or the `attributePatterns`
    /// of the object form.
    pub(super) fn filterable(&self) -> Vec<String> {
        let settings = Value::Object(self.settings());
        let items = settings["filterableAttributes"].as_array().cloned();
        items
            .unwrap_or_default()
            .iter()
            .flat_map(|item| match item {
                Value::String(name) => vec![name.clone()],
                _ => strings(&item["attributePatterns"]),
            })
            .collect()
    }

    fn touch(&mut self) {
        self.updated_at = now();
    }
}

/// The strings of a JSON array (anything else: none).
pub(super) fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn document_id(value: &Value) -> Option<String> {
    match value {
        Value::Number(number) if number.is_i64() || number.is_u64() => Some(number.to_string()),
        Value::String(id)
            if !id.is_empty()
                && id.len() <= 511
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Some(id.clone())
        }
        _ => None,
    }
}

/// Meilisearch's inference: the one field whose name ends with `id`.
fn infer_primary_key(first: &Map<String, Value>) -> Result<String, Failure> {
    let candidates: Vec<&String> = first
        .keys()
        .filter(|name| name.to_lowercase().ends_with("id"))
        .collect();
    match candidates.as_slice() {
        [only] => Ok((*only).clone()),
        [] => Err(failure(
            "index_primary_key_no_candidate_found",
            "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.",
        )),
        _ => Err(failure(
            "index_primary_key_multiple_candidates_found",
            "The primary key inference failed as the engine found several fields ending with `id` in their names. Please specify the primary key manually using the `primaryKey` query parameter.",
        )),
    }
}

/// Meilisearch's default settings (the ones `GET …/settings` shows).
fn defaults() -> Map<String, Value> {
    let defaults = json!({
        "displayedAttributes": ["*"],
        "searchableAttributes": ["*"],
        "filterableAttributes": [],
        "sortableAttributes": [],
        "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
        "stopWords": [],
        "nonSeparatorTokens": [],
        "separatorTokens": [],
        "dictionary": [],
        "synonyms": {},
        "distinctAttribute": null,
        "proximityPrecision": "byWord",
        "typoTolerance": {
            "enabled": true,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnWords": [],
            "disableOnAttributes": [],
            "disableOnNumbers": false,
        },
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "alpha"}},
        "pagination": {"maxTotalHits": 1000},
        "embedders": {},
        "searchCutoffMs": null,
        "localizedAttributes": null,
        "facetSearch": true,
        "prefixSearch": "indexingTime",
    });
    match defaults {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The settings objects that are patched field by field; others are replaced.
const NESTED: [&str; 3] = ["typoTolerance", "faceting", "pagination"];

/// Applies a settings patch: `null` resets to the default.
fn patch(target: &mut Map<String, Value>, changes: &Map<String, Value>, nested: bool) {
    for (key, value) in changes {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(fields) if nested || NESTED.contains(&key.as_str()) => {
                let entry = target
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                match entry {
                    Value::Object(existing) => patch(existing, fields, true),
                    other => *other = value.clone(),
                }
            }
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Whether `name` (camelCase) is a setting.
pub(super) fn is_setting(name: &str) -> bool {
    defaults().contains_key(name)
}

/// Refuses unknown settings and values of the wrong shape, as Meilisearch
/// does before enqueuing anything.
pub(super) fn check_settings(changes: &Map<String, Value>) -> Result<(), Failure> {
    let defaults = defaults();
    for (key, value) in changes {
        let Some(default) = defaults.get(key) else {
            return Err(failure(
                "bad_request",
                format!("Unknown field `{key}` in the settings."),
            ));
        };
        let valid = match key.as_str() {
            _ if value.is_null() => true,
            "filterableAttributes" => value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|item| item.is_string() || item.is_object())
            }),
            "rankingRules" => value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|item| item.as_str().is_some_and(valid_ranking_rule))
            }),
            _ if default.is_array() => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            _ if default.is_object() => value.is_object(),
            _ => true,
        };
        if !valid {
            let code: String = key
                .chars()
                .flat_map(|c| {
                    let lower = c.to_ascii_lowercase();
                    c.is_ascii_uppercase()
                        .then_some('_')
                        .into_iter()
                        .chain([lower])
                })
                .collect();
            return Err(failure(
                &format!("invalid_settings_{code}"),
                format!("Invalid value at `.{key}`: `{value}`."),
            ));
        }
    }
    Ok(())
}

fn valid_ranking_rule(rule: &str) -> bool {
    const RULES: [&str; 8] = [
        "words",
        "typo",
        "proximity",
        "attribute",
        "sort",
        "exactness",
        "attributeRank",
        "wordPosition",
    ];
    RULES.contains(&rule)
        || rule.rsplit_once(':').is_some_and(|(attribute, order)| {
            !attribute.is_empty() && matches!(order, "asc" | "desc")
        })
}

/// The top-level field names of a payload of documents in the order they
/// first appear (serde_json's own maps sort their keys); empty when the
/// payload is not a document or an array of them.
pub(super) fn field_order(payload: &[u8]) -> Vec<String> {
    serde_json::from_slice::<FieldOrder>(payload)
        .map(|order| order.0)
        .unwrap_or_default()
}

struct FieldOrder(Vec<String>);

impl<'de> Deserialize<'de> for FieldOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldOrderVisitor)
    }
}

struct FieldOrderVisitor;

impl<'de> Visitor<'de> for FieldOrderVisitor {
    type Value = FieldOrder;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a document or an array of documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut documents: A) -> Result<FieldOrder, A::Error> {
        let mut names: Vec<String> = Vec::new();
        while let Some(FieldOrder(fields)) = documents.next_element::<FieldOrder>()? {
            for name in fields {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Ok(FieldOrder(names))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<FieldOrder, A::Error> {
        let mut names = Vec::new();
        while let Some((name, IgnoredAny)) = fields.next_entry::<String, IgnoredAny>()? {
            names.push(name);
        }
        Ok(FieldOrder(names))
    }
}
