//! An organization's keys for its administrator: the expiry query (`apiTokens`) and its
//! fallback to the org search, under both readings; members and other orgs refused.

use std::collections::BTreeSet;

use arcgis_keys::model::KeyKind;
use arcgis_keys::ops::list::ListOptions;
use arcgis_keys::ops::org::{ExpirySource, OrgFilter};
use arcgis_keys::{Error, Secret};
use serde_json::json;

use crate::support::{PASSWORD, calls, credential_with_key, readings, signed_in};

const DAY_MS: i64 = 86_400_000;

#[tokio::test]
async fn an_admin_sees_every_members_live_keys_and_no_other_orgs() {
    for (reading, behaviour) in readings() {
        let admin = signed_in("demo_admin").await;
        let transport = admin.transport();
        transport.behave(&behaviour).await;
        let outsider = arcgis_keys::Client::new(transport.same_portal(), admin.portal().clone());
        outsider.sign_in("other_user", &Secret::new(PASSWORD), "http://localhost").await.unwrap();
        let (other_org, _) = credential_with_key(&outsider, "Other org's key").await;
        let (own, _) = credential_with_key(&admin, "Admin's own key").await;
        // Under the strict reading the search index lags: the fallback sees new keys later.
        transport.control("POST", "/clock", json!({ "advanceMs": 2_000 })).await;

        let now = transport.emulator.now();
        let found = admin.keys_by_expiration(now, now + 366 * DAY_MS).await.unwrap();
        let expected_source = if reading == "friendly" { ExpirySource::ApiTokens } else { ExpirySource::Search };
        assert_eq!(found.source, expected_source, "{reading}");
        let ids: BTreeSet<&str> = found.keys.iter().map(|k| k.item_id.as_str()).collect();
        assert!(ids.contains(own.item.id.as_str()), "{reading}: the admin's own key");
        assert!(!ids.contains(other_org.item.id.as_str()), "{reading}: another organization's key never appears");
        let owners: BTreeSet<&str> = found.keys.iter().map(|k| k.owner.as_str()).collect();
        assert_eq!(
            owners,
            BTreeSet::from(["demo_admin", "jsmith", "mlopez", "tnguyen"]),
            "{reading}: every member's keys, with their owner"
        );

        // Every live key of jsmith's, by the app's own word, is listed with its slot.
        let members = admin
            .list_org_credentials(&OrgFilter { owner: Some("jsmith".into()), query: None }, ListOptions::default())
            .await
            .unwrap();
        assert!(!members.is_empty() && members.iter().all(|i| i.owner == "jsmith"), "{reading}");
        let legacy: Vec<&str> =
            members.iter().filter(|i| i.key_kind() == Some(KeyKind::Legacy)).map(|i| i.title.as_str()).collect();
        assert_eq!(legacy, ["Legacy basemap key"], "{reading}: a member's retired legacy keys are listed too");
        for item in members.iter().filter(|i| i.key_kind() == Some(KeyKind::Credential)) {
            let credential = admin.credential_of(item.clone()).await.unwrap();
            for slot in credential.slots().iter().filter(|s| s.active && s.expires_ms.is_some_and(|at| at > now)) {
                assert!(
                    found.keys.iter().any(|k| k.item_id == item.id && k.slot == slot.slot),
                    "{reading}: {} key {} is listed",
                    item.title,
                    slot.slot.number()
                );
            }
        }
        let sorted = found.keys.windows(2).all(|w| w[0].expires_ms <= w[1].expires_ms);
        assert!(sorted, "{reading}: soonest first");
    }
}

#[tokio::test]
async fn the_expiry_query_pages_concurrently_and_keeps_each_key_once() {
    let admin = signed_in("demo_admin").await;
    let transport = admin.transport();
    for n in 0..230 {
        credential_with_key(&admin, &format!("Paged {n:03}")).await;
    }
    transport.clear_log().await;
    let now = transport.emulator.now();
    let keys = admin.api_tokens(now, now + 366 * DAY_MS).await.unwrap();
    let pages = calls(&transport.log().await, "/portals/self/apiTokens").len();
    assert_eq!(pages, 3, "230 and more keys: 3 pages of 100");
    let unique: BTreeSet<(String, u8)> = keys.iter().map(|k| (k.item_id.clone(), k.slot.number())).collect();
    assert_eq!(unique.len(), keys.len(), "each key once");
    assert!(keys.iter().filter(|k| k.title.starts_with("Paged ")).count() == 230);
}

#[tokio::test]
async fn a_member_is_refused_the_organizations_keys_before_anything_is_searched() {
    let member = signed_in("jsmith").await;
    let now = member.transport().emulator.now();
    let refused = |result: Result<(), Error>| match result {
        Err(Error::Input(e)) => {
            assert_eq!(e.field.name(), "organization");
            assert!(e.rule.contains("administrator"), "{}", e.rule);
        }
        other => panic!("a member: {other:?}"),
    };
    refused(member.api_tokens(now, now + DAY_MS).await.map(drop));
    refused(member.keys_by_expiration(now, now + 366 * DAY_MS).await.map(drop));
    refused(member.list_org_credentials(&OrgFilter::default(), ListOptions::default()).await.map(drop));
    match member.keys_by_expiration(now, now).await {
        Err(Error::Input(e)) => assert_eq!(e.field.name(), "to"),
        other => panic!("an empty window: {other:?}"),
    }
}
