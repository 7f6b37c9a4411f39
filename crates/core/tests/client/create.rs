//! The create workflow: round trips, and the fault matrix (every step × every fault).

use arcgis_keys::ops::create::{CredentialInput, Folder, NewCredential, Rollback, Slot, Step};
use serde_json::{Value, json};

use arcgis_portal_emulator::control::{FaultKind, FaultSpec};

use crate::support::{EmulatorTransport, levels, signed_in};

const DAY: i64 = 86_400_000;

fn new_credential(transport: &EmulatorTransport, title: &str, slots: &[Slot], folder: Folder) -> NewCredential {
    let now = transport.emulator.now();
    let input = CredentialInput {
        title: title.into(),
        tags: vec!["matrix".into()],
        folder,
        privileges: vec!["premium:user:geocode:temporary".into()],
        keys: slots.iter().map(|slot| (*slot, now + 30 * DAY)).collect(),
        ..CredentialInput::default()
    };
    NewCredential::new(input, now).unwrap()
}

async fn logged(transport: &EmulatorTransport) -> Vec<Value> {
    transport.control("GET", "/log", json!(null)).await["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn create_with_keys_in_four_sequential_round_trips() {
    // addItem, registerApp, the dates beside a read of the item, the keys beside the
    // marker's removal.
    for (slots, requests) in [(&[Slot::Primary][..], 6), (&[Slot::Primary, Slot::Secondary][..], 7)] {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        transport.set_latency(20).await;
        transport.control("DELETE", "/log", json!(null)).await;
        let created =
            client.create_credential(&new_credential(transport, "Round trips", slots, Folder::Root)).await.unwrap();
        let entries = logged(transport).await;
        assert_eq!(entries.len(), requests, "{entries:#?}");
        assert_eq!(levels(&entries), 4, "{} keys", slots.len());
        assert_eq!(created.keys.len(), slots.len());
        assert!(created.warnings.is_empty());
        for key in &created.keys {
            assert_eq!(Slot::of_key(key.key.expose()), Some(key.slot));
            assert!(transport.key_works(key.key.expose()).await);
        }
        // Keys are generated with the client secret alone, never with the user's token.
        let token_calls: Vec<&Value> = entries.iter().filter(|e| e["path"] == "/sharing/rest/oauth2/token").collect();
        assert!(
            token_calls.iter().all(|e| e["body"].get("token").is_none() && e["body"]["client_secret"] == "[redacted]")
        );
        assert!(entries.iter().all(|e| e["query"] == json!({})), "no parameter in any URL");
    }
}

#[tokio::test]
async fn create_into_a_new_folder_and_read_it_back() {
    let client = signed_in("jsmith").await;
    let new = new_credential(client.transport(), "Foldered", &[Slot::Primary], Folder::New("Keys 2026".into()));
    let created = client.create_credential(&new).await.unwrap();
    let read = client.credential(&created.credential.item.id).await.unwrap();
    assert_eq!(read.item.owner_folder, created.credential.item.owner_folder);
    assert!(read.item.owner_folder.is_some());
    assert_eq!(read.app.client_id, created.credential.app.client_id);
    assert_eq!(read.slots(), created.credential.slots(), "what create returns matches what the portal holds");
    assert_eq!(read.item.type_keywords, ["APIToken", "Registered App"]);
}

#[tokio::test]
async fn fault_matrix_no_orphan_no_lost_key_and_the_step_is_named() {
    for (reading, behaviour) in crate::support::readings() {
        create_matrix(reading, &behaviour).await;
    }
}

/// Every step of the create transaction × every fault kind, under one reading of the
/// contract's open points (the strict one's search lag included).
async fn create_matrix(reading: &str, behaviour: &Value) {
    let steps = [
        ("addItem", "/addItem", 1),
        ("registerApp", "/oauth2/registerApp", 1),
        ("set expirations", "/update", 1),
        ("first key", "/oauth2/token", 1),
        ("second key", "/oauth2/token", 2),
    ];
    // Every kind that fails a call (a false success is only how revokeToken lies).
    let kinds = FaultKind::ALL.into_iter().filter(|kind| *kind != FaultKind::FalseSuccess);
    let mut table = format!("{reading} reading\n{:<16}", "step \\ fault");
    for kind in kinds.clone() {
        table.push_str(&format!("{:<15}", kind.name()));
    }
    for (name, path, nth) in steps {
        table.push_str(&format!("\n{name:<16}"));
        for kind in kinds.clone() {
            let client = signed_in("jsmith").await;
            // A delay outlasts the client's timeout: the call fails as a timeout.
            client.set_timeout_ms(300);
            let transport = client.transport();
            transport.behave(behaviour).await;
            let before = transport.titles();
            transport.arm(FaultSpec::new(path, kind).nth(nth).ms(5_000)).await;
            let new = new_credential(transport, "Matrix", &[Slot::Primary, Slot::Secondary], Folder::Root);
            let cell = match client.create_credential(&new).await {
                Err(error) => {
                    let expected = match name {
                        "addItem" => Step::AddItem,
                        "registerApp" => Step::RegisterApp,
                        "set expirations" => Step::SetExpiration,
                        other => panic!("{other} × {kind}: no key may be lost, yet: {error}"),
                    };
                    assert_eq!(error.step, expected, "{name} × {kind}");
                    assert!(error.to_string().contains(&expected.to_string()), "the message names the step: {error}");
                    let expected_rollback =
                        if expected == Step::AddItem { Rollback::NothingCreated } else { Rollback::Deleted };
                    assert_eq!(error.rollback, expected_rollback, "{name} × {kind}");
                    assert_eq!(transport.titles(), before, "{name} × {kind}: an orphan was left");
                    if expected == Step::AddItem { "nothing made".to_owned() } else { "rolled back".to_owned() }
                }
                Ok(created) => {
                    assert!(name.ends_with("key"), "{name} × {kind} must fail");
                    assert_eq!(created.keys.len(), 1, "{name} × {kind}: the issued key is returned");
                    assert_eq!(created.warnings.len(), 1);
                    let failed = created.warnings[0].step;
                    assert!(matches!(failed, Step::GenerateKey(slot) if slot != created.keys[0].slot), "{failed:?}");
                    assert!(created.warnings[0].to_string().starts_with("generating key"), "{}", created.warnings[0]);
                    assert!(transport.key_works(created.keys[0].key.expose()).await);
                    assert!(transport.titles().contains(&"Matrix".to_owned()), "the credential stays");
                    format!("key {} kept", created.keys[0].slot.number())
                }
            };
            table.push_str(&format!("{cell:<15}"));
        }
    }
    println!("{table}");
}

#[tokio::test]
async fn a_failed_rollback_names_the_item_left_behind() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    transport.arm(FaultSpec::new("/oauth2/registerApp", FaultKind::Http500)).await;
    transport.arm(FaultSpec::new("/delete", FaultKind::Http500)).await;
    let new = new_credential(transport, "Stuck", &[Slot::Primary], Folder::Root);
    let error = client.create_credential(&new).await.unwrap_err();
    let Rollback::Failed { item_id, .. } = &error.rollback else { panic!("{error:?}") };
    assert!(
        error.to_string().contains(item_id.as_str()) && error.to_string().contains("delete it yourself"),
        "{error}"
    );
}

