//! Small helpers over the JS objects the runtime hands us.

use gatewise_core::classify::TransportError;
use gatewise_core::Layer;
use js_sys::Reflect;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::answer::Answer;
use crate::headers::{RequestFacts, FACT_HEADERS};

#[wasm_bindgen(module = "/js/forward.js")]
extern "C" {
    #[wasm_bindgen(js_name = requestFacts)]
    fn request_facts_line(request: &web_sys::Request, names: &js_sys::Array) -> String;

    /// The origin fetch of one attempt: the request's method and headers
    /// with `edits` applied (`headers::encode_edits`), `body` (none, bytes,
    /// or `true`: the request's own body, streamed), redirects not followed,
    /// `timeout_ms` to the response headers (0: none). The promise rejects
    /// with the runtime's error, a `GatewiseTimeout` or a `GatewiseClientBody`
    /// (see [`rejected`]).
    #[wasm_bindgen(catch)]
    pub fn forward(
        request: &web_sys::Request,
        target: &str,
        edits: &str,
        body: Option<&JsValue>,
        timeout_ms: u32,
    ) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = answer)]
    fn answer_js(
        status: u16,
        header_lines: &str,
        body: &[u8],
    ) -> Result<web_sys::Response, JsValue>;

    /// `ms` (Unix time) written for a reader of the language `lang` (a catalog
    /// tag), in UTC, by the runtime's `Intl.DateTimeFormat`: dates and times
    /// are formatted where the date data already is, never in the Wasm.
    #[wasm_bindgen(js_name = localTime)]
    pub fn local_time(ms: f64, lang: &str) -> String;

    /// One header of a response (`None`: absent), in one call into JS.
    #[wasm_bindgen(js_name = responseHeader)]
    pub fn response_header(response: &web_sys::Response, name: &str) -> Option<String>;
}

thread_local! {
    /// [`FACT_HEADERS`] as a JS array, built once per isolate.
    static FACT_NAMES: js_sys::Array = FACT_HEADERS.iter().map(|n| JsValue::from_str(n)).collect();
}

/// The request's URL, method and [`FACT_HEADERS`] in one call into JS.
pub fn request_facts(req: &web_sys::Request) -> Option<RequestFacts> {
    let line = FACT_NAMES.with(|names| request_facts_line(req, names));
    RequestFacts::decode(&line)
}

/// A header's value, `None` when absent (or unreadable).
pub fn header(h: &web_sys::Headers, name: &str) -> Option<String> {
    h.get(name).ok().flatten()
}

fn text_prop(v: &JsValue, name: &str) -> Option<String> {
    Reflect::get(v, &JsValue::from_str(name))
        .ok()
        .and_then(|x| x.as_string())
}

/// What a rejected attempt says: the visitor's own request body failed
/// (`forward.js`'s `GatewiseClientBody`, with the runtime's words), or a
/// transport error to classify.
pub enum Rejected {
    /// The visitor's request body broke off or was malformed.
    ClientBody(String),
    /// Anything else.
    Transport(TransportError),
}

/// A rejection of [`forward`]'s promise, told apart.
pub fn rejected(e: &JsValue) -> Rejected {
    if text_prop(e, "name").as_deref() == Some("GatewiseClientBody") {
        return Rejected::ClientBody(text_prop(e, "message").unwrap_or_default());
    }
    Rejected::Transport(transport_error(e))
}

/// A thrown JS value as the core's transport error (name, message,
/// workerd's `retryable`, and up to three levels of `cause`), reported by
/// workerd — or by this worker when it is `forward.js`'s `GatewiseTimeout`.
pub fn transport_error(e: &JsValue) -> TransportError {
    if text_prop(e, "name").as_deref() == Some("GatewiseTimeout") {
        return TransportError {
            runtime: Some(Layer::Gatewise),
            name: Some("TimeoutError".into()),
            message: text_prop(e, "message").unwrap_or_default(),
            ..TransportError::default()
        };
    }
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

/// A response with `status`, `headers` and a string body, built in one call
/// into JS (`worker/js/forward.js`), the body passed as bytes.
pub fn response(
    status: u16,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Result<web_sys::Response, JsValue> {
    answer_js(
        status,
        &crate::headers::encode_header_lines(headers),
        body.unwrap_or_default().as_bytes(),
    )
}

/// The worker's own answer as a response.
pub fn answer(a: &Answer) -> Result<web_sys::Response, JsValue> {
    answer_js(
        a.status,
        &crate::headers::encode_header_lines(&a.headers),
        a.body.as_bytes(),
    )
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
