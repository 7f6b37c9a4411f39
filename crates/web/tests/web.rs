//! The fetch transport and the JS API in a real JavaScript engine, against a running
//! emulator: `tests/js/wasm-bindgen.test.mjs` starts one and runs this file with
//! `wasm-bindgen-test-runner` twice, in Node and in headless Chromium (whose page is on
//! another origin, so every call here also crosses CORS). Async tests interleave, so
//! each fault is armed on a path that only its own test requests.
#![cfg(target_arch = "wasm32")]

use arcgis_keys::oauth::base64url;
use arcgis_keys::ops::create::{CredentialInput, NewCredential, Slot};
use arcgis_keys::ops::list::ListOptions;
use arcgis_keys::{Client, Error, HttpRequest, Method, Portal, Secret, Transport};
use arcgis_keys_web::fetch::FetchTransport;
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod emulator;

use emulator::{Emulator, Fault};

async fn signed_in() -> Client<FetchTransport> {
    let client = Client::new(FetchTransport, Portal::new(&Emulator::from_build_env().rest()).unwrap());
    client.sign_in("jsmith", &Secret::new("arcgis-demo"), "http://localhost").await.expect("signs in");
    client
}

#[wasm_bindgen_test]
async fn calls_are_cors_simple_requests_with_no_custom_header() {
    let client = signed_in().await;
    client.list_keys(arcgis_keys::model::KeyKind::Credential, ListOptions::default()).await.unwrap();
    let headers = Emulator::from_build_env().last_request_headers().await;
    assert!(!headers.is_empty(), "the log names the request's headers");
    for name in &headers {
        assert!(!name.starts_with("x-") && name != "authorization", "a custom header: {headers:?}");
    }
}

