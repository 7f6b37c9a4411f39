//! How answers become errors: the portal's error body, sign-in-required, transport
//! failures, and what never prints a secret.

use arcgis_keys::{Error, Secret};
use serde_json::json;

use arcgis_portal_emulator::control::{FaultKind, FaultSpec};

use crate::support::{PASSWORD, client, signed_in};

#[tokio::test]
async fn sign_in_reads_the_user_and_keeps_the_token_out_of_debug() {
    let client = signed_in("jsmith").await;
    let session = client.session().unwrap();
    assert_eq!(session.username, "jsmith");
    assert!(session.expires_ms > client.transport().emulator.now());
    let printed = format!("{session:?}");
    assert!(!printed.contains(session.token.expose()), "{printed}");
    assert_eq!(client.me().await.unwrap().role.as_deref(), Some("org_publisher"));
}

#[tokio::test]
async fn a_wrong_password_is_a_portal_error_with_the_servers_words() {
    let client = client();
    let error = client.sign_in("jsmith", &Secret::new("wrong"), "http://localhost").await.unwrap_err();
    let Error::Portal(server) = &error else { panic!("{error:?}") };
    assert_eq!(server.code, 400);
    assert_eq!(server.message, "Unable to generate token.");
    assert_eq!(
        error.to_string(),
        "The portal refused: Unable to generate token. (code 400): Invalid username or password."
    );
    assert!(client.session().is_none());
}

#[tokio::test]
async fn calls_without_a_live_session_ask_to_sign_in_again() {
    let client = client();
    assert!(matches!(client.me().await, Err(Error::SignInRequired(_))));
    let client = signed_in("jsmith").await;
    client.transport().expire_tokens("jsmith").await;
    let error = client.me().await.unwrap_err();
    assert!(matches!(&error, Error::SignInRequired(e) if e.code == 498), "{error:?}");
    assert_eq!(error.code(), Some(498));
}

#[tokio::test]
async fn each_fault_kind_maps_to_its_error() {
    let client = signed_in("jsmith").await;
    client.set_timeout_ms(300);
    for kind in FaultKind::ALL {
        let fault = FaultSpec::new("community/self", kind);
        let fault = match kind {
            FaultKind::ErrorJson => fault.error(500, "Boom"),
            FaultKind::Delay => fault.ms(5_000),
            _ => fault,
        };
        client.transport().arm(fault).await;
        let error = client.me().await.unwrap_err();
        // Exhaustive: a new kind must say what the client makes of it.
        let expected = match kind {
            FaultKind::Http500 => matches!(error, Error::Http { status: 500 }),
            FaultKind::MalformedJson => matches!(&error, Error::Malformed(m) if m.contains("EOF")),
            FaultKind::Drop => matches!(error, Error::Transport(_)),
            FaultKind::ErrorJson => matches!(&error, Error::Portal(e) if e.code == 500 && e.message == "Boom"),
            FaultKind::ExpiredToken => matches!(&error, Error::SignInRequired(e) if e.code == 498),
            FaultKind::Delay => matches!(&error, Error::Transport(m) if m == "the call timed out"),
            // `{"success":true}` is no user.
            FaultKind::FalseSuccess => matches!(&error, Error::Malformed(m) if m.contains("username")),
        };
        assert!(expected, "{}: unexpected {error:?}", kind.name());
    }
    assert_eq!(client.me().await.unwrap().username, "jsmith", "faults fire once");
}

#[tokio::test]
async fn no_debug_or_display_of_a_credential_or_error_prints_a_secret() {
    let client = signed_in("jsmith").await;
    let items = client.list_keys(arcgis_keys::model::KeyKind::Credential, Default::default()).await.unwrap();
    let credential = client.credential(&items[0].id).await.unwrap();
    let secret = credential.app.client_secret.expose().to_owned();
    let token = client.session().unwrap().token.expose().to_owned();
    let printed = format!(
        "{credential:?} {:?} {}",
        client.session(),
        Error::Input(arcgis_keys::InputError::new(arcgis_keys::Field::Title, "x"))
    );
    assert!(!printed.contains(&secret) && !printed.contains(&token) && !printed.contains(PASSWORD), "{printed}");
}

