//! Contract section 2: user tokens, OAuth 2 with PKCE, and who the caller is.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use crate::Shared;
use crate::behaviour::ApiKeySelf;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::secrets;
use crate::state::{Act, AuthCode, SlotKey, State as PortalState, TokenKind, TokenRecord};

const MINUTE_MS: i64 = 60_000;
/// ArcGIS Online's cap on `generateToken`'s `expiration`: two weeks.
const MAX_TOKEN_MINUTES: i64 = 20_160;
const DEFAULT_TOKEN_MINUTES: i64 = 60;
/// OAuth access tokens live 30 minutes, as on ArcGIS Online.
const ACCESS_TOKEN_SECONDS: i64 = 1_800;
const CODE_LIFETIME_MS: i64 = 5 * MINUTE_MS;

/// POST /generateToken
pub async fn generate_token(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let unable = |detail: &str| ApiError::bad_request("Unable to generate token.").with_detail(detail);
    let username = params.get("username").ok_or_else(|| unable("'username' must be specified."))?;
    let password = params.get("password").ok_or_else(|| unable("'password' must be specified."))?;
    match params.get("client").unwrap_or("requestip") {
        "referer" if params.get("referer").is_none() => {
            return Err(unable("'referer' must be specified."));
        }
        "referer" | "requestip" | "ip" => {}
        other => {
            return Err(unable(&format!("Invalid client '{other}': use referer, requestip or ip.")));
        }
    }
    let minutes = params.int("expiration")?.unwrap_or(DEFAULT_TOKEN_MINUTES).clamp(1, MAX_TOKEN_MINUTES);
    let now = shared.now();
    let mut state = shared.write();
    let valid = state.users.get(username).is_some_and(|u| u.password == password);
    if !valid {
        return Err(unable("Invalid username or password."));
    }
    let expires = now + minutes * MINUTE_MS;
    let token = state.issue_user_token(username, None, expires);
    state.prune(now);
    Ok(Json(json!({ "token": token, "expires": expires, "ssl": false })).into_response())
}

/// Who may use an OAuth `client_id` and where they may be sent back to.
fn redirect_uris(state: &PortalState, client_id: &str) -> Option<Vec<String>> {
    if let Some(client) = state.oauth_clients.iter().find(|c| c.client_id == client_id) {
        return Some(client.redirect_uris.clone());
    }
    state.apps.get(client_id).map(|a| a.redirect_uris.clone())
}

/// Is `uri` allowed by `registered`? Loopback entries (`http://127.0.0.1`,
/// `http://localhost`) allow any port and path, as RFC 8252 asks for native and local
/// apps; others must match exactly or as a path prefix.
fn redirect_allowed(registered: &[String], uri: &str) -> bool {
    registered.iter().any(|r| {
        if uri == r {
            return true;
        }
        let loopback = matches!(r.as_str(), "http://127.0.0.1" | "http://localhost");
        let rest = match uri.strip_prefix(r.as_str()) {
            Some(rest) => rest,
            None => return false,
        };
        if loopback {
            rest.is_empty() || rest.starts_with(':') || rest.starts_with('/')
        } else {
            rest.starts_with('/') || r.ends_with('/')
        }
    })
}

/// The OAuth request fields carried from the authorize page to its form submission.
struct AuthorizeRequest {
    client_id: String,
    redirect_uri: String,
    state: String,
    code_challenge: String,
    expiration: i64,
}

