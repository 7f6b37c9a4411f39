//! Arbitrary answers for every response parser: every operation runs against a
//! transport that answers with arbitrary bytes, arbitrary JSON, or JSON shaped like the
//! contract's answers with arbitrary values. Nothing may panic or hang.

use std::cell::RefCell;

use arcgis_keys::model::{AppInfo, Credential, Item, KeyKind, Slot};
use arcgis_keys::oauth::{OAuthConfig, PendingSignIn};
use arcgis_keys::ops::create::{CredentialInput, NewCredential};
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking};
use arcgis_keys::validate::{Expiration, Title};
use arcgis_keys::{Client, HttpRequest, HttpResponse, Portal, Refresh, Secret, Session, Transport};
use futures_util::FutureExt;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const NOW: i64 = 1_700_000_000_000;

/// Answers each request with the next scripted answer, round and round.
struct Scripted {
    answers: Vec<(u16, String)>,
    next: RefCell<usize>,
}

impl Transport for Scripted {
    type Error = std::io::Error;
    type Body = String;
    type Json = Value;

    async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, std::io::Error> {
        let mut next = self.next.borrow_mut();
        let (status, body) = self.answers[*next % self.answers.len()].clone();
        *next += 1;
        Ok(HttpResponse { status, body })
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
        NOW
    }

    async fn sleep(&self, _ms: u32) {}

    fn random_bytes(&self, buf: &mut [u8]) {
        buf.fill(7);
    }

