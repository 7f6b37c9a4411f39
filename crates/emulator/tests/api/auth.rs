//! Contract section 2: tokens, OAuth with PKCE, community/self, portals/self.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::harness::{PASSWORD, Portal, assert_error, error_code};

const MANAGER: &str = "arcgis-keys-manager";
const REDIRECT: &str = "http://127.0.0.1:8787/callback";
const VERIFIER: &str = "a-verifier-of-at-least-43-characters-0123456789abcdef";

fn challenge(verifier: &str) -> String {
    arcgis_portal_emulator::secrets::pkce_challenge(verifier)
}

#[tokio::test]
async fn generate_token_issues_a_token_that_expires_when_it_says() {
    let portal = Portal::new();
    let body = portal
        .post(
            "/generateToken",
            &[
                ("username", "jsmith"),
                ("password", PASSWORD),
                ("client", "referer"),
                ("referer", "http://localhost"),
                ("expiration", "5"),
                ("f", "json"),
            ],
        )
        .await;
    let token = body["token"].as_str().unwrap();
    let expires = body["expires"].as_i64().unwrap();
    let now = portal.emulator.now();
    assert!((expires - now - 5 * 60_000).abs() < 5_000, "expires {expires}, now {now}");
    let me = portal.get("/community/self", &[("f", "json"), ("token", token)]).await;
    assert_eq!(me["username"], "jsmith");
    portal.control(Method::POST, "/clock", json!({ "advanceMs": 6 * 60_000 })).await;
    assert_error(&portal.get("/community/self", &[("f", "json"), ("token", token)]).await, 498, "Invalid token");
}

#[tokio::test]
async fn generate_token_caps_expiration_at_two_weeks() {
    let portal = Portal::new();
    let body = portal
        .post(
            "/generateToken",
            &[("username", "jsmith"), ("password", PASSWORD), ("expiration", "999999"), ("f", "json")],
        )
        .await;
    let lifetime = body["expires"].as_i64().unwrap() - portal.emulator.now();
    assert!(lifetime <= 20_160 * 60_000 && lifetime > 20_150 * 60_000, "{lifetime}");
}

#[tokio::test]
async fn generate_token_rejects_bad_credentials_missing_fields_and_get() {
    let portal = Portal::new();
    let wrong = portal.post("/generateToken", &[("username", "jsmith"), ("password", "nope"), ("f", "json")]).await;
    assert_error(&wrong, 400, "Invalid username or password.");
    assert_eq!(wrong["error"]["message"], "Unable to generate token.");
    assert_error(
        &portal.post("/generateToken", &[("password", PASSWORD), ("f", "json")]).await,
        400,
        "'username' must be specified",
    );
    assert_error(
        &portal
            .post(
                "/generateToken",
                &[("username", "jsmith"), ("password", PASSWORD), ("client", "referer"), ("f", "json")],
            )
            .await,
        400,
        "'referer' must be specified",
    );
    // Passwords never travel in URLs: GET is refused.
    let get = portal.get("/generateToken", &[("username", "jsmith"), ("password", PASSWORD), ("f", "json")]).await;
    assert_error(&get, 400, "requires POST");
}

#[tokio::test]
async fn community_self_needs_a_valid_token() {
    let portal = Portal::new();
    assert_error(&portal.get("/community/self", &[("f", "json")]).await, 499, "Token Required");
    assert_error(&portal.get("/community/self", &[("f", "json"), ("token", "forged")]).await, 498, "Invalid token.");
    let token = portal.token("demo_admin").await;
    let me = portal.post("/community/self", &[("f", "json"), ("token", &token)]).await;
    assert_eq!(me["role"], "org_admin");
    assert!(me["privileges"].as_array().unwrap().iter().any(|p| p == "portal:admin:viewUsage"));
    assert!(me.get("password").is_none(), "{me}");
}

#[tokio::test]
async fn portals_self_answers_anonymously_and_with_the_user() {
    let portal = Portal::new();
    let anonymous = portal.get("/portals/self", &[("f", "json")]).await;
    assert_eq!(anonymous["isPortal"], false);
    assert!(anonymous.get("user").is_none());
    let token = portal.token("other_user").await;
    let signed_in = portal.get("/portals/self", &[("f", "json"), ("token", &token)]).await;
    assert_eq!(signed_in["name"], "Other Org");
    assert_eq!(signed_in["user"]["username"], "other_user");
    assert_error(&portal.get("/portals/self", &[("f", "json"), ("token", "forged")]).await, 498, "Invalid token.");
}

fn authorize_params<'a>(challenge: &'a str, state: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", MANAGER),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("expiration", "20160"),
    ]
}