impl AuthorizeRequest {
    /// Validates the request. Errors that make the redirect unsafe come back as a page;
    /// others are redirected to the client as OAuth errors.
    #[expect(clippy::result_large_err, reason = "a cold path that ends the request; boxing buys nothing")]
    fn from_params(shared: &Shared, params: &Params) -> Result<Self, Response> {
        let page_error = |message: &str| error_page(StatusCode::BAD_REQUEST, message);
        let client_id = params.get("client_id").ok_or_else(|| page_error("The request has no client_id."))?;
        let redirect_uri = params.get("redirect_uri").ok_or_else(|| page_error("The request has no redirect_uri."))?;
        let registered = redirect_uris(&shared.read(), client_id).ok_or_else(|| page_error("Invalid client_id."))?;
        if !redirect_allowed(&registered, redirect_uri) {
            return Err(page_error("Invalid redirect_uri: it is not registered for this client_id."));
        }
        let state = params.get("state").unwrap_or_default().to_owned();
        let fail = |error: &str, description: &str| {
            redirect_with(redirect_uri, &[("error", error), ("error_description", description), ("state", &state)])
        };
        if params.get("response_type") != Some("code") {
            return Err(fail("unsupported_response_type", "response_type must be code."));
        }
        let Some(code_challenge) = params.get("code_challenge") else {
            return Err(fail("invalid_request", "code_challenge is required (PKCE)."));
        };
        if params.get("code_challenge_method") != Some("S256") {
            return Err(fail("invalid_request", "code_challenge_method must be S256."));
        }
        let expiration = params.int("expiration").ok().flatten().unwrap_or(MAX_TOKEN_MINUTES).clamp(1, 20_160 * 26);
        Ok(Self {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            state: state.clone(),
            code_challenge: code_challenge.to_owned(),
            expiration,
        })
    }
}

/// The redirect of a sign-in that has no page to return to (a command line on a machine
/// without a browser): the portal shows the code for the user to copy.
const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

fn redirect_with(base: &str, pairs: &[(&str, &str)]) -> Response {
    if base == OUT_OF_BAND {
        return out_of_band_page(pairs);
    }
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let separator = if base.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{base}{separator}{query}")).into_response()
}

/// GET /oauth2/authorize: the sign-in page.
pub async fn authorize_page(State(shared): State<Arc<Shared>>, params: Params) -> Response {
    match AuthorizeRequest::from_params(&shared, &params) {
        Ok(request) => sign_in_page(&request, None, ""),
        Err(response) => response,
    }
}

/// POST /oauth2/authorize: the sign-in form's submission.
pub async fn authorize_submit(State(shared): State<Arc<Shared>>, params: Params) -> Response {
    let request = match AuthorizeRequest::from_params(&shared, &params) {
        Ok(request) => request,
        Err(response) => return response,
    };
    if params.get("action") == Some("cancel") {
        return redirect_with(
            &request.redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user denied your request."),
                ("state", &request.state),
            ],
        );
    }
    let username = params.get("username").unwrap_or_default();
    let password = params.get("password").unwrap_or_default();
    let now = shared.now();
    let mut state = shared.write();
    if state.users.get(username).is_none_or(|u| u.password != password) {
        drop(state);
        return sign_in_page(&request, Some("Invalid username or password."), username);
    }
    let code = secrets::authorization_code();
    state.codes.insert(
        secrets::hash(&code),
        AuthCode {
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
            username: username.to_owned(),
            expires: now + CODE_LIFETIME_MS,
            refresh_minutes: request.expiration,
        },
    );
    redirect_with(&request.redirect_uri, &[("code", &code), ("state", &request.state)])
}

