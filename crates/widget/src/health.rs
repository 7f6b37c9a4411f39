//! The health view: every key grouped by what needs attention, each with the action
//! that settles it (one click opens the key's page focused on that control); the
//! expiry timeline; and the inventory export. Unlike the list, it reads every key's
//! registered app (referrers and privileges are in the app), with a progress bar that
//! counts them; the groups show from the listing at once (what an item alone says:
//! expiry, no key, retired) and fill in as the apps arrive, a batch at a time.

use std::collections::{BTreeMap, HashMap};

use arcgis_keys::model::{Item, Slot};
use arcgis_keys::ops::credentials::READS_AT_ONCE;
use futures_util::future::join;
use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use crate::chart::{Bar, BarChart};
use crate::icon::{Icon, icon};
use crate::list::load;
use crate::manager::{Focus, Manager, Scope, Screen};
use crate::text::{ConcernText, HealthText};
use arcgis_keys::attention::{AppFacts, Concern, SlotView, UNUSED_DAYS, concerns, slot_view};
use arcgis_keys::dates::{DAY_MS, month_of, months_between};
use arcgis_keys::inventory::{self, InventoryRow};

/// What each concern means and the action that settles it (all on the key's page).
fn describe(t: &HealthText, concern: Concern) -> ConcernText {
    match concern {
        Concern::Retired => t.retired,
        Concern::Expired => t.expired,
        Concern::ExpiresWithinWeek => t.within_week,
        Concern::ExpiresWithinMonth => t.within_month,
        Concern::NoKey => t.no_key,
        Concern::NoReferrerRestriction => t.no_referrer_restriction,
        Concern::PersonalPrivileges => t.personal_privileges,
        Concern::Unused => t.unused,
    }
}

/// The control on the key's page that settles `concern`.
fn settled_at(concern: Concern, item: &Item, app: Option<&AppFacts>, now_ms: i64) -> Focus {
    match concern {
        Concern::Expired => {
            let expired = |slot| matches!(slot_view(item, app, slot, now_ms), SlotView::Expired { .. });
            Focus::Slot(if expired(Slot::Primary) { Slot::Primary } else { Slot::Secondary })
        }
        Concern::NoKey => Focus::Slot(Slot::Primary),
        Concern::ExpiresWithinWeek | Concern::ExpiresWithinMonth => Focus::Rotation,
        Concern::NoReferrerRestriction => Focus::Referrers,
        Concern::PersonalPrivileges => Focus::Privileges,
        Concern::Retired | Concern::Unused => Focus::Delete,
    }
}

/// App reads between two refreshes of the groups: each refresh regroups every key.
const REGROUP_EVERY: usize = 100;

/// Months the timeline shows, from the current one.
const TIMELINE_MONTHS: usize = 12;

/// Active slot expirations per bar: already expired, then each month ahead.
fn timeline(keys: &[(Item, Option<AppFacts>)], now_ms: i64) -> (u64, [u64; TIMELINE_MONTHS]) {
    let this_month = month_of(now_ms);
    let (mut expired, mut months) = (0, [0; TIMELINE_MONTHS]);
    for (item, app) in keys {
        for slot in [Slot::Primary, Slot::Secondary] {
            match slot_view(item, app.as_ref(), slot, now_ms) {
                SlotView::Expired { .. } => expired += 1,
                SlotView::Active { expires_ms } => {
                    let ahead = months_between(this_month, month_of(expires_ms));
                    if let Some(bar) = usize::try_from(ahead).ok().and_then(|i| months.get_mut(i)) {
                        *bar += 1;
                    }
                }
                SlotView::Empty => {}
            }
        }
    }
    (expired, months)
}

