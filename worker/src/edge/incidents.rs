//! The owner's incident view: `RESERVED_PREFIX` + `incidents`, behind the
//! debug token (without it: the same 404 as any unknown path under the
//! prefix). `?window=hour|day|week` (default hour), `?id=` a request id (or
//! `cf-ray`) to look up, `?format=html|json|csv` or the `Accept` header.
//! From the origin's object when one is bound (every isolate's incidents),
//! else — or when it does not answer — this isolate's own recent rows, said so.

use gatewise_core::incidents::{csv, ViewBuilder, Window};
use gatewise_core::render::incidents::{html, Links};
use serde_json::json;
use wasm_bindgen::JsValue;

use super::js::{self, header};
use super::proxy::viewer_of;
use super::{endpoints, shared, state};
use crate::config::Config;
use crate::headers::SECURITY_HEADERS;
use crate::route::UrlParts;
use crate::shared::{ViewReply, ViewRequest};

/// The view's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Json,
    Csv,
}

/// One query parameter's value (first occurrence, percent-decoding not needed for our values).
fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub async fn endpoint(
    req: &web_sys::Request,
    config: &Config,
    parts: UrlParts<'_>,
) -> Result<web_sys::Response, JsValue> {
    let viewer = viewer_of(req, config);
    if !viewer.owner {
        return endpoints::not_found(req, config);
    }
    let query = parts.path_and_query.split_once('?').map_or("", |(_, q)| q);
    let window = param(query, "window")
        .and_then(Window::from_name)
        .unwrap_or(Window::Hour);
    let accept = header(&req.headers(), "accept").unwrap_or_default();
    let format = match param(query, "format") {
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some(_) => Format::Html,
        None if accept.contains("application/json") => Format::Json,
        None if accept.contains("text/csv") => Format::Csv,
        None => Format::Html,
    };
    let id = param(query, "id").map(str::to_owned);
    let request = ViewRequest {
        window,
        id: id.clone(),
        rows: format == Format::Csv || param(query, "rows") == Some("1"),
    };
    let object = config
        .origin_for(parts)
        .map(|o| crate::shared::object_name(&o.base))
        .unwrap_or_default();
    let reply = match shared::view(&object, &request).await {
        Ok(r) => r,
        Err(_) => local(&request, config),
    };
    let mut headers: Vec<(&str, String)> = SECURITY_HEADERS
        .iter()
        .map(|(n, v)| (*n, (*v).to_owned()))
        .collect();
    headers.push((
        "x-gatewise-record",
        if reply.view.shared { "shared" } else { "local" }.into(),
    ));
    match format {
        Format::Html => {
            headers.push(("content-type", "text/html; charset=utf-8".into()));
            headers.push(("content-language", viewer.lang.tag().into()));
            let links = Links {
                base: format!("{}incidents", config.reserved_prefix),
            };
            js::response(200, &headers, Some(&html(&reply.view, viewer.lang, &links)))
        }
        Format::Json => {
            headers.push(("content-type", "application/json".into()));
            let mut body = serde_json::to_value(&reply.view).unwrap_or_default();
            if request.rows {
                if let Some(o) = body.as_object_mut() {
                    o.insert("rows".into(), json!(reply.rows));
                }
            }
            js::response(200, &headers, Some(&body.to_string()))
        }
        Format::Csv => {
            headers.push(("content-type", "text/csv; charset=utf-8".into()));
            headers.push((
                "content-disposition",
                format!(
                    "attachment; filename=\"gatewise-incidents-{}.csv\"",
                    window.name()
                ),
            ));
            js::response(200, &headers, Some(&csv::write(&reply.rows)))
        }
    }
}

/// The view of this isolate's own recent rows.
fn local(req: &ViewRequest, config: &Config) -> ViewReply {
    let now = state::now_ms();
    let mut b = ViewBuilder::new(req.window, now, false);
    let rows = shared::local_rows();
    for r in &rows {
        b.add(r);
    }
    if let Some(id) = &req.id {
        let found = rows
            .iter()
            .rev()
            .find(|r| &r.id == id || r.ray.as_deref() == Some(id.as_str()))
            .cloned();
        b.asked(id, found);
    }
    let from = b.from();
    let stored = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    b.stored(config.shared.retention, stored, None);
    ViewReply {
        view: b.finish(),
        rows: if req.rows {
            rows.into_iter().filter(|r| r.at >= from).collect()
        } else {
            Vec::new()
        },
    }
}
