//! A `tracing` subscriber that keeps everything it is given, at every level and from every
//! crate: each span with its fields, each event as a line of text. Tests read the spans to check
//! what a request logs, and search the whole text for secrets.
//!
//! It is installed as the process's global subscriber rather than for one thread: `tracing`
//! caches per call site whether anyone listens, and a call site first reached by a test thread
//! without a subscriber would stay silent for the thread that has one. Tests that capture hold
//! [`Capture::start`]'s guard, which runs them one at a time on a cleared capture.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// One span and the fields recorded on it so far, values in `Debug` form (strings bare).
#[derive(Clone, Debug)]
pub struct CapturedSpan {
    pub name: &'static str,
    pub fields: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
pub struct Capture {
    spans: Arc<Mutex<Vec<CapturedSpan>>>,
    events: Arc<Mutex<Vec<String>>>,
}

static GLOBAL: LazyLock<Capture> = LazyLock::new(|| {
    let capture = Capture::default();
    tracing::subscriber::set_global_default(capture.clone())
        .expect("no other global subscriber in this test binary");
    capture
});

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Capture {
    /// The process's capture, emptied, and a guard that keeps other capturing tests waiting.
    pub async fn start() -> (&'static Capture, tokio::sync::MutexGuard<'static, ()>) {
        let turn = ONE_AT_A_TIME.lock().await;
        let capture = &*GLOBAL;
        lock(&capture.spans).clear();
        lock(&capture.events).clear();
        (capture, turn)
    }

    pub fn spans(&self) -> Vec<CapturedSpan> {
        lock(&self.spans).clone()
    }

    pub fn spans_named(&self, name: &str) -> Vec<CapturedSpan> {
        self.spans()
            .into_iter()
            .filter(|span| span.name == name)
            .collect()
    }

    /// The one span named `name`; panics, listing them, unless there is exactly one.
    pub fn only_span(&self, name: &str) -> CapturedSpan {
        let spans = self.spans_named(name);
        let [span] = spans.as_slice() else {
            panic!("expected one {name} span: {spans:#?}");
        };
        span.clone()
    }

    /// Every span and event as text, one per line.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for span in self.spans() {
            text.push_str(&format!("span {} {:?}\n", span.name, span.fields));
        }
        for event in lock(&self.events).iter() {
            text.push_str(event);
            text.push('\n');
        }
        text
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = lock(&self.spans);
        spans.push(CapturedSpan {
            name: attributes.metadata().name(),
            fields,
        });
        // Ids start at 1; a span from before the last clear records nowhere.
        Id::from_u64(spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = lock(&self.spans);
        if let Some(captured) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut captured.fields));
        }
    }

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let metadata = event.metadata();
        lock(&self.events).push(format!(
            "{} {} {:?}",
            metadata.level(),
            metadata.target(),
            fields
        ));
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}