/// `(year, month)` `ahead` months after `from`, as `2026-12`.
fn month_label(from: (i64, u32), ahead: usize) -> String {
    let index = from.0 * 12 + i64::from(from.1 - 1) + ahead as i64;
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

#[component]
fn Timeline(keys: Vec<(Item, Option<AppFacts>)>, now_ms: i64) -> impl IntoView {
    let t = &expect_context::<Manager>().text.health;
    let (expired, months) = timeline(&keys, now_ms);
    let this_month = month_of(now_ms);
    let mut bars = vec![Bar { label: [t.timeline_expired.into(), String::new()], count: expired, alarm: true }];
    let mut described = Vec::with_capacity(TIMELINE_MONTHS);
    for (ahead, &count) in months.iter().enumerate() {
        let month = month_label(this_month, ahead);
        described.push((t.timeline_month)(&month, count));
        // The year under the first month and under each January.
        let year = if ahead == 0 || month.ends_with("-01") { month[..4].to_owned() } else { String::new() };
        bars.push(Bar { label: [month[5..].to_owned(), year], count, alarm: false });
    }
    view! {
        <BarChart id="timeline" caption=t.timeline_caption.into() bars=bars
            described=(t.timeline_counts)(expired, &described.join(", ")) />
    }
}

/// Every key of `scope` by what needs attention (the organization's for an administrator).
#[component]
pub fn HealthScreen(#[prop(optional)] scope: Scope) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let org = scope == Scope::Organization;
    if org && !manager.is_admin() {
        return crate::list::not_admin(manager);
    }
    manager.showing(scope);
    let t = &text.health;
    let keys = RwSignal::new(None::<Vec<(Item, Option<AppFacts>)>>);
    let read = RwSignal::new(0_usize);
    let total = RwSignal::new(0_usize);
    let error = manager.problem();
    // Every app read: the groups are final and the export holds everything.
    let complete = RwSignal::new(false);
    // Requests in the last 90 days per app's client id; `None` when the portal would not say.
    let uses = StoredValue::new(None::<HashMap<String, u64>>);
    crate::manager::spawn_read(async move {
        let now = manager.now();
        let client = manager.client();
        let (usage, items) =
            join(client.usage_by_app(now - UNUSED_DAYS * DAY_MS, now), load(manager, scope, &mut |_| {})).await;
        uses.try_set_value(usage.ok().map(|totals| totals.into_iter().collect()));
        let items = match items {
            Ok(items) => items,
            Err(e) => return error.set(Some(manager.explain(&e))),
        };
        // Signals may be disposed by now (the screen left): set, never read, after an await.
        let count = items.len();
        total.set(count);
        // Grouped from the listing at once; each app read refines its key.
        if keys.try_set(Some(items.iter().map(|item| (item.clone(), None)).collect())).is_some() {
            return;
        }
        let mut reads = stream::iter(items)
            .map(|item| {
                let client = client.clone();
                async move {
                    let app = client.credential_of(item.clone()).await.ok().map(|c| AppFacts::from(&c.app));
                    (item, app)
                }
            })
            .buffered(READS_AT_ONCE);
        let mut done = Vec::with_capacity(count);
        let mut shown = 0;
        while let Some((_, app)) = reads.next().await {
            done.push(app);
            if read.try_set(done.len()).is_some() {
                return; // the screen is gone
            }
            if done.len() - shown == REGROUP_EVERY || done.len() == count {
                // `buffered` keeps the listing's order: the n-th answer is the n-th key's.
                keys.try_update(|keys| {
                    for (key, app) in keys.iter_mut().flatten().skip(shown).zip(&done[shown..]) {
                        key.1.clone_from(app);
                    }
                });
                shown = done.len();
            }
        }
        complete.try_set(true);
    });
    let exported = move |csv: bool| {
        let now = manager.now();
        let rows: Vec<InventoryRow> = keys.with_untracked(|keys| {
            keys.iter().flatten().map(|(item, app)| InventoryRow::new(item, app.as_ref(), now)).collect()
        });
        let (name, mime, text) = if csv {
            ("api-keys.csv", "text/csv", inventory::to_csv(&rows))
        } else {
            ("api-keys.json", "application/json", inventory::to_json(&rows))
        };
        if download(name, mime, &text).is_err() {
            error.set(Some(t.download_refused.into()));
        }
    };

    view! {
        <div class="screen">
            <button type="button" class="link back" on:click=move |_| manager.screen.set(scope.list())>
                {icon(Icon::Back)}{if org { text.org.back } else { text.common.all_keys }}
            </button>
            <div class="heading">
                <h1>{if org { text.org.health } else { t.heading }}</h1>
                <div class="actions">
                    <button type="button" class="secondary" prop:disabled=move || !complete.get()
                        on:click=move |_| exported(true)>{icon(Icon::Export)}{t.export_csv}</button>
                    <button type="button" class="secondary" prop:disabled=move || !complete.get()
                        on:click=move |_| exported(false)>{icon(Icon::Export)}{t.export_json}</button>
                </div>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
            <div class="loading" role="status" class:hidden=move || complete.get()>
                <progress aria-label=t.reading max=move || total.get().max(1).to_string()
                    value=move || read.get().to_string()></progress>
                " " {move || (t.read_progress)(read.get(), total.get())}
            </div>
            {move || match keys.get() {
                None => ().into_any(),
                Some(keys) => {
                    let now = manager.now();
                    // Each key's concerns once; the map's order is the enum's, most urgent first.
                    let mut flagged: BTreeMap<Concern, Vec<(String, String, Focus)>> = BTreeMap::new();
                    for (item, app) in &keys {
                        let used = uses.with_value(|uses| {
                            uses.as_ref().zip(app.as_ref()).map(|(uses, app)| uses.get(&app.client_id).copied().unwrap_or(0))
                        });
                        for concern in concerns(item, app.as_ref(), used, now) {
                            let focus = settled_at(concern, item, app.as_ref(), now);
                            let title = if org { (text.org.owned_by)(&item.title, &item.owner) } else { item.title.clone() };
                            flagged.entry(concern).or_default().push((item.id.clone(), title, focus));
                        }
                    }
                    let count = keys.len();
                    view! {
                        // The verdict waits for every app; until then the progress above speaks.
                        <p role="status">{complete.get().then(|| if flagged.is_empty() {
                            (t.all_good)(count)
                        } else {
                            (t.needing_attention)(count, flagged.len())
                        })}</p>
                        <Timeline keys=keys now_ms=now />
                        {flagged.into_iter().map(|(concern, hits)| {
                            let ConcernText { heading, advice, action } = describe(t, concern);
                            view! {
                                <section class="concern" aria-label=heading>
                                    <h2>{(t.concern_count)(heading, hits.len())}</h2>
                                    <p class="hint">{advice}</p>
                                    {(concern == Concern::Retired).then(|| view! {
                                        <button type="button" on:click=move |_| manager.screen.set(Screen::ReplaceAll)>{text.retire.replace_all}</button>
                                    })}
                                    <ul class="concern-keys">
                                        {hits.into_iter().map(|(id, title, focus)| {
                                            let label = (t.action_on)(action, &title);
                                            view! {
                                                <li>
                                                    <span class="title">{title}</span>
                                                    <button type="button" class="secondary" aria-label=label
                                                        on:click=move |_| manager.open_key_at(id.clone(), focus)>{action}</button>
                                                </li>
                                            }
                                        }).collect::<Vec<_>>()}
                                    </ul>
                                </section>
                            }
                        }).collect::<Vec<_>>()}
                    }.into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// Offers `text` as a file download named `name`.
pub(crate) fn download(name: &str, mime: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = leptos::prelude::document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has its own copy once started.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels_cross_the_year() {
        assert_eq!(month_label((2026, 11), 0), "2026-11");
        assert_eq!(month_label((2026, 11), 2), "2027-01");
        assert_eq!(month_label((2026, 12), 11), "2027-11");
    }
}
