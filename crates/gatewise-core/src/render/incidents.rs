//! The owner's incident view as one self-contained HTML page: the record of
//! what visitors got over the last hour, day or week ([`View`]).
//!
//! Same rules as the error page: inline CSS only, no script, no external
//! request; `lang`/`dir` on the root, light and dark schemes, logical CSS
//! properties (right to left works), visible focus, real tables with
//! captions and header cells, and the chart an inline SVG with a title and a
//! description that say what it shows (the tables carry the same numbers).
//! Every text comes from the catalogs (`catalogs/<lang>/incidents.toml`);
//! every value from the record (paths, ids, layers) is cleaned and escaped.
//!
//! # Example
//! ```
//! use gatewise_core::incidents::{Incident, Served, ViewBuilder, Window};
//! use gatewise_core::render::incidents::{html, Links};
//! use gatewise_core::{Diagnosis, ErrorType, Lang, Layer};
//! let now = 1_777_636_800_000;
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
//! let mut b = ViewBuilder::new(Window::Hour, now, true);
//! b.add(&Incident::observed(&d, Served::Page, "/<script>", now - 1_000, "gw-0a1b"));
//! let page = html(&b.finish(), Lang::EN, &Links::default());
//! assert!(page.starts_with("<!doctype html>"));
//! assert!(page.contains(r#"id="gw-0a1b""#));
//! assert!(page.contains("/&lt;script&gt;") && !page.contains("<script>"));
//! assert!(page.contains("<svg") && page.contains("role=\"img\""));
//! ```

use crate::escape::{clean, escape, escape_into, SHORT};
use crate::i18n::{self, Lang};
use crate::incidents::view::{Counts, Dimension, OTHER_PATHS, UNCLASSIFIED};
use crate::incidents::{rfc3339, Incident, Outage, Source, Transition, View, Window};
use crate::render::words::t;
use crate::{ErrorType, Hop, Layer};

/// The page's only style sheet: the error page's palette (contrast ≥ 4.5:1
/// in both schemes), logical properties only.
const CSS: &str = "\
:root{color-scheme:light dark;--bg:#fff;--fg:#202124;--mut:#5f6368;--ln:#dadce0;--box:#f1f3f4;\
--bad:#c5221f;--vis:#8430ce;--a:#0b57d0}\
@media(prefers-color-scheme:dark){:root{--bg:#202124;--fg:#e8eaed;--mut:#bdc1c6;--ln:#5f6368;\
--box:#303134;--bad:#f28b82;--vis:#d7aefb;--a:#8ab4f8}}\
*{box-sizing:border-box}\
body{margin:0;background:var(--bg);color:var(--fg);text-align:start;\
font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif}\
main{max-inline-size:64rem;margin-inline:auto;padding:1.5rem 1.25rem 3rem}\
h1{font-size:1.75rem;line-height:1.25;margin-block:0 .5rem}\
h2{font-size:1.2rem;margin-block:2rem .5rem}\
h3{font-size:1rem;margin-block:1rem .25rem}\
p{margin-block:0 1rem}\
a{color:var(--a)}\
:focus-visible{outline:3px solid var(--a);outline-offset:2px;border-radius:2px}\
nav ul{list-style:none;padding:0;margin:0 0 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\
nav a[aria-current]{font-weight:700;color:var(--fg)}\
.mut{color:var(--mut)}.nh{font-size:1rem;margin:0}\
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:0 1.5rem}\
.wide{overflow-x:auto}\
table{border-collapse:collapse;inline-size:100%;margin-block-end:1rem;font-size:.95rem}\
caption{text-align:start;font-weight:600;padding-block:.25rem}\
th,td{text-align:start;padding:.3rem .5rem;border-block-end:1px solid var(--ln);vertical-align:top}\
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}\
tr:target,tr.hit{background:var(--box);outline:2px solid var(--a)}\
code{font:.9em ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\
dd{margin:0}\
figure{margin:0 0 1rem}\
svg{display:block;inline-size:100%;block-size:auto}\
svg text{fill:var(--mut);font-size:12px}\
svg .e{fill:var(--bad)}svg .v{fill:var(--vis)}svg .ax{stroke:var(--ln)}\
.key{display:inline-block;inline-size:.8em;block-size:.8em;margin-inline-end:.35em;border-radius:2px}\
.key.e{background:var(--bad)}.key.v{background:var(--vis)}";

