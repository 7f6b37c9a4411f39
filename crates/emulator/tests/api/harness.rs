//! Drives the emulator's router in-process (no socket) and reads its answers.

use arcgis_portal_emulator::{Config, Emulator};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "arcgis-demo";

pub struct Portal {
    pub emulator: Emulator,
    router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn form(params: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}

/// `generateToken` parameters for a demo user, as a browser page would send them.
pub fn sign_in_form(username: &str) -> [(&str, &str); 5] {
    [
        ("username", username),
        ("password", PASSWORD),
        ("client", "referer"),
        ("referer", "http://localhost"),
        ("f", "json"),
    ]
}

/// The error code of an error body, if the body is one.
pub fn error_code(body: &Value) -> Option<u64> {
    body.get("error").and_then(|e| e.get("code")).and_then(Value::as_u64)
}

/// Asserts an HTTP-200 error body with `code`, and that `message` appears in it.
#[track_caller]
pub fn assert_error(body: &Value, code: u64, message: &str) {
    assert_eq!(error_code(body), Some(code), "expected error {code}, got {body}");
    assert!(body.to_string().contains(message), "expected '{message}' in {body}");
}

impl Portal {
    /// The demo seed with the control surface on.
    pub fn new() -> Self {
        Self::with(Config { control: true, ..Config::default() })
    }

    pub fn with(config: Config) -> Self {
        let emulator = Emulator::new(config).expect("the emulator starts");
        let router = emulator.router();
        Self { emulator, router }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
        Reply { status, headers, body }
    }

    /// A form-encoded POST to `path` (relative to `/sharing/rest` when it starts there).
    pub async fn post_raw(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let request = Request::post(url(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form(params)))
            .unwrap();
        self.send(request).await
    }

    pub async fn post(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let reply = self.post_raw(path, params).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
        reply.json()
    }

    pub async fn get_raw(&self, path: &str, params: &[(&str, &str)]) -> Reply {
        let request = Request::get(format!("{}?{}", url(path), form(params))).body(Body::empty()).unwrap();
        self.send(request).await
    }

    pub async fn get(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let reply = self.get_raw(path, params).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text());
        reply.json()
    }

    /// A JSON call to the control surface.
    pub async fn control(&self, method: Method, path: &str, body: Value) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(format!("/__emulator{path}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(arcgis_portal_emulator::control::TOKEN_HEADER, self.emulator.control_token().unwrap_or_default())
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Signs `username` in with the demo password.
    pub async fn token(&self, username: &str) -> String {
        let body = self.post("/generateToken", &sign_in_form(username)).await;
        body["token"].as_str().unwrap_or_else(|| panic!("no token: {body}")).to_owned()
    }

    /// Adds an item of `item_type` for `user` and returns its id.
    pub async fn add_item(&self, token: &str, user: &str, title: &str, item_type: &str) -> String {
        let body = self
            .post(
                &format!("/content/users/{user}/addItem"),
                &[("title", title), ("type", item_type), ("f", "json"), ("token", token)],
            )
            .await;
        body["id"].as_str().unwrap_or_else(|| panic!("no id: {body}")).to_owned()
    }

    /// A user token from the OAuth authorization-code flow (the manager's client, PKCE),
    /// as "Sign in with ArcGIS" gets one.
    pub async fn oauth_token(&self, username: &str) -> String {
        let verifier = "a-verifier-of-at-least-43-characters-0123456789abcdef";
        let challenge = arcgis_portal_emulator::secrets::pkce_challenge(verifier);
        let redirect = "http://127.0.0.1:8787/callback";
        let reply = self
            .post_raw(
                "/oauth2/authorize",
                &[
                    ("client_id", "arcgis-keys-manager"),
                    ("response_type", "code"),
                    ("redirect_uri", redirect),
                    ("state", "s"),
                    ("code_challenge", &challenge),
                    ("code_challenge_method", "S256"),
                    ("username", username),
                    ("password", PASSWORD),
                    ("action", "sign-in"),
                ],
            )
            .await;
        let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
        let query = location.split_once('?').unwrap().1;
        let code = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "code").unwrap().1.into_owned();
        let tokens = self
            .post(
                "/oauth2/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("client_id", "arcgis-keys-manager"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", verifier),
                    ("f", "json"),
                ],
            )
            .await;
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    /// A registered credential (item + app) of `user`; returns (item id, app info).
    pub async fn credential(&self, token: &str, user: &str, privileges: &str, referrers: &str) -> (String, Value) {
        let keywords = "Registered App,APIToken";
        let body = self
            .post(
                &format!("/content/users/{user}/addItem"),
                &[
                    ("title", "Test credential"),
                    ("type", "Application"),
                    ("typeKeywords", keywords),
                    ("f", "json"),
                    ("token", token),
                ],
            )
            .await;
        let id = body["id"].as_str().unwrap().to_owned();
        let app = self
            .post(
                "/oauth2/registerApp",
                &[
                    ("itemId", &id),
                    ("appType", "multiple"),
                    ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
                    ("httpReferrers", referrers),
                    ("privileges", privileges),
                    ("f", "json"),
                    ("token", token),
                ],
            )
            .await;
        assert!(app["client_id"].is_string(), "{app}");
        (id, app)
    }

    /// Sets slot `slot`'s expiration `days` ahead, then generates its key.
    pub async fn generate_key(
        &self,
        token: &str,
        user: &str,
        item_id: &str,
        app: &Value,
        slot: u8,
        days: i64,
    ) -> String {
        let expires = (self.emulator.now() + days * 86_400_000).to_string();
        let field = format!("apiToken{slot}ExpirationDate");
        self.post(
            &format!("/content/users/{user}/items/{item_id}/update"),
            &[(&field, &expires), ("f", "json"), ("token", token)],
        )
        .await;
        let body = self
            .post(
                "/oauth2/token",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", app["client_id"].as_str().unwrap()),
                    ("client_secret", app["client_secret"].as_str().unwrap()),
                    ("apiToken", &slot.to_string()),
                    ("regenerateApiToken", "true"),
                    ("f", "json"),
                ],
            )
            .await;
        body["access_token"].as_str().unwrap_or_else(|| panic!("no key: {body}")).to_owned()
    }

    /// Calls the emulated geocoder with `key` and an optional Referer.
    pub async fn geocode(&self, key: &str, referer: Option<&str>) -> Value {
        let mut request = Request::get(format!(
            "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates?{}",
            form(&[("SingleLine", "380 New York St"), ("f", "json"), ("token", key)])
        ));
        if let Some(referer) = referer {
            request = request.header(header::REFERER, referer);
        }
        self.send(request.body(Body::empty()).unwrap()).await.json()
    }
}

fn url(path: &str) -> String {
    if path.starts_with("/arcgis/") || path.starts_with("/__emulator") {
        path.to_owned()
    } else {
        format!("/sharing/rest{path}")
    }
}

/// The emulator served on a loopback socket for the test's lifetime.
pub struct Served {
    pub base: String,
    pub emulator: Emulator,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Served {
    pub async fn start(config: Config) -> Self {
        let emulator = Emulator::new(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(arcgis_portal_emulator::serve(listener, emulator.clone(), async {
            let _ = stopped.await;
        }));
        Self { base, emulator, stop: Some(stop), task: Some(task) }
    }

    /// Stops the server and waits until it has saved its state.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.take().unwrap().await.unwrap().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
