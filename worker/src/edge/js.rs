//! Small helpers over the JS objects the runtime hands us.

use gatewise_core::classify::TransportError;
use gatewise_core::Layer;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use crate::answer::Answer;

/// A header's value, `None` when absent (or unreadable). Names are
/// interned: each crosses into JS once per isolate, not once per call.
pub fn header(h: &web_sys::Headers, name: &'static str) -> Option<String> {
    h.get(wasm_bindgen::intern(name)).ok().flatten()
}

/// `name`, interned (see [`header`]).
pub fn n(name: &'static str) -> &'static str {
    wasm_bindgen::intern(name)
}

fn text_prop(v: &JsValue, name: &str) -> Option<String> {
    Reflect::get(v, &JsValue::from_str(name))
        .ok()
        .and_then(|x| x.as_string())
}

/// A thrown JS value as the core's transport error (name, message,
/// workerd's `retryable`, and one level of `cause`), reported by workerd.
pub fn transport_error(e: &JsValue) -> TransportError {
    fn level(e: &JsValue, depth: u8) -> TransportError {
        let message = text_prop(e, "message")
            .or_else(|| e.as_string())
            .unwrap_or_default();
        let retryable = Reflect::get(e, &JsValue::from_str("retryable"))
            .ok()
            .and_then(|x| x.as_bool());
        let cause = Reflect::get(e, &JsValue::from_str("cause"))
            .ok()
            .filter(|c| depth < 3 && !c.is_undefined() && !c.is_null())
            .map(|c| Box::new(level(&c, depth + 1)));
        TransportError {
            runtime: Some(Layer::Workerd),
            name: text_prop(e, "name"),
            message,
            code: text_prop(e, "code"),
            retryable,
            cause,
        }
    }
    level(e, 0)
}

/// A response with `status`, `headers` and a string body.
pub fn response(
    status: u16,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Result<web_sys::Response, JsValue> {
    let h = web_sys::Headers::new()?;
    for (n, v) in headers {
        h.append(n, v)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    init.set_headers(&h);
    web_sys::Response::new_with_opt_str_and_init(body, &init)
}

/// The worker's own answer as a response.
pub fn answer(a: &Answer) -> Result<web_sys::Response, JsValue> {
    let headers: Vec<(&str, String)> = a.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
    response(a.status, &headers, Some(&a.body))
}

/// Every header of `h`, lowercase names, at most 256.
pub fn all_headers(h: &web_sys::Headers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(Some(iter)) = js_sys::try_iter(h) else {
        return out;
    };
    for entry in iter.take(256).flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((n, v));
        }
    }
    out
}

/// The global scope (for fetch and caches).
pub fn global() -> web_sys::WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Reads at most `max` bytes of a body stream, then cancels the rest.
pub async fn read_prefix(stream: Option<web_sys::ReadableStream>, max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(stream) = stream else {
        return out;
    };
    let reader: web_sys::ReadableStreamDefaultReader = match stream.get_reader().dyn_into() {
        Ok(r) => r,
        Err(_) => return out,
    };
    while out.len() < max {
        let Ok(chunk) = wasm_bindgen_futures::JsFuture::from(reader.read()).await else {
            break;
        };
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        if let Ok(v) = Reflect::get(&chunk, &JsValue::from_str("value")) {
            let bytes = js_sys::Uint8Array::new(&v);
            let take = (max - out.len()).min(bytes.length() as usize);
            out.extend(bytes.subarray(0, take as u32).to_vec());
        }
    }
    let _ = reader.cancel();
    out
}