/// The addresses the page links to (relative to the view's own URL).
#[derive(Debug, Clone)]
pub struct Links {
    /// The view itself, without a query (`incidents`).
    pub base: String,
}

impl Default for Links {
    fn default() -> Self {
        Links {
            base: "incidents".into(),
        }
    }
}

struct Page {
    s: String,
    lang: Lang,
}

impl Page {
    fn raw(&mut self, s: &str) {
        self.s.push_str(s);
    }
    fn text(&mut self, s: &str) {
        escape_into(&mut self.s, s);
    }
    fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
    fn el(&mut self, tag: &str, text: &str) {
        let name = tag.split(' ').next().unwrap_or(tag);
        self.raw("<");
        self.raw(tag);
        self.raw(">");
        self.text(text);
        self.raw("</");
        self.raw(name);
        self.raw(">");
    }
    fn key_el(&mut self, tag: &str, key: &str) {
        let text = self.t(key);
        self.el(tag, &text);
    }
}

fn code(value: &str) -> String {
    format!("<code>{}</code>", escape(&clean(value, SHORT)))
}

fn type_html(name: &str, lang: Lang) -> String {
    if name == UNCLASSIFIED {
        return escape(&t(lang, "incidents.counts.unclassified"));
    }
    match ErrorType::from_name(name)
        .and_then(|e| i18n::message(lang, &format!("type.{}.title", e.name())))
    {
        Some(title) => format!("{} {}", escape(title), code(name)),
        None => code(name),
    }
}

fn hop_html(name: &str, lang: Lang) -> String {
    match Hop::from_name(name) {
        Some(h) => escape(&t(lang, &format!("hop.{}.name", h.name()))),
        None => escape(&t(lang, "incidents.counts.unknown_hop")),
    }
}

fn layer_text(l: Layer, lang: Lang) -> String {
    i18n::message(lang, &format!("layer.{}", l.name()))
        .map_or_else(|| l.info().display.to_owned(), str::to_owned)
}