/// Every public type that holds a secret, printed every way: no secret text appears.
#[tokio::test]
async fn no_public_type_prints_a_secret() {
    use arcgis_keys::model::{AppInfo, Credential, Item, Slot};
    use arcgis_keys::oauth::{OAuthConfig, PendingSignIn};
    use arcgis_keys::ops::create::{Created, Step, Warning};
    use arcgis_keys::ops::keys::IssuedKey;
    use arcgis_keys::{ApiRequest, HttpRequest, HttpResponse, Method, Portal, Refresh, Session};

    const SECRETS: [&str; 6] = [
        "tok-SECRET-1",
        "refresh-SECRET-2",
        "verifier-SECRET-3",
        "client-SECRET-4",
        "AAPKlegacySECRET5",
        "AAPTkeySECRET6AT1_abcdefgh",
    ];
    let item: Item = serde_json::from_value(
        json!({ "id": "da7720eff87c4f5b9504f526ad6f0c6e", "owner": "o", "title": "t", "type": "Application" }),
    )
    .unwrap();
    let app: AppInfo = serde_json::from_value(json!({
        "itemId": item.id, "client_id": "c", "client_secret": SECRETS[3], "appType": "apikey", "apiKey": SECRETS[4],
        "isPersonalAPIToken": true,
    }))
    .unwrap();
    let credential = Credential { item, app };
    let session = Session {
        username: "u".into(),
        token: Secret::new(SECRETS[0]),
        expires_ms: 0,
        refresh: Some(Refresh { token: Secret::new(SECRETS[1]), client_id: "c".into(), expires_ms: 0 }),
        api_key: false,
    };
    let pending = PendingSignIn {
        config: OAuthConfig::new("c", "http://localhost/"),
        state: "s".into(),
        verifier: Secret::new(SECRETS[2]),
    };
    let key = IssuedKey { slot: Slot::Primary, key: Secret::new(SECRETS[5]), expires_ms: Some(0) };
    let warning = Warning { step: Step::GenerateKey(Slot::Secondary), error: Error::Transport("x".into()) };
    let created = Created { credential: credential.clone(), keys: vec![key.clone()], warnings: vec![warning.clone()] };
    let request = ApiRequest::write("/oauth2/token").secret("client_secret", &Secret::new(SECRETS[3]));
    let http = request.to_http(&Portal::arcgis_online(), Some(&Secret::new(SECRETS[0])));
    let response = HttpResponse { status: 200, body: format!("{{\"access_token\":\"{}\"}}", SECRETS[5]) };
    let raw = HttpRequest {
        method: Method::Post,
        url: "https://x".into(),
        body: format!("token={}", SECRETS[0]),
        timeout_ms: 1,
    };
    let printed = format!(
        "{credential:?} {session:?} {:?} {pending:?} {key:?} {warning:?} {warning} {created:?} {request:?} {http:?} {response:?} {raw:?}",
        session.refresh
    );
    for secret in SECRETS {
        assert!(!printed.contains(secret), "{secret} printed in: {printed}");
    }
}

#[tokio::test]
async fn the_portals_words_never_carry_a_secret_the_client_holds() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let (mut credential, _) = crate::support::credential_with_key(&client, "Echoed").await;
    let token = client.session().unwrap().token.expose().to_owned();
    let client_secret = credential.app.client_secret.expose().to_owned();
    let echo = format!("Bad request for token {token} and secret {client_secret}.");
    // A call with the session's token, and one with the client secret alone.
    transport.arm(FaultSpec::new("/community/self", FaultKind::ErrorJson).error(400, &echo)).await;
    let error = client.me().await.unwrap_err();
    transport.arm(FaultSpec::new("/revokeToken", FaultKind::ErrorJson).error(400, &echo)).await;
    let key_error = client.invalidate_key(&mut credential, arcgis_keys::model::Slot::Primary).await.unwrap_err();
    // The session's token is taken out of every answer; a request's own secrets out of its.
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains(&token) && shown.contains("token [redacted]"), "{shown}");
    }
    let shown = key_error.to_string();
    assert!(!shown.contains(&token) && !shown.contains(&client_secret), "{shown}");
    assert!(shown.contains("Bad request for token [redacted] and secret [redacted]."), "{shown}");
    let password = client_with_password_echo().await;
    assert!(!password.contains(PASSWORD) && password.contains("[redacted]"), "{password}");
}

/// A sign-in whose refusal quotes the password it was sent.
async fn client_with_password_echo() -> String {
    let client = client();
    let echo = format!("Unable to generate token for password {PASSWORD}.");
    client.transport().arm(FaultSpec::new("/generateToken", FaultKind::ErrorJson).error(400, &echo)).await;
    client.sign_in("jsmith", &Secret::new(PASSWORD), "http://localhost").await.unwrap_err().to_string()
}
