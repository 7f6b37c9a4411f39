//! The [`Transport`] of the browser, Web Workers and Node ≥ 20: the global `fetch`,
//! `JSON.parse`, `Date.now` and WebCrypto, all reached through `globalThis`, so the
//! same build runs wherever those exist.
//!
//! Every request is a CORS simple request: GET, or POST with a form-encoded body, and
//! no header but `Content-Type: application/x-www-form-urlencoded`.

use arcgis_keys::{HttpRequest, HttpResponse, Method, Transport};
use js_sys::{JsString, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

/// The largest answer read, after content decoding: a million usage points as text
/// are about 25 MB. A larger answer is a [`FetchError`] rather than a frozen tab.
pub const MAX_ANSWER_BYTES: u32 = 64 << 20;

#[wasm_bindgen(module = "/js/answers.js")]
extern "C" {
    /// The body as text, refused past `limit` bytes (see `js/answers.js`).
    #[wasm_bindgen(js_name = readText)]
    fn read_text(response: &Response, limit: u32) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, whatever the global object is (window, worker, Node).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;

    /// `JSON.parse` of a JS string, which js-sys's takes only as a Rust `&str`.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_text(text: &JsString) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;

    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = digest)]
    fn digest(algorithm: &str, data: &[u8]) -> Promise;
}

/// Why a request got no answer. Its text never holds the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError(String);

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FetchError {}

/// A client over `fetch` for `portal`, the URL people type or paste: the one way the JS
/// API and the widget make one.
pub fn client_for(portal: &str) -> Result<arcgis_keys::Client<FetchTransport>, arcgis_keys::InputError> {
    Ok(arcgis_keys::Client::new(FetchTransport, arcgis_keys::Portal::new(portal)?))
}

/// `fetch` with WebCrypto; stateless, so one value serves every client.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

/// A rejected promise's reason as text: `TypeError: Failed to fetch`, `TimeoutError: …`.
fn reason(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!("{}: {}", String::from(error.name()), String::from(error.message())),
        None => error.as_string().unwrap_or_else(|| "unknown error".into()),
    }
}

impl Transport for FetchTransport {
    type Error = FetchError;
    type Body = JsString;
    type Json = JsValue;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse<JsString>, FetchError> {
        let init = RequestInit::new();
        init.set_signal(Some(&AbortSignal::timeout_with_u32(request.timeout_ms)));
        // A redirect would re-send the body (a password, a token, a client secret) to
        // wherever the `Location` points: the portal never redirects an API call.
        init.set_redirect(web_sys::RequestRedirect::Error);
        if request.method == Method::Post {
            init.set_method("POST");
            let headers = js_sys::Object::new();
            js_sys::Reflect::set(&headers, &"content-type".into(), &"application/x-www-form-urlencoded".into())
                .expect("setting a property of a new object");
            init.set_headers(&headers);
            init.set_body(&JsValue::from_str(&request.body));
        }
        let failed = |error: JsValue| {
            let reason = reason(&error);
            if reason.starts_with("TimeoutError") {
                FetchError(format!("no answer within {} ms", request.timeout_ms))
            } else {
                FetchError(reason)
            }
        };
        let response: Response =
            JsFuture::from(global_fetch(&request.url, &init)).await.map_err(failed)?.unchecked_into();
        let status = response.status();
        let body = JsFuture::from(read_text(&response, MAX_ANSWER_BYTES)).await.map_err(failed)?;
        let body = body.dyn_into::<JsString>().unwrap_or_else(|_| JsString::from(""));
        Ok(HttpResponse { status, body })
    }

    /// The engine's message is dropped: V8 quotes the text it chokes on, which may be a key.
    fn body_text(&self, body: &JsString) -> Option<String> {
        Some(String::from(body))
    }

    fn parse_json(&self, body: &JsString) -> Result<JsValue, String> {
        parse_text(body).map_err(|_| "the answer is not JSON".to_owned())
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, json: &JsValue) -> Result<T, String> {
        crate::js_value::from_value(json.clone()).map_err(|error| error.to_string())
    }

    fn json_number(&self, number: f64) -> String {
        js_sys::JSON::stringify(&JsValue::from_f64(number)).map(String::from).unwrap_or_else(|_| "null".to_owned())
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn random_bytes(&self, buf: &mut [u8]) {
        get_random_values(buf);
    }

    async fn sleep(&self, ms: u32) {
        let timer = Promise::new(&mut |resolve, _| {
            set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
        });
        let _ = JsFuture::from(timer).await;
    }

    async fn sha256(&self, data: &[u8]) -> [u8; 32] {
        let digest = JsFuture::from(digest("SHA-256", data)).await.expect("WebCrypto computes SHA-256");
        let mut out = [0u8; 32];
        Uint8Array::new(&digest).copy_to(&mut out);
        out
    }
}
