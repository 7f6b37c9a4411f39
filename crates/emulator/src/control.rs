//! The test harness around the portal: the intake middleware every request passes, and
//! the control surface under `/__emulator/` (only when enabled).
//!
//! Portal traffic (`/sharing/rest/…`, `/arcgis/rest/…`) is logged, delayed by the
//! configured latency, and may be hit by an armed fault. Faults fire once, on the Nth
//! request whose path contains the fault's `path`, and either replace the request
//! (`phase: "before"`, the portal never sees it) or its answer (`phase: "after"`, the
//! portal did the work and the client never hears of it).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Shared;
use crate::behaviour::Behaviour;
use crate::error::ApiError;
use crate::params::{Params, Source};

const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
const MAX_LOG_ENTRIES: usize = 100_000;

/// A fault kind the control surface can inject.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// HTTP 500 with an HTML body, as a failing gateway sends.
    Http500,
    /// The connection drops before a complete response.
    Drop,
    /// HTTP 200 with an error body (`code`, `message` configurable; default 500).
    ErrorJson,
    /// HTTP 200 with the 498 "Invalid token." body.
    ExpiredToken,
    /// The request waits `ms` milliseconds, then proceeds (a client timeout test).
    Delay,
    /// HTTP 200 with a JSON body cut short.
    MalformedJson,
    /// HTTP 200 with `{"success":true}`, and nothing done: how `revokeToken` answers a
    /// token it does not know.
    FalseSuccess,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    #[default]
    Before,
    After,
}

/// `POST /__emulator/faults` body.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// Matches requests whose path contains this text (`registerApp`, `/oauth2/token`).
    pub path: String,
    /// Fire on the Nth matching request after arming (1 = the next one).
    #[serde(default = "one")]
    pub nth: u32,
    pub kind: FaultKind,
    #[serde(default)]
    pub phase: Phase,
    /// Only requests with this method (`GET`/`POST`) count.
    pub method: Option<String>,
    /// For `delay`.
    pub ms: Option<u64>,
    /// For `errorJson`.
    pub code: Option<u16>,
    pub message: Option<String>,
}

fn one() -> u32 {
    1
}

impl FaultKind {
    /// Every kind: the one list that the docs, the tests' matrices and the control
    /// surface's parser share (a test checks ARCHITECTURE.md names exactly these).
    pub const ALL: [FaultKind; 7] = [
        FaultKind::Http500,
        FaultKind::Drop,
        FaultKind::ErrorJson,
        FaultKind::ExpiredToken,
        FaultKind::Delay,
        FaultKind::MalformedJson,
        FaultKind::FalseSuccess,
    ];

    /// The name the control surface takes (`http500`, `malformedJson`).
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Http500 => "http500",
            FaultKind::Drop => "drop",
            FaultKind::ErrorJson => "errorJson",
            FaultKind::ExpiredToken => "expiredToken",
            FaultKind::Delay => "delay",
            FaultKind::MalformedJson => "malformedJson",
            FaultKind::FalseSuccess => "falseSuccess",
        }
    }
}

impl std::fmt::Display for FaultKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed fault for Rust tests: `FaultSpec::new("/update", FaultKind::Http500).nth(2)`.
impl FaultSpec {
    /// `kind` on the next request whose path contains `path`, before the portal sees it.
    pub fn new(path: impl Into<String>, kind: FaultKind) -> Self {
        Self {
            path: path.into(),
            nth: 1,
            kind,
            phase: Phase::Before,
            method: None,
            ms: None,
            code: None,
            message: None,
        }
    }

    /// On the `nth` matching request instead (1 = the next one).
    pub fn nth(self, nth: u32) -> Self {
        Self { nth, ..self }
    }

    /// After the portal did the work: the answer is lost, not the request.
    pub fn after(self) -> Self {
        Self { phase: Phase::After, ..self }
    }

    /// How long a `delay` waits.
    pub fn ms(self, ms: u64) -> Self {
        Self { ms: Some(ms), ..self }
    }

    /// The code and message of an `errorJson` body.
    pub fn error(self, code: u16, message: &str) -> Self {
        Self { code: Some(code), message: Some(message.to_owned()), ..self }
    }
}