/// What the portal shows instead of redirecting to [`OUT_OF_BAND`]: the code to copy
/// (its title starts `SUCCESS code=`, as the service's approval page does), or why there
/// is none.
fn out_of_band_page(pairs: &[(&str, &str)]) -> Response {
    let value = |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    match value("code") {
        Some(code) => page(
            StatusCode::OK,
            &format!("SUCCESS code={}", escape(code)),
            &format!(
                "<h1>Signed in</h1><p>Copy this code and paste it into the application:</p>\
<p><code id=\"code\">{}</code></p>",
                escape(code)
            ),
        ),
        None => error_page(StatusCode::OK, value("error_description").unwrap_or("The sign-in was not completed.")),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const PAGE_STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f3f3f3;color:#151515;margin:0}\
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 1px 4px #0003}\
h1{font-size:1.4rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}\
input{box-sizing:border-box;width:100%;padding:.5rem;margin-top:.25rem;border:1px solid #6a6a6a;border-radius:2px;font-size:1rem}\
.actions{display:flex;gap:.5rem;margin-top:1.5rem}button{padding:.5rem 1rem;font-size:1rem;border-radius:2px;cursor:pointer}\
button.primary{background:#0062a8;color:#fff;border:1px solid #0062a8}button.secondary{background:#fff;color:#0062a8;border:1px solid #0062a8}\
.error{color:#a8001f;background:#fff0f2;border:1px solid #a8001f;padding:.5rem;margin-top:1rem}\
:focus-visible{outline:2px solid #0062a8;outline-offset:2px}";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>{PAGE_STYLE}</style></head><body><main>{body}</main></body></html>"
    );
    // The page must not be framed: it takes a password.
    (status, [(header::X_FRAME_OPTIONS, "DENY")], Html(html)).into_response()
}

fn error_page(status: StatusCode, message: &str) -> Response {
    page(status, "Sign-in error", &format!("<h1>Sign-in error</h1><p role=\"alert\">{}</p>", escape(message)))
}

fn sign_in_page(request: &AuthorizeRequest, error: Option<&str>, username: &str) -> Response {
    let hidden: String = [
        ("client_id", request.client_id.as_str()),
        ("redirect_uri", &request.redirect_uri),
        ("state", &request.state),
        ("code_challenge", &request.code_challenge),
        ("code_challenge_method", "S256"),
        ("response_type", "code"),
        ("expiration", &request.expiration.to_string()),
    ]
    .iter()
    .map(|(name, value)| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(value)))
    .collect();
    let error = error
        .map_or(String::new(), |e| format!("<p class=\"error\" role=\"alert\" id=\"sign-in-error\">{}</p>", escape(e)));
    let described = if error.is_empty() { "" } else { " aria-describedby=\"sign-in-error\"" };
    let body = format!(
        "<h1>Sign in to the ArcGIS portal emulator</h1>\
<p><strong>{client}</strong> would like to access your account.</p>{error}\
<form method=\"post\" action=\"authorize\">{hidden}\
<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required value=\"{user}\"{described}>\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{described}>\
<div class=\"actions\"><button class=\"primary\" type=\"submit\" name=\"action\" value=\"sign-in\">Sign in</button>\
<button class=\"secondary\" type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></div></form>",
        client = escape(&request.client_id),
        user = escape(username),
    );
    page(StatusCode::OK, "Sign in", &body)
}

/// POST /oauth2/token
pub async fn token(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let grant_type =
        params.get("grant_type").ok_or_else(|| ApiError::oauth("invalid_request", "grant_type is required."))?;
    let client_id =
        params.get("client_id").ok_or_else(|| ApiError::oauth("invalid_request", "client_id is required."))?;
    let now = shared.now();
    let mut state = shared.write();
    state.prune(now);
    let body = match grant_type {
        "authorization_code" => exchange_code(&mut state, &params, client_id, now)?,
        "refresh_token" => refresh(&mut state, &params, client_id, now)?,
        "exchange_refresh_token" => exchange_refresh(&mut state, &params, client_id, now)?,
        "client_credentials" => client_credentials(&mut state, &params, client_id, now)?,
        other => {
            return Err(ApiError::oauth("unsupported_grant_type", format!("Unsupported grant_type '{other}'.")));
        }
    };
    Ok(Json(body).into_response())
}

fn exchange_code(state: &mut PortalState, params: &Params, client_id: &str, now: i64) -> ApiResult<serde_json::Value> {
    let code = params.get("code").ok_or_else(|| ApiError::oauth("invalid_request", "code is required."))?;
    let verifier =
        params.get("code_verifier").ok_or_else(|| ApiError::oauth("invalid_request", "code_verifier is required."))?;
    let redirect_uri = params.get("redirect_uri").unwrap_or_default();
    // A code is single-use: taken out before any check, so a failed try burns it.
    let grant = state.codes.remove(&secrets::hash(code)).filter(|c| c.expires > now);
    let grant = grant.ok_or_else(|| ApiError::oauth("invalid_grant", "Invalid authorization code."))?;
    if grant.client_id != client_id {
        return Err(ApiError::oauth("invalid_client_id", "Invalid client_id."));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(ApiError::oauth("invalid_grant", "redirect_uri does not match the one used to authorize."));
    }
    if secrets::pkce_challenge(verifier) != grant.code_challenge {
        return Err(ApiError::oauth("invalid_grant", "code_verifier does not match the code_challenge."));
    }
    let access = state.issue_user_token(&grant.username, Some(client_id), now + ACCESS_TOKEN_SECONDS * 1000);
    let refresh = secrets::token();
    let refresh_ms = grant.refresh_minutes * MINUTE_MS;
    state.tokens.insert(
        secrets::hash(&refresh),
        TokenRecord {
            kind: TokenKind::Refresh,
            subject: grant.username.clone(),
            client_id: Some(client_id.into()),
            expires: now + refresh_ms,
        },
    );
    Ok(json!({
        "access_token": access,
        "expires_in": ACCESS_TOKEN_SECONDS,
        "username": grant.username,
        "ssl": false,
        "refresh_token": refresh,
        "refresh_token_expires_in": refresh_ms / 1000,
    }))
}

/// The `refresh_token` of `params`, if it lives and was issued to `client_id`, and its
/// user: the check both refresh grants make.
fn live_refresh<'a>(
    state: &PortalState,
    params: &'a Params,
    client_id: &str,
    now: i64,
) -> ApiResult<(&'a str, String)> {
    let refresh =
        params.get("refresh_token").ok_or_else(|| ApiError::oauth("invalid_request", "refresh_token is required."))?;
    let record = state.tokens.get(&secrets::hash(refresh)).filter(|t| t.kind == TokenKind::Refresh && t.expires > now);
    let record = record.ok_or_else(|| ApiError::oauth("invalid_request", "Invalid refresh_token"))?;
    if record.client_id.as_deref() != Some(client_id) {
        return Err(ApiError::oauth("invalid_client_id", "Invalid client_id."));
    }
    Ok((refresh, record.subject.clone()))
}

fn refresh(state: &mut PortalState, params: &Params, client_id: &str, now: i64) -> ApiResult<serde_json::Value> {
    let (_, username) = live_refresh(state, params, client_id, now)?;
    let access = state.issue_user_token(&username, Some(client_id), now + ACCESS_TOKEN_SECONDS * 1000);
    Ok(json!({ "access_token": access, "expires_in": ACCESS_TOKEN_SECONDS, "username": username, "ssl": false }))
}

/// `exchange_refresh_token`: a new refresh token (and access token) for one that still
/// lives, so a signed-in command line renews its sign-in before it ends. The old refresh
/// token stops: a client that keeps using it finds out at once.
fn exchange_refresh(
    state: &mut PortalState,
    params: &Params,
    client_id: &str,
    now: i64,
) -> ApiResult<serde_json::Value> {
    let (old, username) = live_refresh(state, params, client_id, now)?;
    let redirect_uri =
        params.get("redirect_uri").ok_or_else(|| ApiError::oauth("invalid_request", "redirect_uri is required."))?;
    let registered = redirect_uris(state, client_id).unwrap_or_default();
    if !redirect_allowed(&registered, redirect_uri) {
        return Err(ApiError::oauth("invalid_request", "Invalid redirect_uri."));
    }
    let minutes = params.int("expiration")?.unwrap_or(MAX_TOKEN_MINUTES).clamp(1, MAX_TOKEN_MINUTES * 26);
    state.tokens.remove(&secrets::hash(old));
    let refresh = secrets::token();
    state.tokens.insert(
        secrets::hash(&refresh),
        TokenRecord {
            kind: TokenKind::Refresh,
            subject: username.clone(),
            client_id: Some(client_id.into()),
            expires: now + minutes * MINUTE_MS,
        },
    );
    let access = state.issue_user_token(&username, Some(client_id), now + ACCESS_TOKEN_SECONDS * 1000);
    Ok(json!({
        "access_token": access,
        "expires_in": ACCESS_TOKEN_SECONDS,
        "username": username,
        "ssl": false,
        "refresh_token": refresh,
        "refresh_token_expires_in": minutes * 60,
    }))
}

/// The key slot (1 or 2) named by `apiToken`, if any.
fn slot_param(params: &Params) -> ApiResult<Option<u8>> {
    match params.get("apiToken") {
        None => Ok(None),
        Some("1") => Ok(Some(1)),
        Some("2") => Ok(Some(2)),
        Some(other) => Err(ApiError::bad_request(format!("Invalid apiToken '{other}': use 1 or 2."))),
    }
}

/// The app of `client_id`, checked against its `client_secret`: the secret is the
/// credential here, no user token is needed.
fn authenticated_app<'a>(state: &'a PortalState, params: &Params, client_id: &str) -> ApiResult<&'a crate::state::App> {
    let secret =
        params.get("client_secret").ok_or_else(|| ApiError::oauth("invalid_request", "client_secret is required."))?;
    let app = state.apps.get(client_id).ok_or_else(|| ApiError::oauth("invalid_client_id", "Invalid client_id."))?;
    if app.client_secret != secret {
        return Err(ApiError::oauth("invalid_client", "Invalid client_secret."));
    }
    Ok(app)
}

