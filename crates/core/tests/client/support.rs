//! A native `Transport` that drives the emulator's router in-process: no socket, and
//! serde_json where the browser would use `JSON.parse`.

use arcgis_keys::{Client, HttpRequest, HttpResponse, Method, Portal, Secret, Transport};
use arcgis_portal_emulator::control::FaultSpec;
use arcgis_portal_emulator::{Config, Emulator};
use axum::body::Body;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const ORIGIN: &str = "http://127.0.0.1:1";
pub const PASSWORD: &str = "arcgis-demo";

pub struct EmulatorTransport {
    pub emulator: Emulator,
    router: axum::Router,
}

impl EmulatorTransport {
    pub fn new() -> Self {
        Self::with(Config { control: true, ..Config::default() })
    }

    pub fn with(config: Config) -> Self {
        let emulator = Emulator::new(config).unwrap();
        let router = emulator.router();
        Self { emulator, router }
    }

    /// Another transport to the same portal, for a second user's client.
    pub fn same_portal(&self) -> Self {
        Self { emulator: self.emulator.clone(), router: self.router.clone() }
    }

    /// Chooses how the emulator reads the contract's open points (see [`READINGS`]).
    pub async fn behave(&self, behaviour: &Value) {
        self.control("PUT", "/behaviour", behaviour.clone()).await;
    }

    /// Arms a fault (see the emulator's `FaultSpec`), asserting the emulator took it.
    pub async fn arm(&self, fault: FaultSpec) {
        let armed = self.control("POST", "/faults", serde_json::to_value(&fault).unwrap()).await;
        assert!(armed.get("id").is_some(), "arming {fault:?}: {armed}");
    }

    /// Delays every portal request by `ms`.
    pub async fn set_latency(&self, ms: u64) {
        self.control("PUT", "/latency", serde_json::json!({ "ms": ms })).await;
    }

    /// Ends every session of `username`, as a token expiring does.
    pub async fn expire_tokens(&self, username: &str) {
        self.control("POST", "/expire-tokens", serde_json::json!({ "username": username })).await;
    }

    /// The request log since it was last cleared.
    pub async fn log(&self) -> Vec<Value> {
        self.control("GET", "/log", Value::Null).await["entries"].as_array().unwrap().clone()
    }

    pub async fn clear_log(&self) {
        self.control("DELETE", "/log", Value::Null).await;
    }

    /// A raw form POST, for arranging state the client under test does not create.
    pub async fn post(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish();
        let request =
            HttpRequest { method: Method::Post, url: format!("{ORIGIN}/sharing/rest{path}"), body, timeout_ms: 30_000 };
        serde_json::from_str(&self.send(request).await.unwrap().body).unwrap()
    }

    /// Calls the emulated geocoder with `key`; true when the key is accepted.
    pub async fn key_works(&self, key: &str) -> bool {
        self.key_works_from(key, None).await
    }

    /// [`Self::key_works`] from a page at `referer`, as a browser sends it.
    pub async fn key_works_from(&self, key: &str, referer: Option<&str>) -> bool {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("SingleLine", "380 New York St"), ("f", "json"), ("token", key)])
            .finish();
        let uri = format!("/arcgis/rest/services/World/GeocodeServer/findAddressCandidates?{query}");
        let mut request = axum::http::Request::get(uri);
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        let response = self.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        body.get("candidates").is_some()
    }

    /// Titles of the items in the portal, to look for orphans.
    pub fn titles(&self) -> Vec<String> {
        self.emulator.inspect(|s| s.items.values().map(|i| i.title.clone()).collect())
    }

    /// Signs in on the portal's authorize page as a browser would (GET the page, POST
    /// the form) and returns the query of the redirect it answers with.
    pub async fn authorize(&self, authorize_url: &str, username: &str, password: &str, action: &str) -> String {
        let query = authorize_url.split_once('?').unwrap().1;
        let page =
            axum::http::Request::get(format!("/sharing/rest/oauth2/authorize?{query}")).body(Body::empty()).unwrap();
        assert_eq!(self.router.clone().oneshot(page).await.unwrap().status(), 200);
        let mut form: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        form.extend([
            ("username".into(), username.into()),
            ("password".into(), password.into()),
            ("action".into(), action.into()),
        ]);
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let submit = axum::http::Request::post("/sharing/rest/oauth2/authorize")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let response = self.router.clone().oneshot(submit).await.unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        location.split_once('?').unwrap().1.to_owned()
    }

    /// A JSON call to the control surface, for what the typed calls above do not cover.
    pub async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(format!("/__emulator{path}"))
            .header("content-type", "application/json")
            .header(arcgis_portal_emulator::control::TOKEN_HEADER, self.emulator.control_token().unwrap_or_default())
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}