#[derive(Serialize, Clone, Debug)]
struct ArmedFault {
    id: u64,
    spec: FaultSpec,
    seen: u32,
}

/// One line of the request log. Secrets are redacted; times are microseconds since the
/// emulator started, so tests can see which requests overlapped.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: serde_json::Map<String, Value>,
    pub body: serde_json::Map<String, Value>,
    /// Names of the request headers, lowercase: custom ones break CORS simple requests.
    pub headers: Vec<String>,
    pub status: Option<u16>,
    pub start_us: u64,
    pub end_us: Option<u64>,
    pub fault: Option<FaultKind>,
}

/// The header that carries the control surface's per-run secret.
pub const TOKEN_HEADER: &str = "x-emulator-control";

/// The harness's state, beside the portal's (it is not portal data, so not persisted).
pub struct Control {
    started: Instant,
    /// Every control call must carry this ([`TOKEN_HEADER`]).
    token: String,
    inner: Mutex<ControlState>,
}

#[derive(Default)]
struct ControlState {
    latency_ms: u64,
    faults: Vec<ArmedFault>,
    next_fault_id: u64,
    log: std::collections::VecDeque<LogEntry>,
    next_seq: u64,
}

impl Control {
    pub(crate) fn new(token: String) -> Self {
        Self { started: Instant::now(), token, inner: Mutex::new(ControlState::default()) }
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ControlState> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn micros(&self) -> u64 {
        self.started.elapsed().as_micros() as u64
    }

    /// Logs the request's arrival and picks the fault, if any, it triggers.
    fn begin(&self, method: &str, path: &str, params: &Params, headers: &HeaderMap) -> (u64, u64, Option<FaultSpec>) {
        let start_us = self.micros();
        let mut inner = self.lock();
        inner.next_seq += 1;
        let seq = inner.next_seq;
        let mut fired = None;
        for armed in inner.faults.iter_mut() {
            let method_matches = armed.spec.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
            if method_matches && path.contains(&armed.spec.path) {
                armed.seen += 1;
                if fired.is_none() && armed.seen >= armed.spec.nth {
                    fired = Some(armed.id);
                }
            }
        }
        let fault = fired.and_then(|id| {
            let at = inner.faults.iter().position(|f| f.id == id)?;
            Some(inner.faults.remove(at).spec)
        });
        let mut names: Vec<String> = headers.keys().map(|k| k.as_str().to_owned()).collect();
        names.sort();
        names.dedup();
        if inner.log.len() >= MAX_LOG_ENTRIES {
            inner.log.pop_front();
        }
        inner.log.push_back(LogEntry {
            seq,
            method: method.to_owned(),
            path: path.to_owned(),
            query: params.redacted(Source::Query),
            body: params.redacted(Source::Body),
            headers: names,
            status: None,
            start_us,
            end_us: None,
            fault: fault.as_ref().map(|f| f.kind),
        });
        (seq, inner.latency_ms, fault)
    }

    fn finish(&self, seq: u64, status: u16) {
        let end_us = self.micros();
        let mut inner = self.lock();
        if let Some(entry) = inner.log.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = Some(status);
            entry.end_us = Some(end_us);
        }
    }

    fn clear(&self) {
        let mut inner = self.lock();
        inner.latency_ms = 0;
        inner.faults.clear();
        inner.log.clear();
    }
}

/// Is this path portal traffic (logged, delayed, faultable), as opposed to the static
/// site or the control surface itself?
fn is_portal_traffic(path: &str) -> bool {
    path.starts_with("/sharing/rest") || path.starts_with("/arcgis/rest")
}

/// Runs before every handler: reads the body once into [`Params`], and applies the
/// harness to portal traffic.
pub(crate) async fn intake(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::bad_request("The request body is too large or was cut short.").into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let header_token = parts
        .headers
        .get("x-esri-authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let params = Params::parse(parts.uri.query(), content_type, &bytes, header_token);
    let path = parts.uri.path().to_owned();
    let method = parts.method.to_string();
    // A CORS preflight is the browser's question, not a portal call: never logged,
    // delayed or faulted.
    let control =
        shared.control.as_ref().filter(|_| is_portal_traffic(&path) && parts.method != axum::http::Method::OPTIONS);
    let logged = control.map(|c| c.begin(&method, &path, &params, &parts.headers));
    parts.extensions.insert(params);
    let request = Request::from_parts(parts, Body::from(bytes));
    let (Some(control), Some((seq, latency_ms, fault))) = (control, logged) else {
        return next.run(request).await;
    };
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    let response = match fault {
        None => next.run(request).await,
        Some(spec) if spec.kind == FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(spec.ms.unwrap_or(30_000))).await;
            next.run(request).await
        }
        Some(spec) => {
            if spec.phase == Phase::After {
                let _discarded = next.run(request).await;
            }
            fault_response(&spec)
        }
    };
    control.finish(seq, response.status().as_u16());
    response
}

