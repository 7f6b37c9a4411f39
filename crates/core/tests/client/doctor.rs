//! `doctor` against the emulator: for every behaviour switch, flipped alone and in the
//! friendly and strict sets, each probe reports exactly the reading the emulator acts
//! out, and the run leaves nothing behind.

use arcgis_keys::Client;
use arcgis_keys::oauth::OAuthConfig;
use arcgis_keys::ops::doctor::{DoctorOptions, DoctorReport, Outcome, Point};
use arcgis_keys::ops::test_key::ServiceHosts;
use serde_json::{Value, json};

use crate::support::{EmulatorTransport, PASSWORD, client, signed_in};

fn options() -> DoctorOptions {
    DoctorOptions { read_only: false, service_hosts: ServiceHosts::Base("http://127.0.0.1:1".into()) }
}

/// The reading a report gives for `point`, or why it was not tested.
fn reading(report: &DoctorReport, point: Point) -> Result<&'static str, String> {
    let finding = report.findings.iter().find(|f| f.point == point).unwrap_or_else(|| panic!("{point:?} missing"));
    match &finding.outcome {
        Outcome::Observed { reading, .. } => Ok(reading),
        Outcome::NotTested { reason } => Err(reason.clone()),
    }
}

/// Every item of every user, as the emulator holds them (the recycle bin apart).
async fn item_count(transport: &EmulatorTransport) -> usize {
    transport.emulator.inspect(|state| state.items.len() + state.recycle_bin.len())
}

async fn doctor_as(username: &str, behaviour: &Value) -> (Client<EmulatorTransport>, DoctorReport) {
    let client = signed_in(username).await;
    client.transport().behave(behaviour).await;
    let before = item_count(client.transport()).await;
    let report = client.doctor(&options()).await.unwrap_or_else(|e| panic!("{behaviour}: {e}"));
    assert_eq!(item_count(client.transport()).await, before, "{behaviour}: nothing left behind");
    assert!(report.left_behind.is_empty(), "{behaviour}: {:?}", report.left_behind);
    (client, report)
}

/// Each switch, its two readings, and the point that must report them.
const SWITCHES: &[(&str, [&str; 2], Point)] = &[
    ("omittedAppField", ["keep", "clear"], Point::OmittedAppField),
    ("referrersUpdate", ["keysStay", "keysStop"], Point::ReferrersUpdate),
    ("recycledKeys", ["stop", "keepWorking"], Point::RecycledKeys),
    ("usageForMembers", ["allowed", "forbidden"], Point::UsageForMembers),
    ("apiKeySelf", ["owner", "refused"], Point::ApiKeySelf),
    ("apiKeyReads", ["anyPersonal", "contentPrivilege"], Point::ApiKeyReads),
    ("nonPersonalKey", ["forbidden", "invalidToken"], Point::NonPersonalKey),
    ("personalFlagOnUpdate", ["recomputed", "kept"], Point::PersonalFlagOnUpdate),
];

#[tokio::test]
async fn each_switch_flipped_alone_is_reported_as_set() {
    for (switch, values, point) in SWITCHES {
        for value in values {
            let (_, report) = doctor_as("jsmith", &json!({ *switch: value })).await;
            assert_eq!(reading(&report, *point), Ok(*value), "{switch}={value}");
        }
    }
    for value in ["allowed", "forbidden"] {
        let (_, report) = doctor_as("demo_admin", &json!({ "orgKeyQuery": value })).await;
        assert_eq!(reading(&report, Point::OrgKeyQuery), Ok(value), "orgKeyQuery={value}");
        assert!(reading(&report, Point::UsageForMembers).is_err(), "an administrator cannot see the member reading");
    }
    let (_, report) = doctor_as("jsmith", &json!({ "searchLagMs": 1500 })).await;
    assert_eq!(reading(&report, Point::SearchLag), Ok("lags"));
    let measured = report.findings.iter().find_map(|f| match &f.outcome {
        Outcome::Observed { measured_ms: Some(ms), .. } if f.point == Point::SearchLag => Some(*ms),
        _ => None,
    });
    assert!(measured.is_some_and(|ms| (1_500..6_000).contains(&ms)), "{measured:?}");
    let (_, report) = doctor_as("jsmith", &json!({ "searchLagMs": 0 })).await;
    assert_eq!(reading(&report, Point::SearchLag), Ok("fresh"));
}