/// The page (see the module documentation).
pub fn html(v: &View, lang: Lang, links: &Links) -> String {
    let mut p = Page {
        s: String::with_capacity(32 * 1024),
        lang,
    };
    p.raw(r#"<!doctype html><html lang=""#);
    p.raw(lang.tag());
    p.raw(r#"" dir=""#);
    p.raw(lang.dir());
    p.raw(r#""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">"#);
    p.raw(r#"<meta name="color-scheme" content="light dark"><meta name="robots" content="noindex"><title>"#);
    let title = format!(
        "{} — {}",
        p.t("incidents.title"),
        p.t(&format!("incidents.window.{}", v.window.name()))
    );
    p.text(&title);
    p.raw("</title><style>");
    p.raw(CSS);
    p.raw("</style></head><body><main>");
    p.key_el("h1", "incidents.heading");
    p.key_el(
        "p",
        if v.shared {
            "incidents.shared"
        } else {
            "incidents.local"
        },
    );
    nav(&mut p, v, links);
    if let Some(id) = &v.asked {
        found(&mut p, id, v.found.as_ref());
    }
    chart(&mut p, v);
    p.raw(r#"<section aria-labelledby="gw-edge"><h2 id="gw-edge">"#);
    p.text(&p.t("incidents.counts.heading"));
    p.raw("</h2>");
    counts(&mut p, &v.edge, "e");
    p.raw("</section>");
    p.raw(r#"<section aria-labelledby="gw-vis"><h2 id="gw-vis">"#);
    p.text(&p.t("incidents.visitor.heading"));
    p.raw("</h2>");
    p.key_el(r#"p class="mut""#, "incidents.visitor.note");
    if v.visitor_reported.total == 0 {
        p.key_el("p", "incidents.none");
    } else {
        counts(&mut p, &v.visitor_reported, "v");
    }
    p.raw("</section>");
    breaker(&mut p, &v.breaker);
    robot(&mut p, &v.outages, &v.robot);
    latest(&mut p, &v.latest, v.asked.as_deref());
    storage(&mut p, v);
    p.raw("</main></body></html>\n");
    p.s
}

fn nav(p: &mut Page, v: &View, links: &Links) {
    let base = escape(&clean(&links.base, SHORT));
    p.raw(r#"<nav aria-labelledby="gw-nav"><h2 id="gw-nav" class="mut nh">"#);
    p.text(&p.t("incidents.window.label"));
    p.raw("</h2><ul>");
    for w in Window::ALL {
        p.raw(r#"<li><a href=""#);
        p.raw(&base);
        p.raw("?window=");
        p.raw(w.name());
        p.raw("\"");
        if *w == v.window {
            p.raw(r#" aria-current="page""#);
        }
        p.raw(">");
        p.text(&p.t(&format!("incidents.window.{}", w.name())));
        p.raw("</a></li>");
    }
    for (fmt, key) in [
        ("json", "incidents.export.json"),
        ("csv", "incidents.export.csv"),
    ] {
        p.raw(r#"<li><a href=""#);
        p.raw(&base);
        p.raw("?window=");
        p.raw(v.window.name());
        p.raw("&amp;format=");
        p.raw(fmt);
        p.raw(r#"">"#);
        p.text(&p.t(key));
        p.raw("</a></li>");
    }
    p.raw("</ul></nav>");
    p.key_el(r#"p class="mut""#, "incidents.times");
}

fn found(p: &mut Page, id: &str, row: Option<&Incident>) {
    p.raw(r#"<section aria-labelledby="gw-found"><h2 id="gw-found">"#);
    let heading = i18n::format(
        p.lang,
        "incidents.found.heading",
        &[("id", &clean(id, SHORT))],
    );
    p.text(&heading);
    p.raw("</h2>");
    match row {
        None => p.key_el("p", "incidents.found.missing"),
        Some(r) => {
            let lang = p.lang;
            p.raw("<dl>");
            let rows: [(&str, String); 8] = [
                ("incidents.col.time", escape(&rfc3339(r.at))),
                (
                    "incidents.col.served",
                    escape(&t(lang, &format!("incidents.served.{}", r.served.name()))),
                ),
                ("incidents.col.path", code(&r.path)),
                (
                    "incidents.col.type",
                    type_html(r.error_type.map_or(UNCLASSIFIED, |e| e.name()), lang),
                ),
                (
                    "incidents.col.hop",
                    hop_html(r.hop.map_or("", |h| h.name()), lang),
                ),
                ("incidents.col.layer", escape(&layer_text(r.layer, lang))),
                ("incidents.col.status", status_html(r)),
                ("incidents.col.location", escape(&location(r))),
            ];
            for (k, html) in rows {
                p.raw("<dt>");
                p.text(&t(lang, k));
                p.raw("</dt><dd>");
                p.raw(&html);
                p.raw("</dd>");
            }
            p.raw("</dl>");
        }
    }
    p.raw("</section>");
}

fn status_html(r: &Incident) -> String {
    let sent = if r.status == 0 {
        "—".to_owned()
    } else {
        r.status.to_string()
    };
    match r.received {
        Some(got) => format!("{} ← {}", code(&sent), code(&got.to_string())),
        None => code(&sent),
    }
}

fn location(r: &Incident) -> String {
    match (&r.colo, &r.country) {
        (Some(c), Some(k)) => format!("{c} · {k}"),
        (Some(c), None) => c.clone(),
        (None, Some(k)) => k.clone(),
        (None, None) => "—".into(),
    }
}

/// The chart: one bar per bucket, the edge's observations and the visitors'
/// reports side by side, scaled to the highest.
fn chart(p: &mut Page, v: &View) {
    const W: u64 = 720;
    const H: u64 = 160;
    const TOP: u64 = 16;
    const BOTTOM: u64 = 20;
    let n = v.series.len().max(1) as u64;
    let max = v
        .series
        .iter()
        .chain(v.visitor_series.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let lang = p.lang;
    p.raw(r#"<section aria-labelledby="gw-chart"><h2 id="gw-chart">"#);
    p.text(&t(lang, "incidents.chart.heading"));
    p.raw("</h2><figure>");
    let to = v.from.saturating_add(v.window.length_ms());
    let summary = i18n::format(
        lang,
        "incidents.chart.summary",
        &[
            ("edge", &v.edge.total.to_string()),
            ("visitor", &v.visitor_reported.total.to_string()),
            ("from", &rfc3339(v.from)),
            ("to", &rfc3339(to)),
        ],
    );
    p.raw(&format!(
        r#"<svg viewBox="0 0 {W} {H}" role="img" aria-labelledby="gw-ct gw-cd" xmlns="http://www.w3.org/2000/svg"><title id="gw-ct">"#
    ));
    p.text(&t(lang, "incidents.chart.heading"));
    p.raw(r#"</title><desc id="gw-cd">"#);
    p.text(&summary);
    p.raw("</desc>");
    const PLOT: u64 = H - TOP - BOTTOM;
    let slot = (W * 1000).checked_div(n).unwrap_or(0); // thousandths of a unit
    let half = slot / 2;
    let mut x = 0u64;
    for (e, vis) in v.series.iter().zip(v.visitor_series.iter()) {
        for (bx, count, class) in [(x, *e, "e"), (x.saturating_add(half), *vis, "v")] {
            if count == 0 {
                continue;
            }
            let h = count
                .saturating_mul(PLOT)
                .checked_div(max)
                .unwrap_or(0)
                .clamp(1, PLOT);
            p.raw(&format!(
                r#"<rect class="{class}" x="{}.{:03}" y="{}" width="{}.{:03}" height="{h}"/>"#,
                bx / 1000,
                bx % 1000,
                (TOP + PLOT).saturating_sub(h),
                half / 1000,
                half % 1000,
            ));
        }
        x = x.saturating_add(slot);
    }
    p.raw(&format!(
        r#"<line class="ax" x1="0" y1="{y}" x2="{W}" y2="{y}"/><text x="2" y="12">{max}</text><text x="2" y="{ty}">"#,
        y = TOP + PLOT,
        ty = H - 4
    ));
    p.text(&short_time(v.from, v.window));
    p.raw(&format!(
        r#"</text><text x="{}" y="{}" text-anchor="end">"#,
        W - 2,
        H - 4
    ));
    p.text(&short_time(to, v.window));
    p.raw("</text></svg><figcaption>");
    p.raw(r#"<span class="key e"></span>"#);
    p.text(&t(lang, "incidents.chart.edge"));
    p.raw(r#" &nbsp; <span class="key v"></span>"#);
    p.text(&t(lang, "incidents.chart.visitor"));
    p.raw(r#"<br><span class="mut">"#);
    p.text(&summary);
    p.raw("</span></figcaption></figure></section>");
}

/// A time as the chart's axis shows it: `HH:MM` within a day, the date beyond.
fn short_time(ms: u64, w: Window) -> String {
    let full = rfc3339(ms);
    match w {
        Window::Hour | Window::Day => full.get(11..16).unwrap_or(&full).to_owned(),
        Window::Week => full.get(..10).unwrap_or(&full).to_owned(),
    }
}

/// The count tables of one source: by type, hop, path, status, what was served.
fn counts(p: &mut Page, c: &Counts, id: &str) {
    let lang = p.lang;
    if c.total == 0 {
        p.key_el("p", "incidents.none");
        return;
    }
    p.raw(r#"<div class="grid">"#);
    let dims = [
        (
            Dimension::Type,
            "incidents.counts.by_type",
            "incidents.col.type",
        ),
        (
            Dimension::Hop,
            "incidents.counts.by_hop",
            "incidents.col.hop",
        ),
        (
            Dimension::Status,
            "incidents.counts.by_status",
            "incidents.col.status",
        ),
        (
            Dimension::Served,
            "incidents.counts.by_served",
            "incidents.col.served",
        ),
        (
            Dimension::Path,
            "incidents.counts.by_path",
            "incidents.col.path",
        ),
    ];
    for (dim, caption, col) in dims {
        let rows = c.ranked(dim);
        if rows.is_empty() {
            continue;
        }
        p.raw(&format!(
            r#"<table id="gw-{id}-{}"><caption>"#,
            caption.rsplit('.').next().unwrap_or("")
        ));
        p.text(&t(lang, caption));
        p.raw(r#"</caption><thead><tr><th scope="col">"#);
        p.text(&t(lang, col));
        p.raw(r#"</th><th scope="col" class="n">"#);
        p.text(&t(lang, "incidents.counts.count"));
        p.raw("</th></tr></thead><tbody>");
        for (key, n) in rows {
            let label = match dim {
                Dimension::Type => type_html(key, lang),
                Dimension::Hop => hop_html(key, lang),
                Dimension::Status if key == "0" => "—".into(),
                Dimension::Status => code(key),
                Dimension::Served => {
                    escape(&t(lang, &format!("incidents.served.{}", clean(key, 16))))
                }
                Dimension::Path if key == OTHER_PATHS => {
                    escape(&t(lang, "incidents.counts.other_paths"))
                }
                Dimension::Path => code(key),
            };
            p.raw(r#"<tr><th scope="row">"#);
            p.raw(&label);
            p.raw(r#"</th><td class="n">"#);
            p.raw(&n.to_string());
            p.raw("</td></tr>");
        }
        p.raw("</tbody></table>");
    }
    p.raw("</div>");
}

fn state_text(lang: Lang, s: crate::policy::BreakerState) -> String {
    t(lang, &format!("incidents.breaker.state.{}", s.name()))
}

fn breaker(p: &mut Page, changes: &[Transition]) {
    let lang = p.lang;
    p.raw(r#"<section aria-labelledby="gw-br"><h2 id="gw-br">"#);
    p.text(&t(lang, "incidents.breaker.heading"));
    p.raw("</h2>");
    if changes.is_empty() {
        p.key_el("p", "incidents.breaker.none");
    } else {
        p.raw(r#"<div class="wide"><table><thead><tr>"#);
        for k in [
            "incidents.col.time",
            "incidents.breaker.scope",
            "incidents.breaker.from",
            "incidents.breaker.to",
        ] {
            p.raw(r#"<th scope="col">"#);
            p.text(&t(lang, k));
            p.raw("</th>");
        }
        p.raw("</tr></thead><tbody>");
        for c in changes {
            p.raw("<tr><td>");
            p.text(&rfc3339(c.at));
            p.raw("</td><td>");
            match &c.path {
                Some(path) => p.raw(&code(path)),
                None => p.text(&t(lang, "incidents.breaker.origin")),
            }
            p.raw("</td><td>");
            p.text(&state_text(lang, c.from));
            p.raw("</td><td>");
            p.text(&state_text(lang, c.to));
            p.raw("</td></tr>");
        }
        p.raw("</tbody></table></div>");
    }
    p.raw("</section>");
}

fn robot(p: &mut Page, outages: &[Outage], checks: &Counts) {
    let lang = p.lang;
    p.raw(r#"<section aria-labelledby="gw-rb"><h2 id="gw-rb">"#);
    p.text(&t(lang, "incidents.robot.heading"));
    p.raw("</h2>");
    p.key_el(r#"p class="mut""#, "incidents.robot.note");
    if outages.is_empty() {
        p.key_el("p", "incidents.robot.none");
    } else {
        p.raw(r#"<div class="wide"><table><thead><tr>"#);
        for k in [
            "incidents.robot.started",
            "incidents.robot.ended",
            "incidents.robot.cause",
            "incidents.col.path",
            "incidents.robot.runs",
        ] {
            p.raw(r#"<th scope="col">"#);
            p.text(&t(lang, k));
            p.raw("</th>");
        }
        p.raw("</tr></thead><tbody>");
        for o in outages {
            p.raw("<tr><td>");
            p.text(&rfc3339(o.started));
            p.raw("</td><td>");
            match o.ended {
                Some(e) => p.text(&rfc3339(e)),
                None => {
                    p.raw("<strong>");
                    p.text(&t(lang, "incidents.robot.ongoing"));
                    p.raw("</strong>");
                }
            }
            p.raw("</td><td>");
            p.raw(&type_html(
                o.error_type.map_or(UNCLASSIFIED, |e| e.name()),
                lang,
            ));
            p.raw("</td><td>");
            p.raw(&code(&o.path));
            p.raw(r#"</td><td class="n">"#);
            p.raw(&o.failed_runs.to_string());
            p.raw("</td></tr>");
        }
        p.raw("</tbody></table></div>");
    }
    if checks.total > 0 {
        counts(p, checks, "r");
    }
    p.raw("</section>");
}

fn latest(p: &mut Page, rows: &[Incident], asked: Option<&str>) {
    let lang = p.lang;
    p.raw(r#"<section aria-labelledby="gw-latest"><h2 id="gw-latest">"#);
    p.text(&t(lang, "incidents.latest.heading"));
    p.raw("</h2>");
    if rows.is_empty() {
        p.key_el("p", "incidents.none");
        p.raw("</section>");
        return;
    }
    p.raw(r#"<div class="wide"><table><thead><tr>"#);
    for k in [
        "incidents.col.time",
        "incidents.col.id",
        "incidents.col.source",
        "incidents.col.served",
        "incidents.col.path",
        "incidents.col.type",
        "incidents.col.status",
        "incidents.col.attempts",
        "incidents.col.location",
    ] {
        p.raw(r#"<th scope="col">"#);
        p.text(&t(lang, k));
        p.raw("</th>");
    }
    p.raw("</tr></thead><tbody>");
    for r in rows {
        let id = clean(&r.id, SHORT);
        let hit = asked.is_some_and(|a| a == r.id || r.ray.as_deref() == Some(a));
        p.raw(r#"<tr id=""#);
        p.text(&id);
        p.raw(if hit { r#"" class="hit">"# } else { r#"">"# });
        p.raw("<td>");
        p.text(&rfc3339(r.at));
        p.raw("</td><td>");
        p.raw(&code(&id));
        if let Some(ray) = &r.ray {
            p.raw("<br>");
            p.raw(&code(ray));
        }
        p.raw("</td><td>");
        p.text(&t(lang, &format!("incidents.source.{}", r.source.name())));
        p.raw("</td><td>");
        p.text(&t(lang, &format!("incidents.served.{}", r.served.name())));
        p.raw("</td><td>");
        p.raw(&code(&r.path));
        p.raw("</td><td>");
        p.raw(&type_html(
            r.error_type.map_or(UNCLASSIFIED, |e| e.name()),
            lang,
        ));
        p.raw("</td><td>");
        p.raw(&status_html(r));
        p.raw(r#"</td><td class="n">"#);
        p.raw(&r.attempts.to_string());
        p.raw("</td><td>");
        p.text(&location(r));
        p.raw("</td></tr>");
    }
    p.raw("</tbody></table></div></section>");
}

fn storage(p: &mut Page, v: &View) {
    let lang = p.lang;
    p.raw(r#"<section aria-labelledby="gw-st"><h2 id="gw-st">"#);
    p.text(&t(lang, "incidents.storage.heading"));
    p.raw("</h2><dl>");
    let mut rows = vec![
        ("incidents.storage.rows", v.retention.rows.to_string()),
        ("incidents.storage.days", v.retention.days.to_string()),
        (
            "incidents.storage.aggregate",
            v.retention.aggregate_days.to_string(),
        ),
        ("incidents.storage.stored", v.stored_rows.to_string()),
    ];
    if let Some(b) = v.storage_bytes {
        rows.push(("incidents.storage.bytes", b.to_string()));
    }
    for (k, value) in rows {
        p.raw("<dt>");
        p.text(&t(lang, k));
        p.raw("</dt><dd>");
        p.text(&value);
        p.raw("</dd>");
    }
    p.raw("</dl></section>");
}

/// The page's language names for a source, used by tests and the CSV's readers.
pub fn source_name(s: Source, lang: Lang) -> String {
    t(lang, &format!("incidents.source.{}", s.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{Served, ViewBuilder};
    use crate::policy::BreakerState;
    use crate::{Diagnosis, Layer};

    fn sample(lang: Lang) -> String {
        let now = 1_777_636_800_000;
        let mut b = ViewBuilder::new(Window::Day, now, false);
        let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Workerd);
        for i in 0..30 {
            let mut r = Incident::observed(
                &d,
                Served::Page,
                "/\u{202e}evil\"<b>",
                now - i * 600_000,
                &format!("gw-{i}"),
            );
            if i % 5 == 0 {
                r.source = Source::Visitor;
                r.served = Served::Report;
            }
            b.add(&r);
        }
        b.transition(Transition {
            at: now - 1,
            path: None,
            from: BreakerState::Closed,
            to: BreakerState::Open,
        });
        b.asked("gw-3", None);
        html(&b.finish(), lang, &Links::default())
    }

    #[test]
    fn every_language_renders_without_missing_keys() {
        for lang in Lang::all() {
            let page = sample(lang);
            assert!(
                !page.contains("incidents."),
                "{}: a key shows: {}",
                lang.tag(),
                page
            );
            assert!(page.contains(&format!(
                r#"<html lang="{}" dir="{}">"#,
                lang.tag(),
                lang.dir()
            )));
        }
    }

    #[test]
    fn reflected_values_are_escaped_and_cleaned() {
        let page = sample(Lang::EN);
        assert!(!page.contains("<b>") && !page.contains('\u{202e}'));
        assert!(page.contains("&lt;b&gt;"));
        assert_eq!(page.matches("<h1>").count(), 1);
        assert!(!page.contains("<script"));
        assert!(page.contains(r#"id="gw-3" class="hit""#));
    }
}
