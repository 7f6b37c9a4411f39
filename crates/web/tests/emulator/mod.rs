//! The emulator's control surface for tests in a JavaScript engine: typed faults and the
//! request log, over the global `fetch`. No JS snippet module: the test page must fetch
//! as few modules as it can (see `tests/js/wasm-bindgen.test.mjs`).

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// `globalThis.fetch`: named so that this import differs from the crate's own
    /// binding of the same function (two identical ones collide at link time).
    #[wasm_bindgen(js_namespace = globalThis, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
}

/// Read when the test is built, so that clippy builds it without a running emulator.
const BASE: Option<&str> = option_env!("ARCGIS_EMULATOR");
const TOKEN: Option<&str> = option_env!("ARCGIS_EMULATOR_CONTROL");

/// The emulator the test build was pointed at (`ARCGIS_EMULATOR`, `ARCGIS_EMULATOR_CONTROL`).
pub struct Emulator {
    pub base: &'static str,
    token: &'static str,
}

/// What an armed fault does to its request: the kinds of the emulator's `FaultKind`
/// these tests use, under the same names.
pub enum Fault {
    /// The request waits this long, then proceeds.
    Delay { ms: u32 },
    /// The connection drops before an answer.
    Drop,
    /// HTTP 200 with a JSON body cut short.
    MalformedJson,
}

impl Fault {
    fn fields(&self) -> String {
        match self {
            Fault::Delay { ms } => format!(r#""kind":"delay","ms":{ms}"#),
            Fault::Drop => r#""kind":"drop""#.to_owned(),
            Fault::MalformedJson => r#""kind":"malformedJson""#.to_owned(),
        }
    }
}

impl Emulator {
    pub fn from_build_env() -> Self {
        Self {
            base: BASE.expect("build with ARCGIS_EMULATOR set to a running emulator's origin"),
            token: TOKEN.expect("build with ARCGIS_EMULATOR_CONTROL set to the emulator's control token"),
        }
    }

    /// The portal's REST root.
    pub fn rest(&self) -> String {
        format!("{}/sharing/rest", self.base)
    }

    /// Text no other run uses, for paths that faults are armed on.
    pub fn unique(&self) -> String {
        let mut bytes = [0u8; 8];
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Arms `fault` for the `nth` request (from 1) whose path contains `path`.
    pub async fn arm(&self, path: &str, fault: Fault, nth: u32) {
        let body = format!(r#"{{"path":"{path}","nth":{nth},{}}}"#, fault.fields());
        let response = self.call("POST", "/faults", Some(&body)).await;
        assert!(response.ok(), "arming {body}: HTTP {}", response.status());
    }

    /// The header names of the last request the portal saw.
    pub async fn last_request_headers(&self) -> Vec<String> {
        let response = self.call("GET", "/log", None).await;
        let log = JsFuture::from(response.json().expect("a body")).await.expect("the log is JSON");
        let entries: Array = Reflect::get(&log, &"entries".into()).expect("entries").unchecked_into();
        let last = entries.at(-1);
        let headers: Array = Reflect::get(&last, &"headers".into()).expect("headers").unchecked_into();
        headers.iter().filter_map(|name| name.as_string()).collect()
    }

    async fn call(&self, method: &str, path: &str, body: Option<&str>) -> Response {
        let headers = Object::new();
        Reflect::set(&headers, &"x-emulator-control".into(), &self.token.into()).expect("a new object");
        Reflect::set(&headers, &"content-type".into(), &"application/json".into()).expect("a new object");
        let init = RequestInit::new();
        init.set_method(method);
        init.set_headers(&headers);
        if let Some(body) = body {
            init.set_body(&body.into());
        }
        let url = format!("{}/__emulator{path}", self.base);
        JsFuture::from(global_fetch(&url, &init)).await.expect("the control surface answers").unchecked_into()
    }
}