fn fault_response(spec: &FaultSpec) -> Response {
    match spec.kind {
        FaultKind::Http500 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
        )
            .into_response(),
        FaultKind::Drop => {
            // An erroring body makes the server abort the connection mid-response.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "fault: connection dropped",
                ))
            });
            ([(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream)).into_response()
        }
        FaultKind::ErrorJson => {
            let message = spec.message.clone().unwrap_or_else(|| "Unable to complete operation.".into());
            ApiError::new(spec.code.unwrap_or(500), message).into_response()
        }
        FaultKind::ExpiredToken => ApiError::invalid_token().into_response(),
        FaultKind::MalformedJson => ([(header::CONTENT_TYPE, "application/json")], r#"{"success":tr"#).into_response(),
        FaultKind::FalseSuccess => Json(json!({ "success": true })).into_response(),
        FaultKind::Delay => unreachable!("delays proceed to the handler"),
    }
}

/// Refuses a control call without the run's secret: a web page on another origin
/// (which gets no CORS answer here) cannot read the log, arm faults or reset the state.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let given = request.headers().get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
    if given.is_some_and(|given| given.as_bytes() == control(&shared).token.as_bytes()) {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, format!("the control surface needs the {TOKEN_HEADER} header of this run"))
            .into_response()
    }
}

/// May a page at `origin` get a CORS answer for `path`? Any page for the portal (as the
/// real service answers), only a page on this machine for the control surface (a test
/// runner's page on another port), which then still needs the secret.
pub(crate) fn cors_allows(origin: &str, path: &str) -> bool {
    if !path.starts_with("/__emulator") {
        return true;
    }
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|host| origin.strip_prefix(host).is_some_and(|rest| rest.is_empty() || rest.starts_with(':')))
}

/// The `/__emulator/` routes.
pub(crate) fn routes(shared: Arc<Shared>) -> axum::Router<Arc<Shared>> {
    axum::Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/log", get(read_log).delete(clear_log))
        .route("/faults", get(list_faults).post(arm_fault).delete(clear_faults))
        .route("/latency", get(get_latency).put(set_latency))
        .route("/clock", get(get_clock).post(advance_clock))
        .route("/expire-tokens", post(expire_tokens))
        .route("/behaviour", get(get_behaviour).put(set_behaviour))
        .route("/restore", post(restore))
        .layer(axum::middleware::from_fn_with_state(shared, guard))
}

fn control(shared: &Shared) -> &Control {
    shared.control.as_ref().expect("control routes are mounted only with a control surface")
}

async fn health(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "ok": true, "now": shared.now() }))
}

/// Back to the seed: portal data, clock, faults, latency and log.
async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.clock.offset_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    let fresh = match shared.seed.build(shared.now()) {
        Ok(state) => state,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    };
    *shared.write() = fresh;
    shared.set_behaviour(Behaviour::default());
    control(&shared).clear();
    Json(json!({ "ok": true })).into_response()
}

async fn read_log(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let entries: Vec<LogEntry> = control(&shared).lock().log.iter().cloned().collect();
    Json(json!({ "entries": entries }))
}

async fn clear_log(State(shared): State<Arc<Shared>>) -> Json<Value> {
    control(&shared).lock().log.clear();
    Json(json!({ "ok": true }))
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "faults": control(&shared).lock().faults }))
}

/// The longest latency or fault delay the control surface takes: a longer one would
/// hang every later call (and a huge one overflow the timer).
pub const MAX_DELAY_MS: u64 = 60_000;
/// How far the clock may be moved from the wall clock, in all.
pub const MAX_CLOCK_OFFSET_MS: i64 = 10 * 366 * 24 * 60 * 60 * 1000;

