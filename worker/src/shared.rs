//! What isolates and the origin's Durable Object (`OriginHealth`, one per
//! origin) say to each other, and how the object stores it: the settings,
//! the messages (JSON over the object's RPC methods), the SQLite schema and
//! statements. Pure: built and tested on the host; the runtime glue is
//! `edge::shared` (the isolate's side) and `edge::store` (the object's).
//!
//! The object decides nothing of its own: the incident rows are the core's
//! ([`gatewise_core::incidents`]), the breaker state is the core's guard,
//! applied by the core's rules; the object stores and applies them.
//!
//! Cost model: a successful request never calls the object. A failure adds
//! its incident row to the isolate's outbox; one call (`sync`, in
//! `ctx.waitUntil`, never awaited by the visitor's answer) carries every row
//! that waited, so there is at most one call per failure and fewer under load.
//!
//! # Example
//! ```
//! use gatewise_worker::shared::{SyncRequest, SyncReply};
//! let req = SyncRequest::default();
//! let json = serde_json::to_string(&req).unwrap();
//! let back: SyncRequest = serde_json::from_str(&json).unwrap();
//! assert!(back.rows.is_empty());
//! let reply: SyncReply = serde_json::from_str(r#"{"stored":3,"refused":0}"#).unwrap();
//! assert_eq!(reply.stored, 3);
//! assert!(reply.breaker.is_none());
//! ```

use gatewise_core::incidents::{Incident, Retention, Window};
use gatewise_core::policy::{Admission, Breaker};
use serde::{Deserialize, Serialize};

/// The binding of the Durable Object namespace in `wrangler.toml`.
pub const BINDING: &str = "ORIGIN_HEALTH";
/// The class that implements it (exported by the worker's module).
pub const CLASS: &str = "OriginHealth";
/// The binding of the optional Analytics Engine dataset.
pub const ANALYTICS_BINDING: &str = "INCIDENTS_AE";

/// The most rows an isolate keeps waiting for the object (older ones are dropped first).
pub const MAX_OUTBOX: usize = 1_000;
/// The most rows one `sync` call carries.
pub const MAX_BATCH: usize = 200;
/// The most rows an isolate keeps for its own view when no object is bound.
pub const MAX_LOCAL_ROWS: usize = 500;
/// How long an isolate leaves the object alone after a call failed or timed out, in ms.
pub const PAUSE_MS: u64 = 10_000;
/// The most rows an export (CSV, JSON with rows) carries.
pub const MAX_EXPORT: u32 = 10_000;

/// The settings of the shared record and breaker (`[vars]`, see `config::VARS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedSettings {
    /// Whether the bound object is used (`SHARED_HEALTH`).
    pub enabled: bool,
    /// How long a request that must ask the object waits for it (`SHARED_TIMEOUT_MS`).
    pub timeout_ms: u32,
    /// How old an isolate's copy of a breaker that is not closed may get (`SHARED_STALENESS_MS`).
    pub staleness_ms: u32,
    /// Row retention (`INCIDENT_ROWS`, `INCIDENT_DAYS`, `INCIDENT_MINUTE_DAYS`).
    pub retention: Retention,
    /// Visitors' reports accepted per minute: per isolate, and by the object for all (`REPORTS_PER_MINUTE`).
    pub reports_per_minute: u32,
    /// Visitors' reports accepted per client per minute (`REPORTS_PER_CLIENT`).
    pub reports_per_client: u32,
}

impl Default for SharedSettings {
    fn default() -> Self {
        SharedSettings {
            enabled: true,
            timeout_ms: 250,
            staleness_ms: 1_000,
            retention: Retention::default(),
            reports_per_minute: 120,
            reports_per_client: 10,
        }
    }
}

/// What an isolate sends the object in one `sync` call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncRequest {
    /// What the edge answered visitors with (informative, stale, passed through, breaker).
    #[serde(default)]
    pub rows: Vec<Incident>,
    /// What visitors' browsers reported (kept apart, capped per minute by the object).
    #[serde(default)]
    pub reports: Vec<Incident>,
    /// Rows the isolate had to drop since its last call (its outbox was full).
    #[serde(default)]
    pub dropped: u32,
    /// The breaker outcomes this isolate saw since its last call, in order
    /// (successes only ride along with failures, or report a probe's success).
    #[serde(default)]
    pub outcomes: Vec<Run>,
}