fn client_credentials(
    state: &mut PortalState,
    params: &Params,
    client_id: &str,
    now: i64,
) -> ApiResult<serde_json::Value> {
    let app = authenticated_app(state, params, client_id)?;
    let Some(slot) = slot_param(params)? else {
        let token = secrets::app_token();
        let expires_in = 7_200;
        state.tokens.insert(
            secrets::hash(&token),
            TokenRecord {
                kind: TokenKind::App,
                subject: client_id.into(),
                client_id: Some(client_id.into()),
                expires: now + expires_in * 1000,
            },
        );
        return Ok(json!({ "access_token": token, "expires_in": expires_in }));
    };
    if app.is_legacy() {
        return Err(ApiError::bad_request("Legacy API keys have no key slots, and were retired on 2026-06-27."));
    }
    // Python sends `false` for a slot with no key yet, REST JS always `true`: both
    // work for an empty slot; replacing a live key takes `true`.
    let regenerate = params.bool("regenerateApiToken")?.unwrap_or(false);
    let index = usize::from(slot - 1);
    if !regenerate && app.slot_keys[index].is_some() {
        return Err(ApiError::bad_request(format!(
            "Key {slot} exists; pass regenerateApiToken=true to replace it with a new one."
        )));
    }
    if !app.is_personal
        && let Some(personal) = app.privileges.iter().find(|p| crate::privileges::is_personal(p))
    {
        return Err(ApiError::bad_request("Unable to generate the API key.").with_detail(format!(
            "The credential has the personal privilege '{personal}' but was registered without \
             isPersonalAPIToken=true; update the app with isPersonalAPIToken=true first."
        )));
    }
    let item = state.items.get(&app.item_id).ok_or_else(ApiError::item_not_found)?;
    let expires = item.expiration(slot);
    if expires == crate::state::UNSET {
        return Err(ApiError::bad_request(format!(
            "Set apiToken{slot}ExpirationDate on the item before generating key {slot}."
        )));
    }
    if expires <= now {
        return Err(ApiError::bad_request(format!(
            "apiToken{slot}ExpirationDate is in the past; set a future date before generating key {slot}."
        )));
    }
    let key = secrets::slot_key(slot);
    let app = state.apps.get_mut(client_id).expect("checked above");
    // The key's expiration is fixed now: a later change of the item's date does not move it.
    app.slot_keys[index] = Some(SlotKey { hash: secrets::hash(&key), expires });
    app.modified = now;
    Ok(json!({ "access_token": key, "expires_in": (expires - now) / 1000 }))
}