#[tokio::test]
async fn the_friendly_and_strict_sets_are_reported_point_by_point() {
    let strict = serde_json::to_value(arcgis_portal_emulator::behaviour::Behaviour::strict()).unwrap();
    for (set, behaviour, index) in [("friendly", json!({}), 0), ("strict", strict, 1)] {
        let (_, report) = doctor_as("jsmith", &behaviour).await;
        for (switch, values, point) in SWITCHES {
            assert_eq!(reading(&report, *point), Ok(values[index]), "{set}: {switch}");
        }
        assert_eq!(reading(&report, Point::SearchLag), Ok(["fresh", "lags"][index]), "{set}");
        // The emulator's fixed readings, without switches.
        assert_eq!(reading(&report, Point::ExpirationRounding), Ok("endOfUtcDay"), "{set}");
        assert!(reading(&report, Point::OauthTokenForKeys).unwrap_err().contains("OAuth sign-in"), "{set}");
        assert_eq!(report.portal, "ArcGIS Online");
        let (_, admin) = doctor_as("demo_admin", &behaviour).await;
        assert_eq!(reading(&admin, Point::OrgKeyQuery), Ok(["allowed", "forbidden"][index]), "{set}");
    }
}

#[tokio::test]
async fn an_oauth_sign_in_is_reported_as_allowed_or_forbidden_to_manage_keys() {
    for value in ["allowed", "forbidden"] {
        let client = client();
        let transport = client.transport();
        transport.behave(&json!({ "oauthTokenForKeys": value })).await;
        let (url, pending) =
            client.begin_oauth(OAuthConfig::new("arcgis-keys-manager", "http://127.0.0.1:8787/")).await;
        let callback = transport.authorize(&url, "jsmith", PASSWORD, "sign-in").await;
        client.complete_oauth(&pending, &format!("?{callback}")).await.unwrap();
        let before = item_count(transport).await;
        let report = client.doctor(&options()).await.unwrap();
        assert_eq!(reading(&report, Point::OauthTokenForKeys), Ok(value));
        assert_eq!(item_count(transport).await, before, "{value}: nothing left behind");
        if value == "forbidden" {
            assert!(reading(&report, Point::ReferrersUpdate).unwrap_err().contains("OAuth"), "the rest say why");
            assert_eq!(reading(&report, Point::UsageForMembers), Ok("allowed"), "a read still runs");
        }
    }
}

#[tokio::test]
async fn read_only_sends_no_write_and_a_later_run_sweeps_what_an_earlier_one_left() {
    let client = signed_in("jsmith").await;
    let transport = client.transport();
    crate::support::credential_with_key(&client, "Mine").await;
    transport.clear_log().await;
    let report = client.doctor(&DoctorOptions { read_only: true, ..options() }).await.unwrap();
    let writes: Vec<String> = transport
        .log()
        .await
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_owned())
        .filter(|p| {
            ["/addItem", "/update", "/delete", "/registerApp", "/oauth2/token", "/revokeToken", "/restore"]
                .iter()
                .any(|w| p.ends_with(w))
        })
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert_eq!(reading(&report, Point::UsageForMembers), Ok("allowed"));
    assert!(reading(&report, Point::ReferrersUpdate).unwrap_err().contains("--read-only"));

    // A probe that fails mid-run is "not tested", and the clean-up still runs.
    let before = item_count(transport).await;
    transport
        .arm(arcgis_portal_emulator::control::FaultSpec::new(
            "/search",
            arcgis_portal_emulator::control::FaultKind::Drop,
        ))
        .await;
    let report = client.doctor(&options()).await.unwrap();
    assert!(reading(&report, Point::SearchLag).unwrap_err().contains("searching failed"));
    assert!(report.left_behind.is_empty());
    assert_eq!(item_count(transport).await, before);
    // A run that died after making a throwaway credential: the next one finds it by its
    // tag and deletes it.
    let id = add_tagged(&client).await;
    // And one killed between its item and its app: a bare item.
    let token = client.session().unwrap().token.expose().to_owned();
    let bare = [
        ("title", "arcgis-keys doctor: killed before its app"),
        ("type", "Application"),
        ("tags", arcgis_keys::ops::doctor::DOCTOR_TAG),
        ("f", "json"),
        ("token", token.as_str()),
    ];
    transport.post("/content/users/jsmith/addItem", &bare).await;
    assert_eq!(item_count(transport).await, before + 2);
    let report = client.doctor(&options()).await.unwrap();
    assert_eq!(report.swept, 2, "{id}");
    assert_eq!(item_count(transport).await, before);
}

/// A throwaway credential as a killed run leaves it.
async fn add_tagged(client: &Client<EmulatorTransport>) -> String {
    use arcgis_keys::ops::create::{CredentialInput, NewCredential};
    let now = client.transport().emulator.now();
    let input = CredentialInput {
        title: "arcgis-keys doctor: left by a killed run".into(),
        tags: vec![arcgis_keys::ops::doctor::DOCTOR_TAG.into()],
        privileges: vec!["premium:user:basemaps".into()],
        keys: vec![(arcgis_keys::model::Slot::Primary, now + 86_400_000)],
        ..CredentialInput::default()
    };
    client.create_credential(&NewCredential::new(input, now).unwrap()).await.unwrap().credential.item.id
}