#[wasm_bindgen_test]
async fn a_credential_round_trip_through_fetch() {
    let client = signed_in().await;
    let now = FetchTransport.now_ms();
    let input = CredentialInput {
        title: "From wasm-bindgen-test".into(),
        privileges: vec!["premium:user:geocode:temporary".into()],
        keys: vec![(Slot::Primary, now + 86_400_000), (Slot::Secondary, now + 2 * 86_400_000)],
        ..CredentialInput::default()
    };
    let created = client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap();
    assert_eq!(created.keys.len(), 2);
    assert!(created.keys.iter().all(|k| k.key.expose().starts_with("AAPT")));
    let mut credential = created.credential;
    client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
    let mut read = client.credential(&credential.item.id).await.unwrap();
    assert!(!read.app.api_token1_active && read.app.api_token2_active);
    client.delete_key(&mut read).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_request_that_outlives_its_timeout_fails_as_a_transport_error() {
    let client = signed_in().await;
    client.set_timeout_ms(150);
    Emulator::from_build_env().arm("/timeout-folder", Fault::Delay { ms: 1500 }, 1).await;
    match client.browse(Some("timeout-folder"), 1).await {
        Err(Error::Transport(message)) => assert_eq!(message, "no answer within 150 ms"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_dropped_connection_and_broken_json_are_told_apart() {
    let client = signed_in().await;
    let emulator = Emulator::from_build_env();
    // Chromium retries a request whose reused keep-alive connection drops, once per idle
    // connection it holds to the host (at most six): drop seven tries. The folder is this
    // run's own, so that faults left armed by the Node run never fire here.
    let folder = format!("dropped-{}", emulator.unique());
    for nth in 1..=7 {
        emulator.arm(&format!("/{folder}"), Fault::Drop, nth).await;
    }
    match client.browse(Some(&folder), 1).await {
        // The engine's own words: "Failed to fetch" (Chromium), "fetch failed" (Node).
        Err(Error::Transport(message)) => assert!(message.starts_with("TypeError: "), "{message}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    emulator.arm("/broken-folder", Fault::MalformedJson, 1).await;
    match client.browse(Some("broken-folder"), 1).await {
        Err(Error::Malformed(message)) => assert_eq!(message, "the answer is not JSON"),
        other => panic!("expected a malformed answer, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn get_and_post_reach_the_portal_as_sent() {
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{}/portals/self?f=json", Emulator::from_build_env().rest()),
        body: String::new(),
        timeout_ms: 5_000,
    };
    let response = FetchTransport.send(request).await.unwrap();
    assert_eq!(response.status, 200);
    assert!(response.body.includes("\"id\"", 0));

    let request = HttpRequest {
        method: Method::Post,
        url: format!("{}/generateToken", Emulator::from_build_env().rest()),
        body: "username=jsmith&password=arcgis-demo&client=referer&referer=http%3A%2F%2Flocalhost&f=json".into(),
        timeout_ms: 5_000,
    };
    let response = FetchTransport.send(request).await.unwrap();
    assert!(response.body.includes("\"token\"", 0), "form bodies are read as forms");
}

#[wasm_bindgen_test]
async fn webcrypto_gives_sha256_and_distinct_random_bytes() {
    let digest = FetchTransport.sha256(b"abc").await;
    assert_eq!(base64url(&digest), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    FetchTransport.random_bytes(&mut a);
    FetchTransport.random_bytes(&mut b);
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

#[wasm_bindgen_test]
fn json_is_parsed_by_the_engine_and_its_errors_hold_no_text() {
    let json = FetchTransport
        .parse_json(&JsString::from(r#"{"total":3,"start":1,"num":100,"nextStart":-1,"results":[]}"#))
        .unwrap();
    let page: arcgis_keys::model::SearchPage = FetchTransport.decode(&json).unwrap();
    assert_eq!((page.total, page.next_start), (3, -1));
    let error = FetchTransport.parse_json(&JsString::from("AAPTsecret-not-json")).unwrap_err();
    assert!(!error.contains("AAPT"), "{error}");
}

#[wasm_bindgen_test]
async fn the_js_api_signs_in_and_rejects_with_error_classes() {
    let options = js_sys::JSON::parse(&format!(
        r#"{{"portal":"{}","username":"jsmith","password":"arcgis-demo"}}"#,
        Emulator::from_build_env().rest()
    ))
    .unwrap();
    let session = arcgis_keys_web::session::sign_in::sign_in(options).await.expect("signs in");
    assert_eq!(session.username(), "jsmith");
    let rejected = JsFuture::from(session.get_credential("0123456789abcdef0123456789abcdef".into())).await.unwrap_err();
    let error: js_sys::Error = rejected.dyn_into().expect("an Error");
    assert_eq!(String::from(error.name()), "PortalError");
    let code = js_sys::Reflect::get(&error, &"code".into()).unwrap();
    assert_eq!(code.as_f64(), Some(400.0));
}

#[wasm_bindgen_test]
fn decode_errors_say_what_was_expected_and_never_echo_the_value() {
    let json = FetchTransport
        .parse_json(&JsString::from(r#"{"total":"AAPTsecretAT1_abcdefgh","start":1,"num":1,"nextStart":-1}"#))
        .unwrap();
    let error = FetchTransport.decode::<arcgis_keys::model::SearchPage>(&json).unwrap_err();
    assert!(error.contains("expected"), "{error}");
    assert!(!error.contains("AAPT"), "{error}");
}

#[wasm_bindgen_test]
fn odd_answers_are_errors_not_panics() {
    use arcgis_keys::model::{AppInfo, Item, SearchPage, User};
    let answers = [
        "null",
        "[]",
        "[1,2]",
        "1.5",
        r#""text""#,
        "{}",
        r#"{"total":1.5,"start":1,"num":1,"nextStart":-1}"#,
        r#"{"total":-1,"start":1,"num":1,"nextStart":-1}"#,
        r#"{"total":1e300,"start":1,"num":1,"nextStart":-1}"#,
        r#"{"total":1,"start":1,"num":1,"nextStart":-1,"results":[{"id":null}]}"#,
        r#"{"id":"a","owner":"b","title":"c","type":"d","tags":"not a list"}"#,
        r#"{"itemId":"a","client_id":"b","client_secret":7,"appType":"x"}"#,
        r#"{"username":{"nested":true}}"#,
    ];
    for answer in answers {
        let json = FetchTransport.parse_json(&JsString::from(answer)).unwrap();
        assert!(FetchTransport.decode::<SearchPage>(&json).is_err(), "{answer}");
        let _ = FetchTransport.decode::<Item>(&json);
        let _ = FetchTransport.decode::<AppInfo>(&json);
        let _ = FetchTransport.decode::<User>(&json);
    }
    let fine = FetchTransport
        .parse_json(&JsString::from(
            r#"{"id":"a","owner":"b","title":"c","type":"d","extra":[1,{"x":2}],"description":null}"#,
        ))
        .unwrap();
    let item: Item = FetchTransport.decode(&fine).unwrap();
    assert_eq!((item.id.as_str(), item.description), ("a", None));
}
