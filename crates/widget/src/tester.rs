//! The key tester: does a location service accept a key, and if not, why? It calls the
//! service a privilege unlocks, as an app would, with no user token. A browser sends its
//! own page's address as the referrer and cannot choose another, so the tester says
//! which address the service sees.

use arcgis_keys::Secret;
use arcgis_keys::ops::test_key::{KeyVerdict, ServiceHosts, testable};
use arcgis_keys::privileges;
use leptos::prelude::*;

use crate::app::Manager;

/// Where to send test calls by default: the portal's own origin when it runs on this
/// machine (the local emulator serves the services too), else ArcGIS's hosts (blank).
fn default_service_base(portal: &str) -> String {
    let origin = portal.find("/sharing/rest").map_or(portal, |at| &portal[..at]);
    let local = ["http://127.0.0.1", "http://localhost"]
        .iter()
        .any(|host| origin.strip_prefix(host).is_some_and(|rest| rest.is_empty() || rest.starts_with(':')));
    if local { origin.to_owned() } else { String::new() }
}

/// Tests `key` (a key just generated) or a pasted one against `privileges` (the
/// credential's; only those with a service to call are offered).
#[component]
pub fn KeyTester(#[prop(optional)] key: Option<Secret>, privileges: Vec<String>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let prefilled = key.is_some();
    let key = RwSignal::new(key.map(|k| k.expose().to_owned()).unwrap_or_default());
    let choices: Vec<(String, String)> = privileges
        .into_iter()
        .filter(|p| testable(p))
        .map(|p| {
            let label = privileges::lookup(&p).map_or_else(|| p.clone(), |known| known.label.to_owned());
            (p, label)
        })
        .collect();
    let privilege = RwSignal::new(choices.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let service_base = RwSignal::new(default_service_base(manager.client().portal().base()));
    let verdict = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let referrer = window().location().origin().unwrap_or_default();
    let test = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secret = Secret::new(key.get_untracked().trim());
        if secret.expose().is_empty() {
            return verdict.set(Some("Paste the API key to test.".into()));
        }
        let base = service_base.get_untracked().trim().trim_end_matches('/').to_owned();
        let hosts = if base.is_empty() { ServiceHosts::ArcGis } else { ServiceHosts::Base(base) };
        let chosen = privilege.get_untracked();
        busy.set(true);
        verdict.set(None);
        leptos::task::spawn_local(async move {
            let result = manager.client().test_key(&secret, &chosen, &hosts).await;
            busy.try_set(false);
            verdict.try_set(Some(match result {
                Ok(KeyVerdict::Accepted) => "Accepted: the service answered with this key.".to_owned(),
                Ok(KeyVerdict::Rejected(reason)) => format!(
                    "Rejected ({}): {} {}",
                    reason.code,
                    reason.message,
                    match reason.code {
                        498 => "The key is invalid, expired or invalidated; generate a new one.",
                        403 => "The key lacks this privilege, or does not allow this page's address as a referrer.",
                        _ => "Check the key's settings.",
                    }
                ),
                Err(e) => manager.explain(&e),
            }));
        });
    };
    let empty = choices.is_empty();
    view! {
        <section class="tester" aria-labelledby="tester-heading">
            <h2 id="tester-heading">"Test a key"</h2>
            {if empty {
                view! { <p>"This credential has no location-service privilege to test."</p> }.into_any()
            } else {
                view! {
                    <form on:submit=test>
                        <label for="tester-key">"API key to test"</label>
                        <input id="tester-key" class="key" bind:value=key autocomplete="off" spellcheck="false"
                            aria-describedby="tester-key-hint" />
                        <p class="hint" id="tester-key-hint">{if prefilled { "The key just generated." } else { "Paste a key of this credential." }}</p>
                        <label for="tester-privilege">"Privilege to test"</label>
                        <select id="tester-privilege" on:change=move |ev| privilege.set(event_target_value(&ev))>
                            {choices.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect::<Vec<_>>()}
                        </select>
                        <label for="tester-services">"Location services at"</label>
                        <input id="tester-services" type="url" bind:value=service_base autocomplete="off"
                            placeholder="ArcGIS Location Platform" aria-describedby="tester-services-hint" />
                        <p class="hint" id="tester-services-hint">
                            {format!("Leave empty for ArcGIS's own services. The service sees this page, {referrer}, as the referrer: \
                                      a browser cannot send another.")}
                        </p>
                        <div class="actions">
                            <button type="submit" prop:disabled=move || busy.get()>"Test key"</button>
                        </div>
                        <p role="status" class="verdict">{move || verdict.get()}</p>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_portal_serves_its_own_services() {
        assert_eq!(default_service_base("http://127.0.0.1:8787/sharing/rest"), "http://127.0.0.1:8787");
        assert_eq!(default_service_base("http://localhost/sharing/rest"), "http://localhost");
        assert_eq!(default_service_base("https://www.arcgis.com/sharing/rest"), "");
        assert_eq!(default_service_base("http://127.0.0.1.example.com/sharing/rest"), "");
    }
}