/// POST /oauth2/revokeToken: a user or refresh token, or (with `client_secret`) a key slot.
pub async fn revoke_token(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let client_id = params.require("client_id")?;
    let mut state = shared.write();
    if params.get("apiToken").is_some() {
        let slot = slot_param(&params)?.expect("apiToken is present");
        let app = authenticated_app(&state, &params, client_id)?;
        if app.is_legacy() {
            return Err(ApiError::bad_request("Legacy API keys have no key slots, and were retired on 2026-06-27."));
        }
        let item_id = app.item_id.clone();
        let app = state.apps.get_mut(client_id).expect("checked above");
        app.slot_keys[usize::from(slot - 1)] = None;
        // Revoking also resets the slot's expiration [Python docstring].
        if let Some(item) = state.items.get_mut(&item_id) {
            item.set_expiration(slot, crate::state::UNSET);
        }
        return Ok(Json(json!({ "success": true })).into_response());
    }
    let token = params.get("auth_token").or(params.get("token")).ok_or_else(|| ApiError::missing("auth_token"))?;
    // Unknown tokens succeed too, so revoking reveals nothing.
    state.tokens.remove(&secrets::hash(token));
    Ok(Json(json!({ "success": true })).into_response())
}

/// GET /community/self
/// For an API key acting as its owner, it names the owner or is refused, as
/// [`ApiKeySelf`] reads the open point.
pub async fn community_self(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let behaviour = shared.behaviour();
    let state = shared.read();
    let caller = state.caller(params.token(), shared.now(), &behaviour)?;
    if caller.is_api_key() && behaviour.api_key_self == ApiKeySelf::Refused {
        return Err(ApiError::forbidden());
    }
    state.check(&caller, Act::Read, &caller.user.username)?;
    Ok(Json(caller.user.to_json()).into_response())
}