    async fn sha256(&self, _data: &[u8]) -> [u8; 32] {
        [9; 32]
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Keys the contract's answers use, with arbitrary values: this reaches deep into decoding.
fn shaped_json() -> impl Strategy<Value = Value> {
    const KEYS: &[&str] = &[
        "error",
        "code",
        "message",
        "messageCode",
        "details",
        "success",
        "id",
        "folder",
        "token",
        "expires",
        "username",
        "total",
        "start",
        "num",
        "nextStart",
        "results",
        "itemId",
        "client_id",
        "client_secret",
        "appType",
        "privileges",
        "httpReferrers",
        "apiToken1Active",
        "apiToken2Active",
        "apiKey",
        "access_token",
        "owner",
        "title",
        "type",
    ];
    prop::collection::vec((prop::sample::select(KEYS), any_json()), 0..10).prop_map(|pairs| {
        let mut object = Map::new();
        for (key, value) in pairs {
            object.insert(key.to_owned(), value);
        }
        Value::Object(object)
    })
}

fn answer() -> impl Strategy<Value = (u16, String)> {
    let status = prop_oneof![Just(200u16), Just(500), 100u16..600];
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any_json().prop_map(|v| v.to_string()),
        shaped_json().prop_map(|v| v.to_string()),
    ];
    (status, body)
}

fn credential() -> Credential {
    let item: Item = serde_json::from_value(json!({
        "id": "da7720eff87c4f5b9504f526ad6f0c6e", "owner": "jsmith", "title": "t", "type": "Application",
    }))
    .unwrap();
    let app: AppInfo = serde_json::from_value(json!({
        "itemId": item.id, "client_id": "abc", "client_secret": "s", "appType": "multiple",
    }))
    .unwrap();
    Credential { item, app }
}

/// Runs every operation once; each must finish (the transport is always ready).
fn run_every_operation(answers: Vec<(u16, String)>) {
    let client =
        Client::new(Scripted { answers, next: RefCell::new(0) }, Portal::new("https://portal.example").unwrap());
    let ready = "every call completes at once against a ready transport";
    let refresh = Some(Refresh { token: Secret::new("r"), client_id: "c".into(), expires_ms: NOW + 1 });
    client.use_session(Session {
        username: "jsmith".into(),
        token: Secret::new("t"),
        expires_ms: NOW + 1,
        refresh,
        api_key: false,
    });
    let _ = client.me().now_or_never().expect(ready);
    let _ = client.list_keys(KeyKind::Credential, Default::default()).now_or_never().expect(ready);
    let _ = client.credential("da7720eff87c4f5b9504f526ad6f0c6e").now_or_never().expect(ready);
    let input = CredentialInput {
        title: "x".into(),
        privileges: vec!["premium:user:basemaps".into()],
        keys: vec![(Slot::Primary, NOW + 1000), (Slot::Secondary, NOW + 2000)],
        ..CredentialInput::default()
    };
    let new = NewCredential::new(input, NOW).unwrap();
    let _ = client.create_credential(&new).now_or_never().expect(ready);
    let mut existing = credential();
    let expires = Expiration::new(NOW + 1000, NOW).unwrap();
    let _ = client.generate_key(&mut existing, Slot::Secondary, expires).now_or_never().expect(ready);
    let _ = client.invalidate_key(&mut existing, Slot::Primary).now_or_never().expect(ready);
    let _ = client.set_expiration(&mut existing, Slot::Primary, expires).now_or_never().expect(ready);
    let update = CredentialUpdate {
        title: Some(Title::new("y").unwrap()),
        privileges: Some(vec!["premium:user:places".into()]),
        ..Default::default()
    };
    let _ = client.update_credential(&mut existing, update, Some(KeysStopWorking)).now_or_never().expect(ready);
    let _ = client.delete_key(&mut existing).now_or_never().expect(ready);
    let _ = client.item("da7720eff87c4f5b9504f526ad6f0c6e").now_or_never().expect(ready);
    let _ = client.browse(None, 1).now_or_never().expect(ready);
    let _ = client.browse(Some("f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"), 101).now_or_never().expect(ready);
    let _ = client.usage(&existing, 0, NOW, arcgis_keys::ops::usage::Period::Day).now_or_never().expect(ready);
    let _ = client.usage_by_app(0, NOW).now_or_never().expect(ready);
    let key = Secret::new("AAPTkeyAT1_abcdefgh");
    let hosts = arcgis_keys::ops::test_key::ServiceHosts::Base("https://services.example".into());
    let _ = client.test_key(&key, "premium:user:geocode:temporary", &hosts).now_or_never().expect(ready);
    let _ = client.sign_in_with_token(Secret::new("t"), None).now_or_never().expect(ready);
    let _ = client.begin_oauth(OAuthConfig::new("c", "http://localhost/")).now_or_never().expect(ready);
    let _ = client.sign_in("jsmith", &Secret::new("p"), "http://localhost").now_or_never().expect(ready);
    let pending = PendingSignIn {
        config: OAuthConfig::new("c", "http://localhost/"),
        state: "s".into(),
        verifier: Secret::new("v"),
    };
    let _ = client.complete_oauth(&pending, "?code=x&state=s").now_or_never().expect(ready);
    let _ = client.sign_out().now_or_never().expect(ready);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_makes_any_operation_panic(answers in prop::collection::vec(answer(), 1..6)) {
        run_every_operation(answers);
    }
}

#[test]
fn a_hostile_total_does_not_plan_endless_pages() {
    let page = json!({ "total": u64::MAX, "start": 1, "num": 100, "nextStart": 101, "results": [] }).to_string();
    run_every_operation(vec![(200, page)]);
}

#[test]
fn a_secret_in_a_malformed_answer_never_reaches_the_error() {
    let secret = "AAPTleakedSECRETAT1_abcdefgh";
    let body = json!({ "username": "jsmith", "privileges": secret }).to_string();
    let client = Client::new(
        Scripted { answers: vec![(200, body)], next: RefCell::new(0) },
        Portal::new("https://p.example").unwrap(),
    );
    client.use_session(Session {
        username: "jsmith".into(),
        token: Secret::new("t"),
        expires_ms: NOW + 1,
        refresh: None,
        api_key: false,
    });
    let error = client.me().now_or_never().unwrap().unwrap_err();
    let printed = format!("{error} {error:?}");
    assert!(printed.contains("invalid type"), "the decoder's message is kept: {printed}");
    assert!(!printed.contains(secret), "{printed}");
}