/// A run of outcomes one isolate saw: `ok` successes, then `failed` failures.
///
/// # Example
/// ```
/// use gatewise_worker::shared::Run;
/// let mut runs = Vec::new();
/// for ok in [true, true, false, false, true, false] {
///     Run::push(&mut runs, ok);
/// }
/// assert_eq!(runs, vec![Run { ok: 2, failed: 2 }, Run { ok: 1, failed: 1 }]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// Successes first.
    pub ok: u32,
    /// Then failures.
    pub failed: u32,
}

/// The most runs an isolate keeps waiting (older ones are merged: counts are kept, order blurs).
pub const MAX_RUNS: usize = 32;
/// The most outcomes of one run the object applies (a sender cannot make it loop for long).
pub const MAX_RUN: u32 = 1_000;

impl Run {
    /// Adds one outcome to `runs` (bounded: [`MAX_RUNS`]).
    pub fn push(runs: &mut Vec<Run>, ok: bool) {
        match runs.last_mut() {
            Some(r) if ok && r.failed == 0 => r.ok = r.ok.saturating_add(1),
            Some(r) if !ok => r.failed = r.failed.saturating_add(1),
            _ => {
                if runs.len() >= MAX_RUNS {
                    let first = runs.remove(0);
                    if let Some(next) = runs.first_mut() {
                        next.ok = next.ok.saturating_add(first.ok);
                        next.failed = next.failed.saturating_add(first.failed);
                    }
                }
                runs.push(Run {
                    ok: u32::from(ok),
                    failed: u32::from(!ok),
                });
            }
        }
    }

    /// Applies `runs` to the shared breaker at `now`, in order, each run cut at [`MAX_RUN`].
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Breaker, BreakerConfig, BreakerState};
    /// use gatewise_worker::shared::Run;
    /// let mut b = Breaker::new(BreakerConfig::default());
    /// // Two isolates' failures, three and two: five in a row for the object.
    /// Run::apply(&[Run { ok: 0, failed: 3 }], &mut b, 0);
    /// assert_eq!(b.state(), BreakerState::Closed);
    /// Run::apply(&[Run { ok: 0, failed: 2 }], &mut b, 1);
    /// assert_eq!(b.state(), BreakerState::Open);
    /// ```
    pub fn apply(runs: &[Run], breaker: &mut Breaker, now: u64) {
        for r in runs {
            for _ in 0..r.ok.min(MAX_RUN) {
                breaker.record_success(now);
            }
            for _ in 0..r.failed.min(MAX_RUN) {
                breaker.record_failure(now);
            }
        }
    }
}

/// The object's answer to `sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReply {
    /// Rows stored.
    pub stored: u32,
    /// Visitors' reports refused (over the per-minute cap).
    pub refused: u32,
    /// The shared breaker after the call (the isolate adopts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<Breaker>,
}

/// The object's answer to `admit`: whether this request may go to the
/// origin (one probe per cool-down for all isolates), and the breaker after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmitReply {
    /// `allowed`, `probe` or `rejected`.
    pub admission: String,
    /// For `rejected`: when to come back, in ms.
    #[serde(default)]
    pub retry_in_ms: u64,
    /// The shared breaker after the call.
    pub breaker: Breaker,
}

impl AdmitReply {
    /// The reply for `admission` with `breaker`.
    pub fn new(admission: Admission, breaker: Breaker) -> Self {
        let (name, retry_in_ms) = match admission {
            Admission::Allowed => ("allowed", 0),
            Admission::Probe => ("probe", 0),
            Admission::Rejected { retry_in } => (
                "rejected",
                u64::try_from(retry_in.as_millis()).unwrap_or(u64::MAX),
            ),
        };
        AdmitReply {
            admission: name.to_owned(),
            retry_in_ms,
            breaker,
        }
    }

    /// The admission it carries (an unknown name is a rejection: fail closed to the probe lease).
    ///
    /// # Example
    /// ```
    /// use gatewise_core::policy::{Admission, Breaker, BreakerConfig};
    /// use gatewise_worker::shared::AdmitReply;
    /// let r = AdmitReply::new(Admission::Probe, Breaker::new(BreakerConfig::default()));
    /// assert_eq!(r.admission(), Admission::Probe);
    /// ```
    pub fn admission(&self) -> Admission {
        match self.admission.as_str() {
            "allowed" => Admission::Allowed,
            "probe" => Admission::Probe,
            _ => Admission::Rejected {
                retry_in: std::time::Duration::from_millis(self.retry_in_ms),
            },
        }
    }
}

