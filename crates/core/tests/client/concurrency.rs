//! Two sessions editing one credential at once: no change is lost without a word. Each
//! edit is applied, or reported as a conflict naming both versions.

use arcgis_keys::model::Credential;
use arcgis_keys::ops::update::{CredentialUpdate, KeysStopWorking};
use arcgis_keys::validate::Referrer;
use arcgis_keys::{Client, Error, Secret};

use crate::support::{PASSWORD, credential_with_key, readings, signed_in};

const BASEMAPS: &str = "premium:user:basemaps";
const REFERRER: &str = "https://maps.example.com";

/// A small seeded generator (splitmix64), so that a failing run can be replayed.
fn jitter(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 60
}

#[tokio::test]
async fn privileges_against_referrers_twenty_times_no_change_is_silently_lost() {
    let mut seed = 20_261_207_u64;
    let mut table = Vec::new();
    for (reading, behaviour) in readings() {
        for run in 1..=10 {
            let first = signed_in("jsmith").await;
            let transport = first.transport();
            transport.behave(&behaviour).await;
            let second = Client::new(transport.same_portal(), first.portal().clone());
            second.sign_in("jsmith", &Secret::new(PASSWORD), "http://localhost").await.unwrap();
            let (credential, _) = credential_with_key(&first, "Edited twice").await;
            let id = credential.item.id.clone();
            let mut a: Credential = first.credential(&id).await.unwrap();
            let mut b: Credential = second.credential(&id).await.unwrap();
            transport.set_latency(25).await;
            let (wait_a, wait_b) = (jitter(&mut seed), jitter(&mut seed));
            let privileges = async {
                tokio::time::sleep(std::time::Duration::from_millis(wait_a)).await;
                let update = CredentialUpdate {
                    privileges: Some(vec!["premium:user:geocode:temporary".into(), BASEMAPS.into()]),
                    ..Default::default()
                };
                first.update_credential(&mut a, update, Some(KeysStopWorking)).await
            };
            let referrers = async {
                tokio::time::sleep(std::time::Duration::from_millis(wait_b)).await;
                let update =
                    CredentialUpdate { referrers: Some(vec![Referrer::new(REFERRER).unwrap()]), ..Default::default() };
                second.update_credential(&mut b, update, None).await
            };
            let (privileged, referred) = tokio::join!(privileges, referrers);
            transport.set_latency(0).await;
            let portal = first.credential(&id).await.unwrap();
            let has_privilege = portal.app.privileges.iter().any(|p| p == BASEMAPS);
            let has_referrer = portal.app.http_referrers.iter().any(|r| r == REFERRER);
            let cell = format!("{reading} run {run} (waits {wait_a}/{wait_b} ms)");
            let conflict = |result: &Result<_, arcgis_keys::ops::update::UpdateError>| matches!(result, Err(e) if matches!(&e.error, Error::Portal(s) if s.code == 409));
            for (name, result, holds) in
                [("privileges", &privileged, has_privilege), ("referrers", &referred, has_referrer)]
            {
                match result {
                    Ok(_) => assert!(holds, "{cell}: the {name} change succeeded but was lost: {portal:?}"),
                    Err(e) if conflict(result) => {
                        assert!(e.to_string().contains("now holds"), "{cell}: {e}");
                    }
                    Err(e) => panic!("{cell}: the {name} change failed: {e}"),
                }
            }
            let writes =
                transport.log().await.iter().filter(|e| e["path"].as_str().unwrap().contains("/oauth2/apps/")).count();
            table.push(format!(
                "{cell}: privileges {}, referrers {}, {writes} app writes (more than 2: one was applied again)",
                if conflict(&privileged) { "conflict" } else { "applied" },
                if conflict(&referred) { "conflict" } else { "applied" }
            ));
        }
    }
    println!("{}", table.join("\n"));
}
