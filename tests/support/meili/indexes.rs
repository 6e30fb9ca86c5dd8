//! The routes under `/indexes/{uid}/…`: the index, its settings, its
//! documents and searching it.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::store::{self, Index};
use super::{Reply, State, failure, filter, index_not_found, json_body, object_body, search};

impl State {
    pub(super) fn index_route(
        &mut self,
        method: &str,
        uid: &str,
        rest: &[&str],
        query: &[(String, String)],
        body: &[u8],
    ) -> Result<Reply, Reply> {
        match (method, rest) {
            ("GET", []) => Ok((200, self.existing(uid)?.info(uid))),
            ("PATCH", []) => {
                let request = object_body(body)?;
                let primary_key = request
                    .get("primaryKey")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let outcome = match self.indexes.get_mut(uid) {
                    Some(index) => index
                        .set_primary_key(primary_key.clone())
                        .map(|()| json!({"primaryKey": primary_key})),
                    None => Err(index_not_found(uid)),
                };
                Ok(self.enqueue(Some(uid), "indexUpdate", outcome))
            }
            ("DELETE", []) => {
                let outcome = match self.indexes.remove(uid) {
                    Some(index) => Ok(json!({"deletedDocuments": index.count()})),
                    None => Err(index_not_found(uid)),
                };
                Ok(self.enqueue(Some(uid), "indexDeletion", outcome))
            }
            ("GET", ["stats"]) => {
                let index = self.existing(uid)?;
                let mut distribution: BTreeMap<&str, usize> = BTreeMap::new();
                for (_, document) in index.documents() {
                    for name in document.as_object().into_iter().flat_map(Map::keys) {
                        *distribution.entry(name).or_default() += 1;
                    }
                }
                Ok((
                    200,
                    json!({
                        "numberOfDocuments": index.count(),
                        "numberOfEmbeddedDocuments": 0,
                        "numberOfEmbeddings": 0,
                        "rawDocumentDbSize": 0,
                        "avgDocumentSize": 0,
                        "isIndexing": false,
                        "fieldDistribution": distribution,
                    }),
                ))
            }
            ("GET", ["settings"]) => Ok((200, Value::Object(self.existing(uid)?.settings()))),
            ("PATCH", ["settings"]) => {
                let changes = object_body(body)?;
                self.update_settings(uid, &changes)
            }
            ("DELETE", ["settings"]) => {
                self.indexes
                    .entry(uid.to_owned())
                    .or_insert_with(|| Index::new(None))
                    .reset_settings();
                Ok(self.enqueue(Some(uid), "settingsUpdate", Ok(Value::Null)))
            }
            (_, ["settings", name]) => {
                // `searchable-attributes` is `searchableAttributes`.
                let mut setting = String::new();
                for (i, part) in name.split('-').enumerate() {
                    let mut chars = part.chars();
                    if i > 0 {
                        setting.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                    }
                    setting.extend(chars);
                }
                if !store::is_setting(&setting) {
                    return Err(self.no_route());
                }
                match method {
                    "GET" => Ok((
                        200,
                        self.existing(uid)?
                            .settings()
                            .remove(&setting)
                            .unwrap_or(Value::Null),
                    )),
                    "PUT" | "PATCH" => {
                        let value = json_body(body)?;
                        self.update_settings(uid, &Map::from_iter([(setting, value)]))
                    }
                    "DELETE" => {
                        self.update_settings(uid, &Map::from_iter([(setting, Value::Null)]))
                    }
                    _ => Err(self.no_route()),
                }
            }
            ("GET", ["documents"]) => {
                let index = self.existing(uid)?;
                let number = |name: &str, default: usize| {
                    query
                        .iter()
                        .find(|(key, _)| key == name)
                        .and_then(|(_, value)| value.parse::<usize>().ok())
                        .unwrap_or(default)
                };
                let (offset, limit) = (number("offset", 0), number("limit", 20));
                let results: Vec<Value> = index
                    .documents()
                    .skip(offset)
                    .take(limit)
                    .map(|(_, document)| document.clone())
                    .collect();
                Ok((
                    200,
                    json!({"results": results, "offset": offset, "limit": limit, "total": index.count()}),
                ))
            }
            ("POST", ["documents"]) => self.add_documents(uid, query, body, true),
            ("PUT", ["documents"]) => self.add_documents(uid, query, body, false),
            ("DELETE", ["documents"]) => Ok(self.delete_documents(uid, 0, |_, _| true)),
            ("POST", ["documents", "delete-batch"]) => {
                let Value::Array(items) = json_body(body)? else {
                    return Err(failure(
                        "bad_request",
                        "Invalid value type: expected an array of document ids.",
                    )
                    .reply(400));
                };
                let ids: Vec<String> = items
                    .iter()
                    .map(|id| match id {
                        Value::String(id) => id.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                Ok(self.delete_documents(uid, ids.len(), |id, _| {
                    ids.iter().any(|doomed| doomed == id)
                }))
            }
            ("POST", ["documents", "delete"]) => self.delete_by_filter(uid, body),
            ("GET", ["documents", id]) => self
                .existing(uid)?
                .get(id)
                .map(|document| (200, document.clone()))
                .ok_or_else(|| {
                    failure("document_not_found", format!("Document `{id}` not found.")).reply(404)
                }),
            ("DELETE", ["documents", id]) => {
                Ok(self.delete_documents(uid, 1, |stored, _| stored == *id))
            }
            ("POST", ["search"]) => {
                let request = object_body(body)?;
                let index = self.existing(uid)?;
                search::search(index, &request)
                    .map(|response| (200, response))
                    .map_err(|failure| failure.reply(400))
            }
            _ => Err(self.no_route()),
        }
    }

    fn update_settings(&mut self, uid: &str, changes: &Map<String, Value>) -> Result<Reply, Reply> {
        store::check_settings(changes).map_err(|failure| failure.reply(400))?;
        self.indexes
            .entry(uid.to_owned())
            .or_insert_with(|| Index::new(None))
            .patch_settings(changes);
        Ok(self.enqueue(Some(uid), "settingsUpdate", Ok(Value::Null)))
    }

    /// `POST` (add or replace) or `PUT` (add or update) documents; the
    /// index is created when missing.
    fn add_documents(
        &mut self,
        uid: &str,
        query: &[(String, String)],
        body: &[u8],
        replace: bool,
    ) -> Result<Reply, Reply> {
        let malformed = |message: String| failure("malformed_payload", message).reply(400);
        let payload: Value = serde_json::from_slice(body).map_err(|error| {
            malformed(format!(
                "The `json` payload provided is malformed: {error}."
            ))
        })?;
        let documents = match payload {
            Value::Array(items) if items.iter().all(Value::is_object) => items,
            document @ Value::Object(_) => vec![document],
            _ => {
                return Err(malformed(
                    "The `json` payload must be a document or an array of documents.".to_owned(),
                ));
            }
        };
        let primary_key = query
            .iter()
            .find(|(name, _)| name == "primaryKey")
            .map(|(_, value)| value.as_str());
        let order = store::field_order(body);
        let received = documents.len();
        let existed = self.indexes.contains_key(uid);
        let outcome = self
            .indexes
            .entry(uid.to_owned())
            .or_insert_with(|| Index::new(None))
            .add(documents, &order, primary_key, replace);
        if outcome.is_err() && !existed {
            self.indexes.remove(uid);
        }
        let outcome = outcome
            .map(|indexed| json!({"receivedDocuments": received, "indexedDocuments": indexed}));
        Ok(self.enqueue(Some(uid), "documentAdditionOrUpdate", outcome))
    }

    /// A `documentDeletion` task removing the documents `doomed` picks.
    fn delete_documents(
        &mut self,
        uid: &str,
        provided: usize,
        doomed: impl Fn(&str, &Value) -> bool,
    ) -> Reply {
        let outcome = match self.indexes.get_mut(uid) {
            Some(index) => Ok(json!({
                "providedIds": provided,
                "deletedDocuments": index.remove_where(doomed),
                "originalFilter": null,
            })),
            None => Err(index_not_found(uid)),
        };
        self.enqueue(Some(uid), "documentDeletion", outcome)
    }

    fn delete_by_filter(&mut self, uid: &str, body: &[u8]) -> Result<Reply, Reply> {
        let request = object_body(body)?;
        let Some(original) = request.get("filter").filter(|filter| !filter.is_null()) else {
            return Err(failure("missing_document_filter", "Missing field `filter`.").reply(400));
        };
        let filter = filter::from_value(original)
            .map_err(|message| failure("invalid_document_filter", message).reply(400))?;
        let outcome = match self.indexes.get_mut(uid) {
            None => Err(index_not_found(uid)),
            Some(index) => {
                let filterable = index.filterable();
                match filter
                    .as_ref()
                    .and_then(|filter| filter.unfilterable(&filterable))
                {
                    Some(attribute) => Err(failure(
                        "invalid_document_filter",
                        format!(
                            "Attribute `{attribute}` is not filterable. Available filterable attribute patterns are: `{}`.",
                            filterable.join(", ")
                        ),
                    )),
                    None => Ok(json!({
                        "providedIds": 0,
                        "deletedDocuments": index.remove_where(|_, document| {
                            filter.as_ref().is_some_and(|filter| filter.matches(document))
                        }),
                        "originalFilter": original.to_string(),
                    })),
                }
            }
        };
        Ok(self.enqueue(Some(uid), "documentDeletion", outcome))
    }
}