/// What the owner's view asks the object for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewRequest {
    /// The window.
    pub window: Window,
    /// A request id (or `cf-ray`) to look up.
    #[serde(default)]
    pub id: Option<String>,
    /// Also every row of the window (at most [`MAX_EXPORT`]): for the CSV export.
    #[serde(default)]
    pub rows: bool,
}

/// The object's answer to `view`: the view, and the rows when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewReply {
    /// The view.
    pub view: gatewise_core::incidents::View,
    /// The window's rows, oldest first (only when asked).
    #[serde(default)]
    pub rows: Vec<Incident>,
}

/// The object's name for an origin: its base URL (`https://host[:port][/path]`),
/// so that every isolate reaches the same object for the same origin.
pub fn object_name(origin_base: &str) -> String {
    origin_base.to_ascii_lowercase()
}

/// A fixed-window counter per key (a client, or everyone), bounded in keys:
/// at most `limit` events per key per `window_ms`.
///
/// # Example
/// ```
/// use gatewise_worker::shared::RateLimit;
/// let mut r = RateLimit::new(2, 60_000, 4);
/// assert!(r.allow("a", 0) && r.allow("a", 1));
/// assert!(!r.allow("a", 2));
/// assert!(r.allow("b", 3));
/// assert!(r.allow("a", 60_000)); // a new window
/// ```
#[derive(Debug, Clone)]
pub struct RateLimit {
    limit: u32,
    window_ms: u64,
    max_keys: usize,
    start: u64,
    counts: Vec<(String, u32)>,
}

impl RateLimit {
    /// `limit` events per key per `window_ms`, at most `max_keys` keys counted per window (a
    /// key beyond them is refused: a flood of made-up keys cannot open the limit).
    pub fn new(limit: u32, window_ms: u64, max_keys: usize) -> Self {
        RateLimit {
            limit,
            window_ms: window_ms.max(1),
            max_keys,
            start: 0,
            counts: Vec::new(),
        }
    }

    /// Whether one more event of `key` is allowed at `now` (ms); counts it when it is.
    pub fn allow(&mut self, key: &str, now: u64) -> bool {
        let window = now / self.window_ms;
        if window != self.start {
            self.start = window;
            self.counts.clear();
        }
        let full = self.counts.len() >= self.max_keys || self.limit == 0;
        match self.counts.iter_mut().find(|(k, _)| k == key) {
            Some((_, n)) if *n >= self.limit => false,
            Some((_, n)) => {
                *n += 1;
                true
            }
            None if full => false,
            None => {
                self.counts.push((key.to_owned(), 1));
                true
            }
        }
    }

    /// How many more events of `key` are allowed in the current window at `now`.
    pub fn left(&self, key: &str, now: u64) -> u32 {
        if now / self.window_ms != self.start {
            return self.limit;
        }
        let used = self
            .counts
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0, |(_, n)| *n);
        self.limit.saturating_sub(used)
    }
}

/// The object's SQLite schema and statements (Durable Objects' SQL API,
/// `ctx.storage.sql.exec`). Rows go in and come out as JSON through
/// SQLite's `json_each` / `json_group_array`, one statement per batch.
pub mod sql {
    /// Creates what is missing (run when the object starts).
    pub const SCHEMA: &[&str] = &[
        "CREATE TABLE IF NOT EXISTS incidents (at INTEGER NOT NULL, source TEXT NOT NULL, served TEXT NOT NULL, \
         path TEXT NOT NULL, type TEXT, hop TEXT, layer TEXT NOT NULL, status INTEGER NOT NULL, received INTEGER, \
         attempts INTEGER NOT NULL, colo TEXT, country TEXT, id TEXT NOT NULL, ray TEXT)",
        "CREATE INDEX IF NOT EXISTS incidents_at ON incidents (at)",
        "CREATE INDEX IF NOT EXISTS incidents_id ON incidents (id)",
        "CREATE TABLE IF NOT EXISTS minutes (minute INTEGER NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL, \
         hop TEXT NOT NULL, status INTEGER NOT NULL, served TEXT NOT NULL, n INTEGER NOT NULL, \
         PRIMARY KEY (minute, source, type, hop, status, served)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS transitions (at INTEGER NOT NULL, path TEXT, from_state TEXT NOT NULL, to_state TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS transitions_at ON transitions (at)",
        "CREATE TABLE IF NOT EXISTS outages (started INTEGER PRIMARY KEY, ended INTEGER, json TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
    ];

