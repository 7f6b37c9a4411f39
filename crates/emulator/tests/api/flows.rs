//! The two flows of the contract over a real loopback socket, as a browser or the
//! official JavaScript client would send them.

use arcgis_portal_emulator::Config;
use serde_json::{Value, json};

use crate::harness::{Served, error_code, sign_in_form};

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn sign_in(base: &str, username: &str) -> Self {
        let http = reqwest::Client::new();
        let mut client = Self { http, base: base.to_owned(), token: String::new() };
        let body = client.post("/generateToken", &sign_in_form(username)).await;
        client.token = body["token"].as_str().unwrap().to_owned();
        client
    }

    /// A form-encoded POST with `f=json` and (when signed in) the token in the body.
    async fn post(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let mut form: Vec<(&str, &str)> = params.to_vec();
        form.push(("f", "json"));
        if !self.token.is_empty() {
            form.push(("token", &self.token));
        }
        let reply = self.http.post(format!("{}/sharing/rest{path}", self.base)).form(&form).send().await.unwrap();
        assert!(reply.status().is_success(), "{path}: HTTP {}", reply.status());
        let body: Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
        assert_eq!(error_code(&body), None, "{path}: {body}");
        body
    }

    /// A GET with `f=json` and exactly the given parameters (a service call carries a key).
    async fn get(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let mut query: Vec<(&str, &str)> = params.to_vec();
        query.push(("f", "json"));
        let reply = self.http.get(format!("{}{path}", self.base)).query(&query).send().await.unwrap();
        serde_json::from_str(&reply.text().await.unwrap()).unwrap()
    }
}

/// Legacy API keys were retired: what is left of them can be found and deleted, nothing else.
#[tokio::test]
async fn retired_legacy_keys_can_be_listed_and_deleted_only() {
    let served = Served::start(Config::default()).await;
    let client = Client::sign_in(&served.base, "jsmith").await;
    let found = client.post("/search", &[("q", r#"owner:jsmith AND type:"API Key""#), ("num", "100")]).await;
    let legacy = &found["results"].as_array().unwrap()[0];
    let id = legacy["id"].as_str().unwrap().to_owned();
    let key = served.emulator.inspect(|s| s.apps.values().find(|a| a.item_id == id).unwrap().api_key.clone().unwrap());
    let geocode = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates";
    assert_eq!(
        error_code(&client.get(geocode, &[("SingleLine", "x"), ("token", &key)]).await),
        Some(498),
        "revoked on 2026-06-27"
    );
    let info = client.post(&format!("/content/users/jsmith/items/{id}/registeredAppInfo"), &[]).await;
    let client_id = info["client_id"].as_str().unwrap();
    let added = client.post("/content/users/jsmith/addItem", &[("title", "New legacy"), ("type", "API Key")]).await;
    let new_id = added["id"].as_str().unwrap();
    let register = [("itemId", new_id), ("appType", "apikey"), ("redirect_uris", "[]"), ("privileges", "[]")];
    for (path, params) in [
        ("/oauth2/registerApp".to_owned(), &register[..]),
        (format!("/oauth2/apps/{client_id}/resetApiKey"), &[][..]),
        (format!("/oauth2/apps/{client_id}/update"), &[("httpReferrers", "[]"), ("privileges", "[]")][..]),
    ] {
        let reply = client.http.post(format!("{}/sharing/rest{path}", served.base));
        let mut form = params.to_vec();
        form.extend([("f", "json"), ("token", client.token.as_str())]);
        let body: Value = serde_json::from_str(&reply.form(&form).send().await.unwrap().text().await.unwrap()).unwrap();
        assert_eq!(error_code(&body), Some(400), "{path}: {body}");
        assert!(body.to_string().contains("retired"), "{path}: {body}");
    }
    assert_eq!(
        client.post(&format!("/content/users/jsmith/items/{id}/delete"), &[("permanentDelete", "true")]).await,
        json!({ "success": true, "itemId": id })
    );
    served.stop().await;
}

#[tokio::test]
async fn credentials_flow_of_the_portal_tutorial() {
    let served = Served::start(Config::default()).await;
    let client = Client::sign_in(&served.base, "jsmith").await;
    let added = client
        .post(
            "/content/users/jsmith/addItem",
            &[
                ("title", "Tutorial credential"),
                ("type", "Application"),
                ("typeKeywords", "Registered App,APIToken"),
                ("tags", "tutorial"),
            ],
        )
        .await;
    let id = added["id"].as_str().unwrap();
    let app = client
        .post(
            "/oauth2/registerApp",
            &[
                ("itemId", id),
                ("appType", "multiple"),
                ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
                ("httpReferrers", "[]"),
                ("privileges", r#"["premium:user:geocode:temporary"]"#),
            ],
        )
        .await;
    let (client_id, secret) = (app["client_id"].as_str().unwrap(), app["client_secret"].as_str().unwrap());
    let month = (served.emulator.now() + 30 * 86_400_000).to_string();
    let two_months = (served.emulator.now() + 60 * 86_400_000).to_string();
    client
        .post(
            &format!("/content/users/jsmith/items/{id}/update"),
            &[("apiToken1ExpirationDate", &month), ("apiToken2ExpirationDate", &two_months)],
        )
        .await;

    // Generating needs no user token: the client secret is the credential.
    let anonymous = Client { http: reqwest::Client::new(), base: served.base.clone(), token: String::new() };
    let slot = |n: &'static str, path: &'static str| {
        let anonymous = &anonymous;
        async move {
            anonymous
                .post(
                    path,
                    &[
                        ("grant_type", "client_credentials"),
                        ("client_id", client_id),
                        ("client_secret", secret),
                        ("apiToken", n),
                        ("regenerateApiToken", "true"),
                    ],
                )
                .await
        }
    };
    let key1 = slot("1", "/oauth2/token").await["access_token"].as_str().unwrap().to_owned();
    let key2 = slot("2", "/oauth2/token").await["access_token"].as_str().unwrap().to_owned();
    assert!(key1.ends_with(&key1[key1.len() - 12..]) && key1[key1.len() - 12..].starts_with("AT1_"));
    assert!(key2[key2.len() - 12..].starts_with("AT2_"));
    let info = client.post(&format!("/content/users/jsmith/items/{id}/registeredAppInfo"), &[]).await;
    assert_eq!((info["apiToken1Active"].clone(), info["apiToken2Active"].clone()), (json!(true), json!(true)));

    assert_eq!(slot("1", "/oauth2/revokeToken").await, json!({ "success": true }));
    let geocode = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates";
    assert_eq!(error_code(&client.get(geocode, &[("SingleLine", "x"), ("token", &key1)]).await), Some(498));
    assert!(client.get(geocode, &[("SingleLine", "x"), ("token", &key2)]).await["candidates"].is_array());

    let changed = client
        .post(
            &format!("/oauth2/apps/{client_id}/update"),
            &[("privileges", r#"["premium:user:geocode:temporary","premium:user:basemaps"]"#)],
        )
        .await;
    assert_eq!((changed["apiToken1Active"].clone(), changed["apiToken2Active"].clone()), (json!(false), json!(false)));
    assert_eq!(error_code(&client.get(geocode, &[("SingleLine", "x"), ("token", &key2)]).await), Some(498));

    assert_eq!(
        client.post(&format!("/content/users/jsmith/items/{id}/delete"), &[]).await,
        json!({ "success": true, "itemId": id })
    );
    served.stop().await;
}