/// Signs in through the authorize form and returns the redirect's query pairs.
async fn authorize(portal: &Portal, username: &str, password: &str, action: &str) -> Vec<(String, String)> {
    let challenge = challenge(VERIFIER);
    let mut params = authorize_params(&challenge, "xyz-state");
    params.extend([("username", username), ("password", password), ("action", action)]);
    let reply = portal.post_raw("/oauth2/authorize", &params).await;
    assert!(reply.status.is_redirection(), "{}: {}", reply.status, reply.text());
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    let (base, query) = location.split_once('?').unwrap();
    assert_eq!(base, REDIRECT);
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn authorize_serves_an_accessible_sign_in_page() {
    let portal = Portal::new();
    let challenge = challenge(VERIFIER);
    let reply = portal.get_raw("/oauth2/authorize", &authorize_params(&challenge, "s1")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    for needle in [
        "<form method=\"post\"",
        "<label for=\"username\">Username</label>",
        "<label for=\"password\">Password</label>",
        "value=\"s1\"",
        "lang=\"en\"",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY");
}

#[tokio::test]
async fn authorize_refuses_unknown_clients_and_unregistered_redirects_without_redirecting() {
    let portal = Portal::new();
    let challenge = challenge(VERIFIER);
    let mut params = authorize_params(&challenge, "s");
    params[0] = ("client_id", "unknown-client");
    let reply = portal.get_raw("/oauth2/authorize", &params).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("Invalid client_id"));
    let mut params = authorize_params(&challenge, "s");
    params[2] = ("redirect_uri", "https://evil.example/steal");
    let reply = portal.get_raw("/oauth2/authorize", &params).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("Invalid redirect_uri"));
}

#[tokio::test]
async fn authorize_without_pkce_redirects_with_an_error() {
    let portal = Portal::new();
    let params = [("client_id", MANAGER), ("response_type", "code"), ("redirect_uri", REDIRECT), ("state", "s")];
    let reply = portal.get_raw("/oauth2/authorize", &params).await;
    let location = reply.headers[header::LOCATION].to_str().unwrap();
    assert!(location.contains("error=invalid_request") && location.contains("state=s"), "{location}");
}

#[tokio::test]
async fn oauth_code_flow_with_pkce_refresh_and_revoke() {
    let portal = Portal::new();
    let redirect = authorize(&portal, "jsmith", PASSWORD, "sign-in").await;
    assert_eq!(pair(&redirect, "state"), Some("xyz-state"));
    let code = pair(&redirect, "code").unwrap().to_owned();

    let exchange = |code: String, verifier: &'static str| {
        let portal = &portal;
        async move {
            portal
                .post(
                    "/oauth2/token",
                    &[
                        ("grant_type", "authorization_code"),
                        ("client_id", MANAGER),
                        ("code", &code),
                        ("redirect_uri", REDIRECT),
                        ("code_verifier", verifier),
                        ("f", "json"),
                    ],
                )
                .await
        }
    };
    let tokens = exchange(code.clone(), VERIFIER).await;
    assert_eq!(tokens["username"], "jsmith");
    assert_eq!(tokens["expires_in"], 1800);
    assert_eq!(tokens["refresh_token_expires_in"], 20_160 * 60);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(portal.get("/community/self", &[("f", "json"), ("token", access)]).await["username"], "jsmith");
    // Codes are single-use.
    assert_error(&exchange(code, VERIFIER).await, 400, "invalid_grant");

    let refreshed = portal
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", MANAGER),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
                ("f", "json"),
            ],
        )
        .await;
    let fresh = refreshed["access_token"].as_str().unwrap();
    assert_ne!(fresh, access);
    let wrong_client = portal
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "refresh_token"),
                ("client_id", "someone-else"),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
                ("f", "json"),
            ],
        )
        .await;
    assert_error(&wrong_client, 400, "invalid_client_id");

    let revoked =
        portal.post("/oauth2/revokeToken", &[("client_id", MANAGER), ("auth_token", fresh), ("f", "json")]).await;
    assert_eq!(revoked["success"], true);
    assert_error(&portal.get("/community/self", &[("f", "json"), ("token", fresh)]).await, 498, "Invalid token.");
    // Revoking an unknown token reveals nothing.
    let unknown = portal
        .post("/oauth2/revokeToken", &[("client_id", MANAGER), ("auth_token", "never-issued"), ("f", "json")])
        .await;
    assert_eq!(unknown["success"], true);
    assert_error(&portal.post("/oauth2/revokeToken", &[("auth_token", "x"), ("f", "json")]).await, 400, "client_id");
}