    /// `?1`: a JSON array of incidents (serde's form). Stores each as a row.
    pub const INSERT_ROWS: &str = "INSERT INTO incidents (at, source, served, path, type, hop, layer, status, received, attempts, colo, country, id, ray) \
        SELECT json_extract(value, '$.at'), json_extract(value, '$.source'), json_extract(value, '$.served'), \
        json_extract(value, '$.path'), json_extract(value, '$.errorType'), json_extract(value, '$.hop'), \
        json_extract(value, '$.layer'), json_extract(value, '$.status'), json_extract(value, '$.received'), \
        json_extract(value, '$.attempts'), json_extract(value, '$.colo'), json_extract(value, '$.country'), \
        json_extract(value, '$.id'), json_extract(value, '$.ray') FROM json_each(?1)";

    /// `?1`: the same array. Adds each row to its minute's counts.
    pub const INSERT_MINUTES: &str = "INSERT INTO minutes (minute, source, type, hop, status, served, n) \
        SELECT json_extract(value, '$.at') / 60000, json_extract(value, '$.source'), \
        coalesce(json_extract(value, '$.errorType'), 'unclassified'), coalesce(json_extract(value, '$.hop'), 'unknown'), \
        json_extract(value, '$.status'), json_extract(value, '$.served'), count(*) FROM json_each(?1) WHERE true \
        GROUP BY 1, 2, 3, 4, 5, 6 ON CONFLICT DO UPDATE SET n = n + excluded.n";

    /// `?1`: the oldest time kept (ms). Removes older rows.
    pub const PRUNE_DAYS: &str = "DELETE FROM incidents WHERE at < ?1";
    /// `?1`: the most rows kept. Removes the oldest beyond.
    pub const PRUNE_ROWS: &str = "DELETE FROM incidents WHERE rowid <= (SELECT rowid FROM incidents ORDER BY rowid DESC LIMIT 1 OFFSET ?1)";
    /// `?1`: the oldest minute kept. Removes older per-minute counts.
    pub const PRUNE_MINUTES: &str = "DELETE FROM minutes WHERE minute < ?1";
    /// `?1`: the oldest time kept (ms). Removes older breaker changes and closed outages.
    pub const PRUNE_HISTORY: &[&str] = &[
        "DELETE FROM transitions WHERE at < ?1",
        "DELETE FROM outages WHERE ended IS NOT NULL AND ended < ?1",
    ];

    /// One row as the JSON object serde reads as an `Incident`.
    const ROW_JSON: &str = "json_object('at', at, 'source', source, 'served', served, 'path', path, 'errorType', type, \
        'hop', hop, 'layer', layer, 'status', status, 'received', received, 'attempts', attempts, 'colo', colo, \
        'country', country, 'id', id, 'ray', ray)";

    /// `?1` from (ms), `?2` limit: the latest rows, latest first, as one JSON array.
    pub fn latest() -> String {
        format!("SELECT json_group_array({ROW_JSON}) FROM (SELECT * FROM incidents WHERE at >= ?1 ORDER BY at DESC, rowid DESC LIMIT ?2)")
    }

    /// `?1` from (ms), `?2` limit: the window's rows, oldest first, as one JSON array.
    pub fn export() -> String {
        format!("SELECT json_group_array({ROW_JSON}) FROM (SELECT * FROM incidents WHERE at >= ?1 ORDER BY at, rowid LIMIT ?2)")
    }

    /// `?1` an id or `cf-ray`: its row, as a JSON array of at most one.
    pub fn find() -> String {
        format!("SELECT json_group_array({ROW_JSON}) FROM (SELECT * FROM incidents WHERE id = ?1 OR ray = ?1 ORDER BY at DESC LIMIT 1)")
    }

