//! The Organization view's policy as fields: kept in the page, or in this browser's local
//! storage when the user asks (the rules only; nothing secret is in them). The rules and
//! their checks are the core's (`arcgis_keys::policy`).

use arcgis_keys::policy::{MAX_DAYS, Policy};
use leptos::prelude::*;

use crate::manager::Manager;

/// Where a policy the user asked to remember is kept.
const STORAGE_KEY: &str = "arcgis-keys.policy";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The policy this browser was asked to remember, if any.
pub fn remembered() -> Option<Policy> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Some(Policy::decode(&text))
}

/// Keeps `policy` in this browser, or forgets the one kept. Storage a browser refuses
/// (private mode, a full quota) leaves the policy in the page alone.
fn remember(policy: Option<&Policy>) {
    let Some(storage) = storage() else { return };
    let _ = match policy {
        Some(policy) => storage.set_item(STORAGE_KEY, &policy.encode()),
        None => storage.remove_item(STORAGE_KEY),
    };
}

/// A field for a number of days; empty means the rule's default. What the user typed
/// stays in the field when it is wrong, with the rule beside it.
/// One function for every field, not one per closure: each instance costs wasm.
fn days_field(
    policy: RwSignal<Policy>,
    id: &'static str,
    label: &'static str,
    get: fn(&Policy) -> Option<i64>,
    set: fn(&mut Policy, Option<i64>),
) -> AnyView {
    let initial = policy.with_untracked(get);
    let t = &expect_context::<Manager>().text.org;
    let problem = RwSignal::new(None::<&'static str>);
    let error_id = format!("{id}-error");
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        let typed = typed.trim();
        match typed.parse::<i64>() {
            Ok(days) if (1..=MAX_DAYS).contains(&days) => {
                problem.set(None);
                policy.update(|p| set(p, Some(days)));
            }
            _ if typed.is_empty() => {
                problem.set(None);
                policy.update(|p| set(p, None));
            }
            _ => problem.set(Some(t.days_rule)),
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" inputmode="numeric" size="6"
                value=initial.map(|d| d.to_string()).unwrap_or_default() on:input=on_input
                aria-invalid=move || problem.get().is_some().to_string() aria-describedby=error_id.clone() />
            <p class="error" id=error_id aria-live="polite">{move || problem.get()}</p>
        </div>
    }
    .into_any()
}

/// The policy's rules, each changing `policy` as it is typed.
#[component]
pub fn PolicyPanel(policy: RwSignal<Policy>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let t = &manager.text.org;
    let start = policy.get_untracked();
    let remembering = RwSignal::new(remembered().is_some());
    // Kept while asked, as it changes; forgotten the moment the box is cleared.
    Effect::new(move |seen: Option<()>| {
        let wanted = remembering.get();
        policy.with(|policy| {
            if wanted {
                remember(Some(policy));
            } else if seen.is_some() {
                remember(None);
            }
        });
    });
    let checkbox = move |id: &'static str, label: &'static str, on: bool, set: fn(&mut Policy, bool)| {
        view! {
            <div class="check">
                <input type="checkbox" id=id prop:checked=on
                    on:change=move |ev| policy.update(|p| set(p, event_target_checked(&ev))) />
                <label for=id class="choice">{label}</label>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="policy" aria-labelledby="policy-heading">
            <h2 id="policy-heading">{t.policy_heading}</h2>
            <p class="hint">{t.policy_intro}</p>
            <div class="policy-rules">
                {days_field(policy, "policy-expiring", t.expiring_days, |p| p.expiring_days, |p, days| p.expiring_days = days)}
                {days_field(policy, "policy-max-lifetime", t.max_lifetime_days, |p| p.max_lifetime_days, |p, days| p.max_lifetime_days = days)}
                {days_field(policy, "policy-slot-gap", t.slot_gap_days, |p| p.slot_gap_days, |p, days| p.slot_gap_days = days)}
                {checkbox("policy-referrers", t.require_referrers, start.referrers_required, |p, on| p.referrers_required = on)}
                {checkbox("policy-personal", t.no_personal, start.no_personal, |p, on| p.no_personal = on)}
            </div>
            <div class="check">
                <input type="checkbox" id="policy-remember" prop:checked=remembering.get_untracked()
                    aria-describedby="policy-remember-hint"
                    on:change=move |ev| remembering.set(event_target_checked(&ev)) />
                <label for="policy-remember" class="choice">{t.remember}</label>
            </div>
            <p class="hint" id="policy-remember-hint">{t.remember_hint}</p>
        </section>
    }
}
