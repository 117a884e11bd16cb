//! The secrets the suite's clients carry, and a tracing subscriber that checks every span
//! field and event for them as they are recorded (nothing is kept: 20,000 calls of spans).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Recognisable values that must never appear in an error or a span.
pub const API_KEY: &str = "AIzaHOSTILE-api-key-0123456789";
pub const BEARER_TOKEN: &str = "ya29.HOSTILE-bearer-token-0123456789";
pub const QUERY_SECRET: &str = "HOSTILE-query-secret-0123456789";

pub const SECRETS: [&str; 3] = [API_KEY, BEARER_TOKEN, QUERY_SECRET];

/// The first secret found in `text`.
pub fn leaked(text: &str) -> Option<&'static str> {
    SECRETS.into_iter().find(|secret| text.contains(secret))
}

/// Counts spans and events, and keeps the first field that held a secret.
#[derive(Clone, Default)]
pub struct SecretWatch {
    spans: Arc<AtomicU64>,
    events: Arc<AtomicU64>,
    leak: Arc<Mutex<Option<String>>>,
}

impl SecretWatch {
    pub fn spans(&self) -> u64 {
        self.spans.load(Ordering::Relaxed)
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    pub fn leak(&self) -> Option<String> {
        self.leak.lock().unwrap().clone()
    }
}

struct Check<'a>(&'a SecretWatch);

impl Check<'_> {
    fn text(&mut self, field: &Field, text: &str) {
        if let Some(secret) = leaked(text) {
            self.0.leak.lock().unwrap().get_or_insert_with(|| format!("{}={text:?} holds {secret}", field.name()));
        }
    }
}

impl Visit for Check<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.text(field, value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.text(field, &format!("{value:?}"));
    }
}

impl Subscriber for SecretWatch {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.spans.fetch_add(1, Ordering::Relaxed) + 1;
        attributes.record(&mut Check(self));
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Check(self));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.events.fetch_add(1, Ordering::Relaxed);
        event.record(&mut Check(self));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
