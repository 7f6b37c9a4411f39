//! The key tester: does a location service accept a key, and if not, why? It calls the
//! service a privilege unlocks, as an app would, with no user token. A browser sends its
//! own page's address as the referrer and cannot choose another, so the tester says
//! which address the service sees, and warns before testing when the key's referrers
//! do not include it. A pasted key is masked until the user asks to see it.

use arcgis_keys::Secret;
use arcgis_keys::ops::test_key::{KeyVerdict, ServiceHosts, page_allowed, service_host, testable};
use leptos::prelude::*;

use crate::manager::Manager;

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
/// credential's as they stand; only those with a service to call are offered), with
/// the credential's `referrers` to warn about this page's address.
#[component]
pub fn KeyTester(
    #[prop(optional)] key: Option<Secret>,
    #[prop(into)] privileges: Signal<Vec<String>>,
    #[prop(into)] referrers: Signal<Vec<String>>,
) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let t = &text.tester;
    // A key just generated is tested without being shown a second time; a pasted key
    // is read from the field only when the test starts.
    let prefilled = key.is_some();
    let generated = StoredValue::new(key);
    let pasted = NodeRef::<leptos::html::Input>::new();
    let choices = Memo::new(move |_| {
        privileges.with(|all| {
            all.iter().filter(|p| testable(p)).map(|p| (p.clone(), text.privilege_label(p))).collect::<Vec<_>>()
        })
    });
    let picked = RwSignal::new(None::<String>);
    // The privilege picked, while the credential still holds it; else its first.
    let privilege = Memo::new(move |_| {
        choices.with(|choices| {
            picked
                .get()
                .filter(|p| choices.iter().any(|(id, _)| id == p))
                .or_else(|| choices.first().map(|(id, _)| id.clone()))
                .unwrap_or_default()
        })
    });
    let masked = RwSignal::new(true);
    let service_base = RwSignal::new(default_service_base(manager.client().portal().base()));
    let verdict = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let referrer = window().location().origin().unwrap_or_default();
    let page = referrer.clone();
    let refused_here = Memo::new(move |_| referrers.with(|r| !page_allowed(r, &page)));
    let test = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = pasted.get_untracked().map(|input| Secret::new(input.value()).trimmed());
        let secret = match typed {
            Some(typed) if !typed.expose().is_empty() => typed,
            _ => generated.get_value().unwrap_or_else(|| Secret::new("")),
        };
        if secret.expose().is_empty() {
            return verdict.set(Some(t.paste_first.into()));
        }
        let base = service_base.get_untracked().trim().trim_end_matches('/').to_owned();
        let hosts = if base.is_empty() { ServiceHosts::ArcGis } else { ServiceHosts::Base(base) };
        let chosen = privilege.get_untracked();
        let not_here = refused_here.get_untracked();
        busy.set(true);
        verdict.set(None);
        leptos::task::spawn_local(async move {
            let result = manager.client().test_key(&secret, &chosen, &hosts).await;
            busy.try_set(false);
            verdict.try_set(Some(match result {
                Ok(KeyVerdict::Accepted) => t.accepted.to_owned(),
                Ok(KeyVerdict::Rejected(reason)) => (t.rejected)(
                    reason.code,
                    &reason.message,
                    match reason.code {
                        498 => t.invalid_key,
                        403 if not_here => t.forbidden_here,
                        403 => t.forbidden,
                        _ => t.check_settings,
                    },
                ),
                Ok(KeyVerdict::Inconclusive(reason)) => (t.inconclusive)(reason.code, &reason.message),
                // No answer from the service: name its host, not the portal (a page's CSP
                // blocks it, or the network), and no browser's raw words.
                Err(arcgis_keys::Error::Transport(_)) => {
                    (t.unreachable)(service_host(&chosen, &hosts).unwrap_or_default())
                }
                Err(e) => manager.explain(&e),
            }));
        });
    };
    let warning = referrer.clone();
    view! {
        <section class="tester" aria-labelledby="tester-heading">
            <h2 id="tester-heading">{t.heading}</h2>
            <p class:hidden=move || choices.with(|c| !c.is_empty())>{t.nothing_to_test}</p>
            <form on:submit=test class:hidden=move || choices.with(Vec::is_empty)>
                        <label for="tester-key">{t.key}</label>
                        <div class="field-row">
                            <input id="tester-key" class="key" node_ref=pasted autocomplete="off" spellcheck="false"
                                type=move || if masked.get() { "password" } else { "text" }
                                aria-describedby="tester-key-hint" />
                            <button type="button" class="secondary" aria-pressed=move || (!masked.get()).to_string()
                                aria-controls="tester-key" on:click=move |_| masked.update(|m| *m = !*m)>{t.show_key}</button>
                        </div>
                        <p class="hint" id="tester-key-hint">{if prefilled { t.key_just_generated } else { t.key_to_paste }}</p>
                        <label for="tester-privilege">{t.privilege}</label>
                        <select id="tester-privilege" prop:value=move || privilege.get()
                            on:change=move |ev| picked.set(Some(event_target_value(&ev)))>
                            {move || choices.get().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect::<Vec<_>>()}
                        </select>
                        <label for="tester-services">{t.services}</label>
                        <input id="tester-services" type="url" bind:value=service_base autocomplete="off"
                            placeholder=t.services_default aria-describedby="tester-services-hint" />
                        <p class="hint" id="tester-services-hint">{(t.services_hint)(&referrer)}</p>
                        <p class="warning-box" id="tester-referrer-warning" class:hidden=move || !refused_here.get()>
                            {(t.page_not_a_referrer)(&warning)}
                        </p>
                        <div class="actions">
                            <button type="submit" prop:disabled=move || busy.get()>{t.test}</button>
                        </div>
                        <p role="status" class="verdict">{move || verdict.get()}</p>
            </form>
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
