//! The origin's Durable Object, the Rust half (`worker/js/health.mjs` is the
//! class workerd instantiates; it holds one [`HealthStore`] and passes each
//! RPC call on). Its storage is the object's SQLite database
//! (`ctx.storage.sql`): the incident rows, their per-minute counts, the
//! breakers' history, the robot's outages. Every call runs to its end
//! without awaiting anything (the SQL API is synchronous), so calls never
//! interleave: the object is the one place where the shared state changes.

use gatewise_core::incidents::view::Dimension;
use gatewise_core::incidents::{
    outage, Incident, Outage, RobotRun, Source, Transition, ViewBuilder,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::Env;

use crate::shared::{
    sql, AdmitReply, Run, SharedSettings, SyncReply, SyncRequest, ViewReply, ViewRequest,
    MAX_BATCH, MAX_EXPORT,
};
use gatewise_core::policy::{Breaker, BreakerConfig};

/// The key of the shared breaker in the object's `kv` table.
const BREAKER_KEY: &str = "breaker";

#[wasm_bindgen]
extern "C" {
    /// `ctx.storage.sql`.
    pub type SqlStorage;
    #[wasm_bindgen(method, catch, variadic)]
    fn exec(this: &SqlStorage, query: &str, bindings: &js_sys::Array)
        -> Result<SqlCursor, JsValue>;
    #[wasm_bindgen(method, getter, js_name = databaseSize)]
    fn database_size(this: &SqlStorage) -> f64;

    type SqlCursor;
    #[wasm_bindgen(method, js_name = toArray)]
    fn to_array(this: &SqlCursor) -> js_sys::Array;
}

fn err(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// The most visitor-reported rows the object stores per minute, however many isolates send them.
#[derive(Debug, Default)]
struct ReportCap {
    minute: u64,
    taken: u32,
}

/// The object's state: its SQL storage and settings.
#[wasm_bindgen]
pub struct HealthStore {
    sql: SqlStorage,
    settings: SharedSettings,
    breaker_config: BreakerConfig,
    reports: ReportCap,
    last_prune: u64,
}

/// What the robot sends: the run and its failed checks' rows.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RobotRequest {
    run: RobotRun,
    #[serde(default)]
    rows: Vec<Incident>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RobotReply {
    change: outage::Change,
    outage: Option<Outage>,
}

impl HealthStore {
    fn run(&self, query: &str, args: &[JsValue]) -> Result<SqlCursor, JsValue> {
        let a: js_sys::Array = args.iter().collect();
        self.sql.exec(query, &a)
    }

    /// The one value of a one-row, one-column query (a JSON text), as `T`.
    fn json<T: DeserializeOwned + Default>(
        &self,
        query: &str,
        args: &[JsValue],
    ) -> Result<T, JsValue> {
        let rows = self.run(query, args)?.to_array();
        let first = rows.get(0);
        if first.is_undefined() {
            return Ok(T::default());
        }
        let values = js_sys::Object::values(&first.into());
        match values.get(0).as_string() {
            Some(text) => serde_json::from_str(&text).map_err(err),
            None => Ok(T::default()),
        }
    }

    fn number(&self, query: &str) -> Result<u64, JsValue> {
        let rows = self.run(query, &[])?.to_array();
        let first = rows.get(0);
        if first.is_undefined() {
            return Ok(0);
        }
        let v = js_sys::Object::values(&first.into())
            .get(0)
            .as_f64()
            .unwrap_or(0.0);
        Ok(v.max(0.0) as u64)
    }

    fn store_rows(&self, rows: &[Incident]) -> Result<(), JsValue> {
        if rows.is_empty() {
            return Ok(());
        }
        let json = JsValue::from_str(&serde_json::to_string(rows).map_err(err)?);
        self.run(sql::INSERT_ROWS, std::slice::from_ref(&json))?;
        self.run(sql::INSERT_MINUTES, &[json])?;
        Ok(())
    }

    /// Removes what is past the retention: rows beyond the count (always,
    /// cheap: by rowid), and by age at most once a minute.
    fn prune(&mut self, now: u64) -> Result<(), JsValue> {
        let r = self.settings.retention;
        self.run(
            "DELETE FROM incidents WHERE rowid <= (SELECT max(rowid) FROM incidents) - ?1",
            &[JsValue::from_f64(f64::from(r.rows))],
        )?;
        if now.saturating_sub(self.last_prune) < 60_000 {
            return Ok(());
        }
        self.last_prune = now;
        let rows_before = JsValue::from_f64(r.rows_cutoff(now) as f64);
        self.run(sql::PRUNE_DAYS, std::slice::from_ref(&rows_before))?;
        for q in sql::PRUNE_HISTORY {
            self.run(q, &[JsValue::from_f64(r.minutes_cutoff(now) as f64)])?;
        }
        self.run(
            sql::PRUNE_MINUTES,
            &[JsValue::from_f64((r.minutes_cutoff(now) / 60_000) as f64)],
        )?;
        Ok(())
    }

    /// The shared breaker as stored (a closed one when none is, or when the
    /// stored one has another configuration: the settings changed).
    fn breaker(&self) -> Result<Breaker, JsValue> {
        let stored: Vec<String> = self.json(sql::GET, &[JsValue::from_str(BREAKER_KEY)])?;
        Ok(stored
            .first()
            .and_then(|t| serde_json::from_str::<Breaker>(t).ok())
            .filter(|b| *b.config() == self.breaker_config)
            .unwrap_or_else(|| Breaker::new(self.breaker_config)))
    }

    /// Stores the breaker, and its change of state (if any) in the history.
    fn save_breaker(&self, before: &Breaker, after: &Breaker, now: u64) -> Result<(), JsValue> {
        if before == after {
            return Ok(());
        }
        let json = serde_json::to_string(after).map_err(err)?;
        self.run(
            sql::PUT,
            &[JsValue::from_str(BREAKER_KEY), JsValue::from_str(&json)],
        )?;
        let (from, to) = (before.state_at(now), after.state_at(now));
        if from != to {
            self.transition(&Transition {
                at: now,
                path: None,
                from,
                to,
            })?;
        }
        Ok(())
    }

    /// Records a change of a breaker in the history.
    pub(crate) fn transition(&self, t: &Transition) -> Result<(), JsValue> {
        self.run(
            sql::PUT_TRANSITION,
            &[
                JsValue::from_f64(t.at as f64),
                t.path.as_deref().map_or(JsValue::NULL, JsValue::from_str),
                JsValue::from_str(t.from.name()),
                JsValue::from_str(t.to.name()),
            ],
        )?;
        Ok(())
    }
}

/// Rows as they came from an isolate, cut again (the object trusts no sender's bounds).
fn bounded(rows: Vec<Incident>) -> Vec<Incident> {
    rows.into_iter()
        .take(MAX_BATCH * 2)
        .map(|mut r| {
            r.path = gatewise_core::incidents::path_key(&r.path).to_owned();
            r.id = gatewise_core::incidents::token(&r.id, gatewise_core::incidents::MAX_ID)
                .unwrap_or_default();
            r.ray = r.ray.and_then(|x| {
                gatewise_core::incidents::token(&x, gatewise_core::incidents::MAX_ID)
            });
            r.colo = r.colo.and_then(|x| gatewise_core::incidents::token(&x, 8));
            r.country = r
                .country
                .and_then(|x| gatewise_core::incidents::token(&x, 4));
            r
        })
        .collect()
}

#[wasm_bindgen]
impl HealthStore {
    /// Opens the object's storage (creating its tables when missing) with
    /// the settings of `env` (the worker's `[vars]`).
    #[wasm_bindgen(constructor)]
    pub fn new(sql: SqlStorage, env: &Env) -> Result<HealthStore, JsValue> {
        let config = super::state::read_config(env).map_err(err)?;
        let store = HealthStore {
            sql,
            settings: config.shared,
            breaker_config: config.guard.origin,
            reports: ReportCap::default(),
            last_prune: 0,
        };
        for q in sql::SCHEMA {
            store.run(q, &[])?;
        }
        Ok(store)
    }

    /// `sync`: an isolate's rows (and visitors' reports, capped per minute
    /// for all isolates together); answers a [`SyncReply`].
    pub fn sync(&mut self, payload: &str, now: f64) -> Result<String, JsValue> {
        let now = now as u64;
        let req: SyncRequest = serde_json::from_str(payload).map_err(err)?;
        let mut rows = bounded(req.rows);
        let reports = bounded(req.reports);
        let minute = now / 60_000;
        if self.reports.minute != minute {
            self.reports = ReportCap { minute, taken: 0 };
        }
        let room = self
            .settings
            .reports_per_minute
            .saturating_sub(self.reports.taken);
        let take = usize::try_from(room)
            .unwrap_or(usize::MAX)
            .min(reports.len());
        let refused = u32::try_from(reports.len() - take).unwrap_or(u32::MAX);
        self.reports.taken = self
            .reports
            .taken
            .saturating_add(u32::try_from(take).unwrap_or(u32::MAX));
        rows.extend(reports.into_iter().take(take).map(|mut r| {
            // Whatever the sender said, a report is the visitor's word.
            r.source = Source::Visitor;
            r
        }));
        self.store_rows(&rows)?;
        self.prune(now)?;
        let before = self.breaker()?;
        let mut breaker = before.clone();
        Run::apply(&req.outcomes, &mut breaker, now);
        self.save_breaker(&before, &breaker, now)?;
        let reply = SyncReply {
            stored: u32::try_from(rows.len()).unwrap_or(u32::MAX),
            refused,
            breaker: Some(breaker),
        };
        serde_json::to_string(&reply).map_err(err)
    }

    /// `view`: the owner's view of a window ([`ViewRequest`] → [`ViewReply`]).
    pub fn view(&self, payload: &str, now: f64) -> Result<String, JsValue> {
        let now = now as u64;
        let req: ViewRequest = serde_json::from_str(payload).map_err(err)?;
        let mut b = ViewBuilder::new(req.window, now, true);
        let from = b.from();
        let from_js = JsValue::from_f64(from as f64);
        let counts: Vec<(String, String, String, u64)> = self.json(
            sql::COUNTS,
            &[
                JsValue::from_f64((from / 60_000) as f64),
                from_js.clone(),
                JsValue::from_f64(req.window.bucket_ms() as f64),
            ],
        )?;
        for (source, dim, key, n) in counts {
            let Some(source) = Source::from_name(&source) else {
                continue;
            };
            let dim = match dim.as_str() {
                "t" => Dimension::Type,
                "h" => Dimension::Hop,
                "s" => Dimension::Status,
                "v" => {
                    b.add_total(source, n);
                    Dimension::Served
                }
                _ => {
                    b.add_bucket(source, key.parse().unwrap_or(0), n);
                    continue;
                }
            };
            b.add_count(source, dim, &key, n);
        }
        let paths: Vec<(String, String, u64)> =
            self.json(sql::PATHS, &[from_js.clone(), JsValue::from_f64(500.0)])?;
        for (source, path, n) in paths {
            if let Some(source) = Source::from_name(&source) {
                b.add_count(source, Dimension::Path, &path, n);
            }
        }
        let latest: Vec<Incident> = self.json(
            &sql::latest(),
            &[
                from_js.clone(),
                JsValue::from_f64(gatewise_core::incidents::view::MAX_LATEST as f64),
            ],
        )?;
        for r in latest {
            b.latest(r);
        }
        let changes: Vec<Transition> =
            self.json(sql::TRANSITIONS, std::slice::from_ref(&from_js))?;
        for t in changes {
            b.transition(t);
        }
        let outages: Vec<Outage> = self.json(sql::OUTAGES, std::slice::from_ref(&from_js))?;
        for o in outages {
            b.outage(o);
        }
        if let Some(id) = req
            .id
            .as_deref()
            .and_then(|i| gatewise_core::incidents::token(i, gatewise_core::incidents::MAX_ID))
        {
            let found: Vec<Incident> = self.json(&sql::find(), &[JsValue::from_str(&id)])?;
            b.asked(&id, found.into_iter().next());
        }
        let stored = self.number(sql::COUNT_ROWS)?;
        b.stored(
            self.settings.retention,
            stored,
            Some(self.sql.database_size().max(0.0) as u64),
        );
        let rows: Vec<Incident> = if req.rows {
            self.json(
                &sql::export(),
                &[from_js, JsValue::from_f64(f64::from(MAX_EXPORT))],
            )?
        } else {
            Vec::new()
        };
        serde_json::to_string(&ViewReply {
            view: b.finish(),
            rows,
        })
        .map_err(err)
    }

    /// `robot`: one run of the monitoring robot; opens or closes an outage.
    pub fn robot(&mut self, payload: &str, now: f64) -> Result<String, JsValue> {
        let req: RobotRequest = serde_json::from_str(payload).map_err(err)?;
        let mut rows = bounded(req.rows);
        for r in &mut rows {
            r.source = Source::Robot;
        }
        self.store_rows(&rows)?;
        let open: Vec<Outage> = self.json(sql::OPEN_OUTAGE, &[])?;
        let (after, change) = outage::apply(open.into_iter().next(), &req.run);
        if let Some(o) = &after {
            self.run(
                sql::PUT_OUTAGE,
                &[
                    JsValue::from_f64(o.started as f64),
                    o.ended
                        .map_or(JsValue::NULL, |e| JsValue::from_f64(e as f64)),
                    JsValue::from_str(&serde_json::to_string(o).map_err(err)?),
                ],
            )?;
        }
        self.prune(now as u64)?;
        serde_json::to_string(&RobotReply {
            change,
            outage: after,
        })
        .map_err(err)
    }

    /// `admit`: whether an isolate's request may go to the origin now — the
    /// half-open probe's lease, one for all isolates per cool-down
    /// ([`AdmitReply`]).
    pub fn admit(&self, now: f64) -> Result<String, JsValue> {
        let now = now as u64;
        let before = self.breaker()?;
        let mut breaker = before.clone();
        let admission = breaker.allow(now);
        self.save_breaker(&before, &breaker, now)?;
        serde_json::to_string(&AdmitReply::new(admission, breaker)).map_err(err)
    }

    /// The database's size in bytes (`ctx.storage.sql.databaseSize`).
    pub fn size(&self) -> f64 {
        self.sql.database_size()
    }
}