#[tokio::test]
async fn a_lost_answer_to_add_item_leaves_no_orphan() {
    for kind in [FaultKind::Http500, FaultKind::Drop, FaultKind::MalformedJson] {
        let client = signed_in("jsmith").await;
        let transport = client.transport();
        let before = transport.titles();
        transport.arm(FaultSpec::new("/addItem", kind).after()).await;
        let new = new_credential(transport, "Lost answer", &[Slot::Primary], Folder::Root);
        let error = client.create_credential(&new).await.unwrap_err();
        assert_eq!(error.step, Step::AddItem);
        assert_eq!(error.rollback, Rollback::Deleted, "{kind}: the item the portal made is found and deleted");
        assert_eq!(transport.titles(), before, "{kind}: an orphan was left");
    }
}

#[tokio::test]
async fn the_recovery_marker_does_not_stay_on_the_item() {
    let client = signed_in("jsmith").await;
    let new = new_credential(client.transport(), "Clean", &[Slot::Primary], Folder::Root);
    let created = client.create_credential(&new).await.unwrap();
    let read = client.credential(&created.credential.item.id).await.unwrap();
    assert_eq!(read.item.type_keywords, ["APIToken", "Registered App"]);
}

/// The request log of a create, under both readings of the open points: the
/// post-register update always carries both dates (-1 for a slot without a key),
/// registerApp says when the keys are personal, keys carry the client secret and no
/// user token, no secret is in a URL, and the marker does not stay on the item.
#[tokio::test]
async fn the_create_sequence_on_the_wire() {
    for (reading, behaviour) in crate::support::readings() {
        for slots in [&[][..], &[Slot::Secondary][..], &[Slot::Primary, Slot::Secondary][..]] {
            let client = signed_in("jsmith").await;
            let transport = client.transport();
            transport.behave(&behaviour).await;
            transport.clear_log().await;
            let new = new_credential(transport, "On the wire", slots, Folder::Root);
            let created = client.create_credential(&new).await.unwrap();
            let context = format!("{reading}, {} keys", slots.len());
            assert!(created.warnings.is_empty(), "{context}: {:?}", created.warnings);
            let log = transport.log().await;
            let register = crate::support::calls(&log, "/oauth2/registerApp");
            assert_eq!(register[0]["body"]["appType"], "multiple", "{context}");
            assert!(register[0]["body"].get("isPersonalAPIToken").is_none(), "{context}: no personal privilege");
            let updates = crate::support::calls(&log, "/update");
            let dates = &updates[0]["body"];
            for slot in Slot::BOTH {
                let field = slot.expiration_field();
                let expected = new
                    .keys
                    .iter()
                    .find(|(s, _)| *s == slot)
                    .map_or("-1".to_owned(), |(_, at)| at.epoch_ms().to_string());
                assert_eq!(dates[field], expected, "{context}: {field}");
            }
            for token in crate::support::calls(&log, "/oauth2/token") {
                assert!(token["body"].get("token").is_none(), "{context}: no user token beside the secret");
                assert_eq!(token["body"]["client_secret"], "[redacted]");
                assert_eq!(token["body"]["regenerateApiToken"], "false", "{context}: new slots are empty");
            }
            assert!(log.iter().all(|e| e["query"] == json!({})), "{context}: no parameter in any URL");
            let read = client.credential(&created.credential.item.id).await.unwrap();
            assert_eq!(read.item.type_keywords, ["APIToken", "Registered App"], "{context}: the marker is gone");
            assert_eq!(read.item.type_keywords, created.credential.item.type_keywords, "{context}");
            assert_eq!(read.slots(), created.credential.slots(), "{context}");
        }
    }
}

