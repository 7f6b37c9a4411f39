//! `--state FILE`: a round trip, a corrupt file, and kill -9 at any moment.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arcgis_portal_emulator::{Config, Emulator, StartError};

use crate::harness::{PASSWORD, Portal};

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arcgis-emulator-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.json")
}

#[tokio::test]
async fn state_survives_a_restart_and_holds_no_bearer_secret() {
    let path = temp_path("round-trip");
    let config = Config { state_file: Some(path.clone()), ..Config::default() };
    let portal = Portal::with(config.clone());
    let token = portal.token("jsmith").await;
    let (id, app) = portal.credential(&token, "jsmith", r#"["premium:user:geocode:temporary"]"#, "[]").await;
    let key = portal.generate_key(&token, "jsmith", &id, &app, 1, 30).await;
    portal.emulator.flush().await.unwrap();

    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(!saved.contains(&token), "user tokens are stored hashed");
    assert!(!saved.contains(&key), "issued keys are stored hashed");

    let restarted = Portal::with(config);
    assert_eq!(restarted.get("/community/self", &[("f", "json"), ("token", &token)]).await["username"], "jsmith");
    assert!(restarted.geocode(&key, None).await["candidates"].is_array(), "the key still works");
    let info = restarted
        .post(&format!("/content/users/jsmith/items/{id}/registeredAppInfo"), &[("f", "json"), ("token", &token)])
        .await;
    assert_eq!(info["client_id"], app["client_id"]);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_not_overwritten() {
    let path = temp_path("corrupt");
    std::fs::write(&path, b"{ not json").unwrap();
    let error = Emulator::new(Config { state_file: Some(path.clone()), ..Config::default() }).err().expect("refused");
    assert!(matches!(error, StartError::StateFormat { .. }), "{error}");
    assert!(error.to_string().contains("move it away"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ not json");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn stale_temp_files_of_killed_runs_are_cleaned_at_start() {
    let path = temp_path("stale");
    let dir = path.parent().unwrap().to_owned();
    let stale = dir.join(".state.json.tmp-999999");
    let unrelated = dir.join("notes.txt");
    std::fs::write(&stale, b"half written").unwrap();
    std::fs::write(&unrelated, b"keep me").unwrap();
    let portal = Portal::with(Config { state_file: Some(path.clone()), ..Config::default() });
    assert!(!stale.exists(), "a killed run's temp file is removed");
    assert!(unrelated.exists(), "nothing else is touched");
    drop(portal);
    let _ = std::fs::remove_dir_all(dir);
}

/// Starts the real binary on a free port; returns the child and its base URL.
fn spawn_emulator(state: &std::path::Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_arcgis-portal-emulator"))
        .args(["--port", "0", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_minus_nine_at_any_moment_leaves_a_valid_state_file_with_every_acknowledged_write() {
    let path = temp_path("kill9");
    let client = reqwest::Client::new();
    let mut acknowledged_in_all = 0usize;
    let mut lost_in_all = 0usize;
    for round in 0..6u64 {
        let (mut child, base) = spawn_emulator(&path);
        let token: serde_json::Value = serde_json::from_str(
            &client
                .post(format!("{base}/sharing/rest/generateToken"))
                .form(&[("username", "jsmith"), ("password", PASSWORD), ("f", "json")])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        // Four writers at once, killed at a different moment each round; each keeps the
        // titles the portal acknowledged (answered with success).
        let deadline = Instant::now() + Duration::from_millis(40 + round * 37);
        let writers: Vec<_> = (0..4)
            .map(|writer| {
                let (client, base, token) = (client.clone(), base.clone(), token.clone());
                tokio::spawn(async move {
                    let mut acknowledged = Vec::new();
                    for n in 0.. {
                        let title = format!("round {round} writer {writer} item {n}");
                        let sent = client
                            .post(format!("{base}/sharing/rest/content/users/jsmith/addItem"))
                            .form(&[
                                ("title", title.clone()),
                                ("type", "Web Map".into()),
                                ("f", "json".into()),
                                ("token", token.clone()),
                            ])
                            .send()
                            .await;
                        let Ok(answer) = sent else { break };
                        let Ok(body) = answer.text().await else { break };
                        if body.contains("\"success\":true") {
                            acknowledged.push(title);
                        }
                    }
                    acknowledged
                })
            })
            .collect();
        tokio::time::sleep_until(deadline.into()).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut acknowledged = Vec::new();
        for writer in writers {
            acknowledged.extend(writer.await.unwrap());
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("round {round}: no state file: {e}"));
        let state: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("round {round}: invalid state file: {e}"));
        let saved: std::collections::HashSet<&str> =
            state["items"].as_object().unwrap().values().filter_map(|item| item["title"].as_str()).collect();
        let lost = acknowledged.iter().filter(|title| !saved.contains(title.as_str())).count();
        println!("round {round}: {} writes acknowledged, {lost} of them lost", acknowledged.len());
        acknowledged_in_all += acknowledged.len();
        lost_in_all += lost;
    }
    println!("in all: {acknowledged_in_all} writes acknowledged, {lost_in_all} lost");
    assert!(acknowledged_in_all > 0, "the writers wrote");
    assert_eq!(lost_in_all, 0, "every acknowledged write is in the state file");
    // The last file loads: the portal starts from it.
    let emulator = Emulator::new(Config { state_file: Some(path.clone()), ..Config::default() }).unwrap();
    assert!(emulator.inspect(|s| s.items.values().any(|i| i.title.starts_with("round "))));
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