    /// `?1` from minute, `?2` from (ms), `?3` bucket (ms): counts per
    /// source and dimension and per chart bar, as one JSON array of
    /// `[source, dimension, key, n]` (dimension `b`: a bar, key its start in ms).
    pub const COUNTS: &str = "SELECT json_group_array(json_array(source, d, k, n)) FROM (\
        SELECT source, 't' AS d, type AS k, sum(n) AS n FROM minutes WHERE minute >= ?1 GROUP BY source, type \
        UNION ALL SELECT source, 'h', hop, sum(n) FROM minutes WHERE minute >= ?1 GROUP BY source, hop \
        UNION ALL SELECT source, 's', CAST(status AS TEXT), sum(n) FROM minutes WHERE minute >= ?1 GROUP BY source, status \
        UNION ALL SELECT source, 'v', served, sum(n) FROM minutes WHERE minute >= ?1 GROUP BY source, served \
        UNION ALL SELECT source, 'b', CAST(CAST(?2 AS INTEGER) + ((minute * 60000 - CAST(?2 AS INTEGER)) / CAST(?3 AS INTEGER)) \
          * CAST(?3 AS INTEGER) AS TEXT), sum(n) FROM minutes WHERE minute >= ?1 \
          GROUP BY source, (minute * 60000 - CAST(?2 AS INTEGER)) / CAST(?3 AS INTEGER))";

    /// `?1` from (ms), `?2` limit: path counts per source from the rows, as `[source, path, n]`.
    pub const PATHS: &str = "SELECT json_group_array(json_array(source, path, n)) FROM (\
        SELECT source, path, count(*) AS n FROM incidents WHERE at >= ?1 GROUP BY source, path ORDER BY n DESC LIMIT ?2)";

    /// `?1` from (ms): the breakers' changes, latest first, as one JSON array.
    pub const TRANSITIONS: &str = "SELECT json_group_array(json_object('at', at, 'path', path, 'from', from_state, 'to', to_state)) \
        FROM (SELECT * FROM transitions WHERE at >= ?1 ORDER BY at DESC LIMIT 100)";

    /// `?1` from (ms): the outages still open or ended in the window, as one JSON array.
    pub const OUTAGES: &str = "SELECT json_group_array(json(json)) FROM (SELECT json FROM outages \
        WHERE ended IS NULL OR ended >= ?1 ORDER BY started DESC LIMIT 100)";

    /// The open outage, if any (a JSON array of at most one).
    pub const OPEN_OUTAGE: &str = "SELECT json_group_array(json(json)) FROM (SELECT json FROM outages WHERE ended IS NULL ORDER BY started DESC LIMIT 1)";
    /// `?1` started, `?2` ended (or NULL), `?3` the outage's JSON.
    pub const PUT_OUTAGE: &str = "INSERT INTO outages (started, ended, json) VALUES (?1, ?2, ?3) \
        ON CONFLICT (started) DO UPDATE SET ended = excluded.ended, json = excluded.json";
    /// `?1` at, `?2` path (or NULL), `?3` from, `?4` to.
    pub const PUT_TRANSITION: &str =
        "INSERT INTO transitions (at, path, from_state, to_state) VALUES (?1, ?2, ?3, ?4)";

    /// How many rows are on record.
    pub const COUNT_ROWS: &str = "SELECT count(*) FROM incidents";

    /// `?1` key: a stored value (a JSON array of at most one string).
    pub const GET: &str = "SELECT json_group_array(v) FROM kv WHERE k = ?1";
    /// `?1` key, `?2` value.
    pub const PUT: &str =
        "INSERT INTO kv (k, v) VALUES (?1, ?2) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_keys_cannot_open_the_limit() {
        let mut r = RateLimit::new(5, 60_000, 16);
        let allowed = (0..10_000)
            .filter(|i| r.allow(&format!("client-{i}"), 1_000))
            .count();
        assert_eq!(allowed, 16);
        assert_eq!(r.left("client-1", 1_000), 4);
        assert_eq!(r.left("client-1", 61_000), 5);
    }

    #[test]
    fn statements_name_every_field_serde_writes() {
        let d = gatewise_core::Diagnosis::for_status(502, gatewise_core::Layer::Nginx);
        let row = Incident::observed(&d, gatewise_core::incidents::Served::Origin, "/", 1, "gw-1")
            .with_request(2, Some("ray"))
            .with_location(Some("AMS"), Some("NL"));
        let v = serde_json::to_value(&row).unwrap();
        for key in v.as_object().unwrap().keys() {
            assert!(sql::INSERT_ROWS.contains(&format!("'$.{key}'")), "{key}");
            assert!(sql::latest().contains(&format!("'{key}'")), "{key}");
        }
    }
}