/// A credential made the official clients' way (addItem with no keywords of ours →
/// registerApp → item update → token, as REST JS sends them) is listed, rotated and
/// deleted by ours: the portal marks it as an API token, not the client.
#[tokio::test]
async fn a_credential_made_by_the_official_clients_is_ours_to_manage() {
    use arcgis_keys::model::KeyKind;
    use arcgis_keys::validate::Expiration;
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    let token = client.session().unwrap().token.expose().to_owned();
    let added = transport
        .post(
            "/content/users/jsmith/addItem",
            &[("title", "Made by REST JS"), ("type", "Application"), ("f", "json"), ("token", &token)],
        )
        .await;
    let id = added["id"].as_str().unwrap().to_owned();
    let app = transport
        .post(
            "/oauth2/registerApp",
            &[
                ("itemId", &id),
                ("appType", "multiple"),
                ("redirect_uris", r#"["urn:ietf:wg:oauth:2.0:oob"]"#),
                ("httpReferrers", "[]"),
                ("privileges", r#"["premium:user:geocode:temporary"]"#),
                ("f", "json"),
                ("token", &token),
            ],
        )
        .await;
    let month = (transport.emulator.now() + 30 * DAY).to_string();
    transport
        .post(
            &format!("/content/users/jsmith/items/{id}/update"),
            &[("apiToken1ExpirationDate", &month), ("apiToken2ExpirationDate", "-1"), ("f", "json"), ("token", &token)],
        )
        .await;
    let first = transport
        .post(
            "/oauth2/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", app["client_id"].as_str().unwrap()),
                ("client_secret", app["client_secret"].as_str().unwrap()),
                ("apiToken", "1"),
                ("regenerateApiToken", "true"),
                ("f", "json"),
            ],
        )
        .await;
    let first = first["access_token"].as_str().unwrap().to_owned();

    let listed = client.list_keys(KeyKind::Credential, Default::default()).await.unwrap();
    let item = listed.into_iter().find(|i| i.id == id).expect("listed by the Python API's query");
    let mut credential = client.credential_of(item).await.unwrap();
    let now = transport.emulator.now();
    let second =
        client.generate_key(&mut credential, Slot::Secondary, Expiration::new(now + 60 * DAY, now).unwrap()).await;
    let second = second.unwrap();
    client.invalidate_key(&mut credential, Slot::Primary).await.unwrap();
    assert!(!transport.key_works(&first).await && transport.key_works(second.key.expose()).await);
    client.delete_key(&mut credential).await.unwrap();
    assert!(!transport.key_works(second.key.expose()).await);
    assert!(!transport.titles().contains(&"Made by REST JS".to_owned()));
}