async fn arm_fault(State(shared): State<Arc<Shared>>, Json(spec): Json<FaultSpec>) -> Response {
    if spec.path.is_empty() || spec.nth == 0 {
        return (StatusCode::BAD_REQUEST, "a fault needs a non-empty `path` and `nth` >= 1").into_response();
    }
    if spec.ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
        return (StatusCode::BAD_REQUEST, format!("a fault's `ms` is at most {MAX_DELAY_MS}")).into_response();
    }
    let mut inner = control(&shared).lock();
    inner.next_fault_id += 1;
    let id = inner.next_fault_id;
    inner.faults.push(ArmedFault { id, spec, seen: 0 });
    Json(json!({ "id": id })).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    control(&shared).lock().faults.clear();
    Json(json!({ "ok": true }))
}

#[derive(Deserialize)]
struct Latency {
    ms: u64,
}

async fn get_latency(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "ms": control(&shared).lock().latency_ms }))
}

async fn set_latency(State(shared): State<Arc<Shared>>, Json(latency): Json<Latency>) -> Response {
    if latency.ms > MAX_DELAY_MS {
        return (StatusCode::BAD_REQUEST, format!("`ms` is at most {MAX_DELAY_MS}")).into_response();
    }
    control(&shared).lock().latency_ms = latency.ms;
    Json(json!({ "ms": latency.ms })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Advance {
    advance_ms: i64,
}

async fn get_clock(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({ "now": shared.now(), "offsetMs": shared.clock.offset_ms.load(std::sync::atomic::Ordering::Relaxed) }))
}

/// Moves the portal's clock forward, so tokens and keys expire without waiting.
async fn advance_clock(State(shared): State<Arc<Shared>>, Json(advance): Json<Advance>) -> Response {
    if advance.advance_ms < 0 {
        return (StatusCode::BAD_REQUEST, "the clock only moves forward").into_response();
    }
    let moved = shared.clock.offset_ms.fetch_update(
        std::sync::atomic::Ordering::Relaxed,
        std::sync::atomic::Ordering::Relaxed,
        |offset| offset.checked_add(advance.advance_ms).filter(|total| *total <= MAX_CLOCK_OFFSET_MS),
    );
    if moved.is_err() {
        let why = format!("the clock moves at most {MAX_CLOCK_OFFSET_MS} ms (10 years) from the wall clock, in all");
        return (StatusCode::BAD_REQUEST, why).into_response();
    }
    get_clock(State(shared)).await.into_response()
}

#[derive(Deserialize)]
struct ExpireTokens {
    username: Option<String>,
}

/// Ends the sessions of one user (or everyone): their next call gets 498.
async fn expire_tokens(State(shared): State<Arc<Shared>>, Json(which): Json<ExpireTokens>) -> Json<Value> {
    let now = shared.now();
    let mut state = shared.write();
    let mut expired = 0;
    for token in state.tokens.values_mut() {
        let matches = which.username.as_deref().is_none_or(|u| token.subject == u);
        if matches && token.kind == crate::state::TokenKind::User && token.expires > now {
            token.expires = now;
            expired += 1;
        }
    }
    Json(json!({ "expired": expired }))
}

async fn get_behaviour(State(shared): State<Arc<Shared>>) -> Json<Behaviour> {
    Json(shared.behaviour())
}

/// Chooses the reading of each open point; fields left out take the friendly default.
async fn set_behaviour(State(shared): State<Arc<Shared>>, Json(behaviour): Json<Behaviour>) -> Json<Behaviour> {
    shared.set_behaviour(behaviour.clone());
    Json(behaviour)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Restore {
    item_id: String,
}

/// Brings an item back from the recycle bin, as the portal's "Restore" does.
async fn restore(State(shared): State<Arc<Shared>>, Json(which): Json<Restore>) -> Response {
    let mut state = shared.write();
    match state.recycle_bin.remove(&which.item_id) {
        Some(recycled) => {
            state.items.insert(which.item_id.clone(), recycled.item);
            Json(json!({ "ok": true, "itemId": which.item_id })).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such item in the recycle bin").into_response(),
    }
}