#[tokio::test]
async fn oauth_code_exchange_checks_verifier_and_redirect_uri() {
    let portal = Portal::new();
    for (verifier, redirect_uri, expected) in [
        ("wrong-verifier-wrong-verifier-wrong-verifier", REDIRECT, "code_verifier"),
        (VERIFIER, "http://127.0.0.1:9999/other", "redirect_uri"),
    ] {
        let code = pair(&authorize(&portal, "jsmith", PASSWORD, "sign-in").await, "code").unwrap().to_owned();
        let body = portal
            .post(
                "/oauth2/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("client_id", MANAGER),
                    ("code", &code),
                    ("redirect_uri", redirect_uri),
                    ("code_verifier", verifier),
                    ("f", "json"),
                ],
            )
            .await;
        assert_error(&body, 400, expected);
        assert_eq!(body["error"]["error"], "invalid_grant");
    }
}

#[tokio::test]
async fn authorize_with_a_wrong_password_shows_the_page_again_and_cancel_denies() {
    let portal = Portal::new();
    let challenge = challenge(VERIFIER);
    let mut params = authorize_params(&challenge, "s");
    params.extend([("username", "jsmith"), ("password", "wrong"), ("action", "sign-in")]);
    let reply = portal.post_raw("/oauth2/authorize", &params).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("role=\"alert\"") && html.contains("Invalid username or password."), "{html}");
    assert!(html.contains("value=\"jsmith\""), "the username survives");
    assert!(!html.contains("wrong"), "the password is never echoed");

    let denied = authorize(&portal, "", "", "cancel").await;
    assert_eq!(pair(&denied, "error"), Some("access_denied"));
    assert_eq!(pair(&denied, "state"), Some("xyz-state"));
}

#[tokio::test]
async fn unknown_grant_types_and_operations_are_errors() {
    let portal = Portal::new();
    let body = portal.post("/oauth2/token", &[("grant_type", "password"), ("client_id", MANAGER), ("f", "json")]).await;
    assert_error(&body, 400, "unsupported_grant_type");
    let body = portal.post("/no/such/operation", &[("f", "json")]).await;
    assert_error(&body, 400, "Invalid request");
    assert_eq!(error_code(&portal.get("/portals/self", &[("f", "json")]).await), None);
}

#[tokio::test]
async fn out_of_band_sign_in_shows_the_code_and_a_refresh_token_can_be_exchanged_once() {
    let portal = Portal::new();
    let verifier = "a-verifier-of-at-least-43-characters-0123456789abcdef";
    let challenge = arcgis_portal_emulator::secrets::pkce_challenge(verifier);
    let oob = "urn:ietf:wg:oauth:2.0:oob";
    let reply = portal
        .post_raw(
            "/oauth2/authorize",
            &[
                ("client_id", "arcgis-keys-manager"),
                ("response_type", "code"),
                ("redirect_uri", oob),
                ("state", "s"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("username", "jsmith"),
                ("password", crate::harness::PASSWORD),
                ("action", "sign-in"),
            ],
        )
        .await;
    assert_eq!(reply.status, 200, "a page, not a redirect to a URN");
    let page = reply.text();
    let code =
        page.split("SUCCESS code=").nth(1).and_then(|rest| rest.split('<').next()).expect("the code in the title");
    let grant = |code: &str| {
        [
            ("grant_type", "authorization_code"),
            ("client_id", "arcgis-keys-manager"),
            ("code", code),
            ("redirect_uri", oob),
            ("code_verifier", verifier),
            ("f", "json"),
        ]
        .map(|(k, v)| (k, v.to_owned()))
    };
    let tokens = portal.post("/oauth2/token", &grant(code).each_ref().map(|(k, v)| (*k, v.as_str()))).await;
    let refresh = tokens["refresh_token"].as_str().expect("a refresh token").to_owned();

    let exchange = |token: &str| {
        [
            ("grant_type", "exchange_refresh_token"),
            ("client_id", "arcgis-keys-manager"),
            ("refresh_token", token),
            ("redirect_uri", oob),
            ("f", "json"),
        ]
        .map(|(k, v)| (k, v.to_owned()))
    };
    let renewed = portal.post("/oauth2/token", &exchange(&refresh).each_ref().map(|(k, v)| (*k, v.as_str()))).await;
    let new_refresh = renewed["refresh_token"].as_str().expect("a new refresh token");
    assert_ne!(new_refresh, refresh);
    assert!(renewed["refresh_token_expires_in"].as_i64().is_some_and(|s| s > 0));
    let again = portal.post("/oauth2/token", &exchange(&refresh).each_ref().map(|(k, v)| (*k, v.as_str()))).await;
    assert!(again["error"].is_object(), "the old refresh token stopped: {again}");
}