/// GET /community/users/{username}: a member of the caller's organization (with their
/// privileges for the user themself or an administrator).
pub async fn community_user(
    State(shared): State<Arc<Shared>>,
    Path(username): Path<String>,
    params: Params,
) -> ApiResult {
    let state = shared.read();
    let caller = state.caller(params.token(), shared.now(), &shared.behaviour())?;
    let user = state.users.get(&username).filter(|u| u.org_id == caller.user.org_id).ok_or_else(|| {
        ApiError::bad_request(format!("User '{username}' does not exist or is inaccessible."))
            .with_message_code("COM_0019")
    })?;
    let mut body = user.to_json();
    if state.check(&caller, Act::Read, &username).is_err() {
        body["privileges"] = json!([]);
    }
    Ok(Json(body).into_response())
}

/// GET /portals/self: answers anonymously too, with the user when a token comes.
pub async fn portal_self(State(shared): State<Arc<Shared>>, params: Params) -> ApiResult {
    let behaviour = shared.behaviour();
    let state = shared.read();
    let caller = state.optional_caller(params.token(), shared.now(), &behaviour)?;
    let org = caller.as_ref().and_then(|c| state.orgs.get(&c.user.org_id));
    // The organization, always; its user only where the reading names an API key's owner.
    let user = caller.filter(|c| !c.is_api_key() || behaviour.api_key_self == ApiKeySelf::Owner).map(|c| c.user);
    let mut portal = json!({
        "id": org.map_or("0123456789ABCDEF", |o| o.id.as_str()),
        "name": org.map_or("ArcGIS portal emulator", |o| o.name.as_str()),
        "urlKey": org.map(|o| o.url_key.as_str()),
        "isPortal": false,
        "currentVersion": "2025.1",
        "authorizedCrossOriginDomains": [],
        "supportsOAuth": true,
    });
    if let Some(user) = user {
        portal["user"] = user.to_json();
    }
    Ok(Json(portal).into_response())
}

#[cfg(test)]
mod tests {
    use super::redirect_allowed;

    #[test]
    fn loopback_redirects_allow_any_port_and_path() {
        let registered = vec!["http://127.0.0.1".to_owned(), "https://app.example.com/callback".to_owned()];
        assert!(redirect_allowed(&registered, "http://127.0.0.1:8787/"));
        assert!(redirect_allowed(&registered, "http://127.0.0.1/oauth"));
        assert!(redirect_allowed(&registered, "https://app.example.com/callback"));
        assert!(redirect_allowed(&registered, "https://app.example.com/callback/done"));
        assert!(!redirect_allowed(&registered, "http://127.0.0.1.evil.example/"));
        assert!(!redirect_allowed(&registered, "https://app.example.com/callbackevil"));
        assert!(!redirect_allowed(&registered, "https://evil.example/"));
    }
}
