//! What every generated model shares besides its typed fields.

/// The members of a model's JSON object that its typed fields do not hold: fields sent or
/// received as `null`, keys of a map field sent as `null`, and fields this revision of the
/// crate does not know. Every generated model has one, as its last field `_extra`
/// (guide, "Field presence").
///
/// Decoding fills it (`"retentionPolicy": null`, `"fieldAddedLater": {...}`) and serializing
/// writes it back, so a model read from the server and sent again carries every member the
/// server sent. A known field that holds a value (`Some`) is written from the field, not from
/// here; a known field that is `None` is written from here when it has an entry (`null`).
///
/// ```
/// use discogen_runtime::ExtraFields;
/// use serde_json::json;
///
/// let mut extra = ExtraFields::default();
/// extra.set_null_key("labels", "old-key");
/// extra.insert("newField", json!(7));
/// extra.set_null("retentionPolicy");
/// assert!(extra.is_null("retentionPolicy"));
/// assert_eq!(extra.get("labels"), Some(&json!({"old-key": null})));
/// assert_eq!(extra.iter().map(|(name, _)| name).collect::<Vec<_>>(), ["labels", "newField", "retentionPolicy"]);
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ExtraFields(serde_json::Map<String, serde_json::Value>);

impl ExtraFields {
    /// The member named `name` (a JSON name), if any.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.get(name)
    }

    /// Whether the member named `name` is `null`: a field the server sent as `null`, or one
    /// set to be sent as `null`.
    pub fn is_null(&self, name: &str) -> bool {
        self.0.get(name).is_some_and(serde_json::Value::is_null)
    }

    /// Sends the member `name` as `null`. On a generated model, prefer its `null(name)`, which
    /// also empties the typed field.
    pub fn set_null(&mut self, name: &str) {
        self.0.insert(name.to_owned(), serde_json::Value::Null);
    }

    /// Sends `{"<name>": {"<key>": null}}`, merged with the map field `name`'s own entries when
    /// it has any (which win for the same key).
    pub fn set_null_key(&mut self, name: &str, key: &str) {
        let member = self.0.entry(name).or_insert(serde_json::Value::Null);
        if !member.is_object() {
            // Absent, or a `null` for the whole field: from now on, a map of deleted keys.
            *member = serde_json::Value::Object(serde_json::Map::new());
        }
        if let serde_json::Value::Object(keys) = member {
            keys.insert(key.to_owned(), serde_json::Value::Null);
        }
    }

    /// Adds or replaces the member `name`, returning the previous one. The escape hatch for a
    /// field this revision does not have.
    pub fn insert(&mut self, name: impl Into<String>, value: serde_json::Value) -> Option<serde_json::Value> {
        self.0.insert(name.into(), value)
    }

    /// Removes the member `name`, so that a `None` field is absent again.
    pub fn remove(&mut self, name: &str) -> Option<serde_json::Value> {
        self.0.remove(name)
    }

    /// The members: in name order, or in the order they were added when serde_json's
    /// `preserve_order` feature is on.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (the usual case).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}