impl Transport for EmulatorTransport {
    type Error = std::io::Error;
    type Body = String;
    type Json = Value;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, std::io::Error> {
        let path = request.url.strip_prefix(ORIGIN).expect("requests go to the emulator");
        let builder = axum::http::Request::builder().uri(path);
        let http = match request.method {
            Method::Get => builder.method("GET").body(Body::empty()),
            Method::Post => builder
                .method("POST")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(request.body)),
        }
        .unwrap();
        // Dropping the call on timeout cancels it in-process: the portal never does the work.
        let timeout = std::time::Duration::from_millis(request.timeout_ms.into());
        let response = tokio::time::timeout(timeout, self.router.clone().oneshot(http))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "the call timed out"))?
            .map_err(std::io::Error::other)?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.map_err(std::io::Error::other)?.to_bytes();
        Ok(HttpResponse { status, body: String::from_utf8_lossy(&bytes).into_owned() })
    }

    fn body_text(&self, body: &String) -> Option<String> {
        Some(body.clone())
    }

    fn parse_json(&self, body: &String) -> Result<Value, String> {
        serde_json::from_str(body).map_err(|e| e.to_string())
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, json: &Value) -> Result<T, String> {
        T::deserialize(json).map_err(|e| e.to_string())
    }

    fn json_number(&self, number: f64) -> String {
        number.to_string()
    }

    fn now_ms(&self) -> i64 {
        self.emulator.now()
    }

    async fn sleep(&self, ms: u32) {
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(ms))).await;
    }

    fn random_bytes(&self, buf: &mut [u8]) {
        random_bytes(buf);
    }

    async fn sha256(&self, data: &[u8]) -> [u8; 32] {
        use sha2::Digest;
        sha2::Sha256::digest(data).into()
    }
}

/// Test randomness: distinct per call, which is all the tests need (never for secrets).
pub fn random_bytes(buf: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    for chunk in buf.chunks_mut(8) {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(chunk.len() as u64);
        let bytes = hasher.finish().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// Each reading of the open points: the friendly one `npm start` serves, and the one
/// that is hardest on a client. Workflow tests run under both.
pub fn readings() -> [(&'static str, Value); 2] {
    let strict = serde_json::to_value(arcgis_portal_emulator::behaviour::Behaviour::strict()).unwrap();
    [("friendly", serde_json::json!({})), ("strict", strict)]
}

/// The log entries whose path ends with `suffix`.
pub fn calls<'a>(log: &'a [Value], suffix: &str) -> Vec<&'a Value> {
    log.iter().filter(|e| e["path"].as_str().unwrap().ends_with(suffix)).collect()
}

pub fn client() -> Client<EmulatorTransport> {
    Client::new(EmulatorTransport::new(), Portal::new(ORIGIN).unwrap())
}

pub async fn signed_in(username: &str) -> Client<EmulatorTransport> {
    let client = client();
    client.sign_in(username, &Secret::new(PASSWORD), "http://localhost").await.expect("demo sign-in");
    client
}

/// Sequential levels (waves) in a request log: a request starts a new level when it
/// starts after every request of the current level has ended.
pub fn levels(entries: &[Value]) -> usize {
    let mut spans: Vec<(u64, u64)> =
        entries.iter().map(|e| (e["startUs"].as_u64().unwrap(), e["endUs"].as_u64().unwrap())).collect();
    spans.sort();
    let mut levels = 0;
    let mut level_end = 0;
    for (start, end) in spans {
        if levels == 0 || start >= level_end {
            levels += 1;
            level_end = end;
        } else {
            level_end = level_end.max(end);
        }
    }
    levels
}

/// Adds `count` bare credential items ("bulk 0000", …) for jsmith, straight to the portal.
pub async fn add_bulk_credentials(transport: &EmulatorTransport, count: usize) {
    let token =
        transport.post("/generateToken", &[("username", "jsmith"), ("password", PASSWORD), ("f", "json")]).await;
    let token = token["token"].as_str().unwrap().to_owned();
    for n in 0..count {
        let title = format!("bulk {n:04}");
        let params = [
            ("title", title.as_str()),
            ("type", "Application"),
            ("typeKeywords", "Registered App,APIToken"),
            ("f", "json"),
            ("token", &token),
        ];
        transport.post("/content/users/jsmith/addItem", &params).await;
    }
}

/// A new credential with a primary key valid for 30 days; returns it and the key.
pub async fn credential_with_key(
    client: &Client<EmulatorTransport>,
    title: &str,
) -> (arcgis_keys::model::Credential, String) {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    let now = client.transport().emulator.now();
    let input = CredentialInput {
        title: title.into(),
        privileges: vec!["premium:user:geocode:temporary".into()],
        keys: vec![(arcgis_keys::model::Slot::Primary, now + 30 * 86_400_000)],
        ..CredentialInput::default()
    };
    let created = client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap();
    let key = created.keys[0].key.expose().to_owned();
    (created.credential, key)
}
