//! OAuth 2 with PKCE against the emulator's sign-in page; refresh and sign-out.

use arcgis_keys::Error;
use arcgis_keys::oauth::OAuthConfig;
use serde_json::json;

use crate::support::{PASSWORD, client};

const MANAGER: &str = "arcgis-keys-manager";
const REDIRECT: &str = "http://127.0.0.1:8787/";

#[tokio::test]
async fn sign_in_with_pkce_then_refresh_before_expiry_and_after_a_498() {
    let client = client();
    let transport = client.transport();
    let (url, pending) = client.begin_oauth(OAuthConfig::new(MANAGER, REDIRECT)).await;
    assert!(url.starts_with(
        "http://127.0.0.1:1/sharing/rest/oauth2/authorize?client_id=arcgis-keys-manager&response_type=code"
    ));
    assert!(
        url.contains("code_challenge_method=S256") && !url.contains(pending.verifier.expose()),
        "the verifier stays here"
    );
    let callback = transport.authorize(&url, "jsmith", PASSWORD, "sign-in").await;
    let user = client.complete_oauth(&pending, &format!("?{callback}")).await.unwrap();
    assert_eq!(user.username, "jsmith");
    let session = client.session().unwrap();
    assert!(session.refresh.is_some());
    assert!(!format!("{session:?} {pending:?}").contains(pending.verifier.expose()));

    // 31 minutes on, the access token is past its life: the client refreshes first.
    transport.control("POST", "/clock", json!({ "advanceMs": 31 * 60_000 })).await;
    transport.control("DELETE", "/log", json!(null)).await;
    assert_eq!(client.me().await.unwrap().username, "jsmith");
    let paths = log_paths(transport).await;
    assert_eq!(paths, ["/sharing/rest/oauth2/token", "/sharing/rest/community/self"]);
    assert_ne!(client.session().unwrap().token, session.token);

    // The portal ends the session early: one 498, one refresh, one retry.
    transport.control("POST", "/expire-tokens", json!({ "username": "jsmith" })).await;
    transport.control("DELETE", "/log", json!(null)).await;
    assert_eq!(client.me().await.unwrap().username, "jsmith");
    assert_eq!(
        log_paths(transport).await,
        ["/sharing/rest/community/self", "/sharing/rest/oauth2/token", "/sharing/rest/community/self"]
    );

    // Signing out revokes both tokens at the portal.
    let last = client.session().unwrap();
    client.sign_out().await.unwrap();
    assert!(client.session().is_none());
    let revoked = transport.post("/community/self", &[("f", "json"), ("token", last.token.expose())]).await;
    assert_eq!(revoked["error"]["code"], 498);
}

async fn log_paths(transport: &crate::support::EmulatorTransport) -> Vec<String> {
    let log = transport.control("GET", "/log", json!(null)).await;
    log["entries"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_foreign_state_or_a_denial_ends_the_sign_in_without_a_session() {
    let client = client();
    let transport = client.transport();
    let (url, pending) = client.begin_oauth(OAuthConfig::new(MANAGER, REDIRECT)).await;
    let callback = transport.authorize(&url, "jsmith", PASSWORD, "sign-in").await;
    let forged = callback.replace(&format!("state={}", pending.state), "state=someone-elses");
    assert!(
        matches!(client.complete_oauth(&pending, &forged).await, Err(Error::SignIn(m)) if m.contains("does not belong"))
    );
    let denied = transport.authorize(&url, "", "", "cancel").await;
    let error = client.complete_oauth(&pending, &denied).await.unwrap_err();
    assert!(matches!(error, Error::SignInCancelled(_)), "a cancel is not a failure: {error:?}");
    assert_eq!(error.to_string(), "Sign-in was cancelled: you cancelled it on the portal's sign-in page.");
    assert!(client.session().is_none());
}

#[tokio::test]
async fn a_refused_refresh_means_sign_in_again() {
    let client = client();
    let transport = client.transport();
    let (url, pending) =
        client.begin_oauth(OAuthConfig { refresh_minutes: 40, ..OAuthConfig::new(MANAGER, REDIRECT) }).await;
    let callback = transport.authorize(&url, "jsmith", PASSWORD, "sign-in").await;
    client.complete_oauth(&pending, &callback).await.unwrap();
    transport.control("POST", "/clock", json!({ "advanceMs": 41 * 60_000 })).await;
    assert!(matches!(client.me().await, Err(Error::SignInRequired(_))));
}
