//! The list of every credential and legacy key: search, sort, filter, badges. For an
//! administrator, the same list over every member's credentials (the Organization view)
//! adds an owner column and filter, the policy, and the export.
//!
//! Both kinds are read at once (each with the core's concurrent paging). Filtering and
//! sorting run on the rows in memory; at most [`PAGE_ROWS`] rows are in the DOM at a
//! time, so thousands of keys stay smooth. A search result holds the item only; the
//! registered app (privileges, referrers) of each row on screen is read afterwards,
//! [`READS_AT_ONCE`] at a time, and when it arrives only that row's cells change.

use std::collections::HashSet;
use std::sync::Arc;

use arcgis_keys::Error;
use arcgis_keys::model::{Item, KeyKind, Slot};
use arcgis_keys::ops::credentials::READS_AT_ONCE;
use arcgis_keys::ops::list::ListOptions;
use arcgis_keys::ops::org::{self, OrgFilter};
use arcgis_keys::policy::{self, Finding, Policy};
use futures_util::future::join;
use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use crate::badges;
use crate::detail::rotation::Rotations;
use crate::icon::{Icon, icon};
use crate::manager::{Focus, Manager, Scope, Screen};
use crate::policy_panel::PolicyPanel;
use crate::text::{ListText, Text};
use arcgis_keys::attention::{AppFacts, Badge, SlotView, badges, next_expiry, slot_view};
use arcgis_keys::dates::format_date;
use arcgis_keys::inventory::{self, InventoryRow};

/// Rows rendered at once; "Show more" adds as many again. The table's layout is most of
/// a keystroke's cost: 200 rows took 30 ms of layout per frame, 40 took 5 (bench).
pub const PAGE_ROWS: usize = 50;

/// How long the rows on screen must stay before their apps are read.
pub const APP_READ_DELAY_MS: u64 = 300;

/// Apps arriving within this long are drawn together: each drawing rebuilds every row on
/// screen, and a keystroke should not wait behind one per batch.
pub const APP_DRAW_MS: u64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Modified,
    Title,
    Expiry,
    Created,
}

/// The sort select's options: value, and what each means. The first is the default.
const SORTS: [(&str, Sort); 4] =
    [("modified", Sort::Modified), ("title", Sort::Title), ("expiry", Sort::Expiry), ("created", Sort::Created)];

fn sort_label(sort: Sort, text: &'static Text) -> &'static str {
    let t = &text.list;
    match sort {
        Sort::Modified => t.sort_modified,
        Sort::Title => t.sort_title,
        Sort::Expiry => t.sort_expiry,
        Sort::Created => t.sort_created,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Attention,
    Credentials,
    Legacy,
    /// Breaking the Organization view's policy.
    Policy,
}

/// The filter select's options, as [`SORTS`].
const FILTERS: [(&str, Filter); 4] = [
    ("all", Filter::All),
    ("attention", Filter::Attention),
    ("credentials", Filter::Credentials),
    ("legacy", Filter::Legacy),
];

/// The Organization view's filter options: it lists credentials alone (a legacy key is
/// each member's own to replace).
const ORG_FILTERS: [(&str, Filter); 3] =
    [("all", Filter::All), ("attention", Filter::Attention), ("policy", Filter::Policy)];

fn filter_label(filter: Filter, text: &'static Text) -> &'static str {
    let t = &text.list;
    match filter {
        Filter::All => t.filter_all,
        Filter::Attention => t.filter_attention,
        Filter::Credentials => t.filter_credentials,
        Filter::Legacy => t.filter_legacy,
        Filter::Policy => text.org.filter_policy,
    }
}

/// A select over `options`, each shown as `label` says, setting `chosen` to the
/// meaning of the option picked.
fn select<T: Copy + Send + Sync + 'static>(
    id: &'static str,
    options: &'static [(&'static str, T)],
    label: fn(T, &'static Text) -> &'static str,
    t: &'static Text,
    chosen: RwSignal<T>,
    limit: RwSignal<usize>,
) -> impl IntoView + use<T> {
    view! {
        <select id=id on:change=move |ev| {
            let value = event_target_value(&ev);
            if let Some((_, meaning)) = options.iter().find(|(v, _)| *v == value) {
                limit.set(PAGE_ROWS);
                chosen.set(*meaning);
            }
        }>
            {options.iter().map(|&(value, meaning)| view! { <option value=value>{label(meaning, t)}</option> }).collect::<Vec<_>>()}
        </select>
    }
}

/// One row, computed once per load so filtering touches no dates.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    item: Arc<Item>,
    /// Lowercase title, tags, id and owner, for the search box.
    haystack: String,
    /// Lowercase title, for sorting.
    title_key: String,
    badges: Vec<Badge>,
    legacy: bool,
    next_expiry: Option<i64>,
    /// The registered app, once read. Read untracked: the list re-renders once per batch
    /// of apps (`apps_read`), not once per row.
    app: ArcRwSignal<Option<AppFacts>>,
}

impl Row {
    fn new(item: Item, now_ms: i64) -> Self {
        let haystack = format!("{} {} {} {}", item.title, item.tags.join(" "), item.id, item.owner).to_lowercase();
        let title_key = item.title.to_lowercase();
        let legacy = item.key_kind() == Some(KeyKind::Legacy);
        let mut row = Self {
            item: Arc::new(item),
            haystack,
            title_key,
            badges: Vec::new(),
            legacy,
            next_expiry: None,
            app: ArcRwSignal::new(None),
        };
        row.dates_changed(now_ms);
        row
    }

    /// Computes again what the item's slot dates decide.
    fn dates_changed(&mut self, now_ms: i64) {
        self.badges = badges(&self.item, None, now_ms);
        self.next_expiry = next_expiry(&self.item, now_ms);
    }

    /// The item's badges and, once read, the app's.
    fn badges(&self, facts: Option<&AppFacts>, now_ms: i64) -> Vec<Badge> {
        match facts {
            Some(facts) => badges(&self.item, Some(facts), now_ms),
            None => self.badges.clone(),
        }
    }

    /// What `policy` finds in the row: from its dates alone until its app is read.
    fn findings(&self, facts: Option<&AppFacts>, policy: &Policy, now_ms: i64) -> Vec<Finding> {
        policy::check(&self.item, facts, policy, now_ms)
    }

    /// Does the row pass `filter` and the search?
    fn passes(&self, filter: Filter, needle: &str, policy: &Policy, now_ms: i64) -> bool {
        let kind = match filter {
            // A warning (expiring soon) asks for care; breaking is an error.
            Filter::Policy => {
                self.app.with_untracked(|f| self.findings(f.as_ref(), policy, now_ms).iter().any(|f| f.rule.is_error()))
            }
            Filter::All => true,
            Filter::Attention => {
                !self.badges.is_empty()
                    || self.app.with_untracked(|f| f.as_ref().is_some_and(|f| !self.badges(Some(f), now_ms).is_empty()))
            }
            Filter::Credentials => !self.legacy,
            Filter::Legacy => self.legacy,
        };
        kind && (needle.is_empty() || self.haystack.contains(needle))
    }
}

/// Reads the apps of the rows on screen not asked for yet, [`READS_AT_ONCE`] at a time, and
/// bumps `apps_read` (which draws them) at most once per [`APP_DRAW_MS`].
fn read_apps(
    manager: Manager,
    rows: RwSignal<Option<Vec<Row>>>,
    shown: Memo<Vec<usize>>,
    limit: RwSignal<usize>,
    asked: StoredValue<HashSet<String>>,
    apps_read: RwSignal<u32>,
) {
    // The screen may be gone by the time this runs: then its signals are too.
    let wanted: Option<Vec<(Item, ArcRwSignal<Option<AppFacts>>)>> = rows
        .try_with_untracked(|rows| {
            let rows = rows.as_ref()?;
            let limit = limit.try_get_untracked()?;
            shown.try_with_untracked(|shown| {
                shown
                    .iter()
                    .take(limit)
                    .map(|&i| &rows[i])
                    .filter(|row| asked.with_value(|asked| !asked.contains(&row.item.id)))
                    .map(|row| (Item::clone(&row.item), row.app.clone()))
                    .collect()
            })
        })
        .flatten();
    let Some(wanted) = wanted else { return };
    asked.update_value(|asked| asked.extend(wanted.iter().map(|(item, _)| item.id.clone())));
    if wanted.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        let client = manager.client();
        let mut reads = stream::iter(wanted)
            .map(|(item, app)| {
                let client = client.clone();
                async move { (client.credential_of(item).await, app) }
            })
            .buffer_unordered(READS_AT_ONCE)
            .ready_chunks(READS_AT_ONCE);
        let drawing = std::rc::Rc::new(std::cell::Cell::new(false));
        while let Some(batch) = reads.next().await {
            for (result, app) in batch {
                match result {
                    Ok(credential) => app.update_untracked(|app| *app = Some(AppFacts::from(&credential.app))),
                    // The row keeps its item-only badges; an ended session asks to sign in.
                    Err(e @ Error::SignInRequired(_)) => {
                        manager.explain(&e);
                    }
                    Err(_) => {}
                }
            }
            if apps_read.try_with_untracked(|_| ()).is_none() {
                return;
            }
            if !drawing.replace(true) {
                let drawing = drawing.clone();
                set_timeout(
                    move || {
                        drawing.set(false);
                        apps_read.try_update(|n| *n += 1);
                    },
                    std::time::Duration::from_millis(APP_DRAW_MS),
                );
            }
        }
    });
}

/// For an administrator, the keys' own expirations from the organization's expiry query
/// (each key's real date, where an item's can differ); nothing when the portal refuses
/// it, and the app reads of the rows on screen stay the authority on which keys work.
async fn key_expiries(manager: Manager) -> org::KeyExpiries {
    if !manager.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.is_admin())) {
        return org::KeyExpiries::default();
    }
    let now = manager.now();
    let keys = manager.client().api_tokens(now, now.saturating_add(org::EVERY_LIVE_KEY_MS)).await;
    org::KeyExpiries::new(keys.unwrap_or_default())
}

/// Credentials and legacy keys, read concurrently (for the organization, every member's
/// credentials); the first page of credentials goes to `first_page` as soon as it arrives.
pub(crate) async fn load(
    manager: Manager,
    scope: Scope,
    first_page: &mut dyn FnMut(&[Item]),
) -> Result<Vec<Item>, Error> {
    let client = manager.client();
    let options = ListOptions { descending: true, ..ListOptions::default() };
    if scope == Scope::Organization {
        return client.list_org_credentials_showing_first(&OrgFilter::default(), options, first_page).await;
    }
    let (credentials, legacy) = join(
        client.list_keys_showing_first(KeyKind::Credential, options, first_page),
        client.list_keys(KeyKind::Legacy, options),
    )
    .await;
    let mut items = credentials?;
    items.extend(legacy?);
    Ok(items)
}

/// The Organization view refused: the signed-in user is no administrator.
pub(crate) fn not_admin(manager: Manager) -> AnyView {
    let t = &manager.text.org;
    view! {
        <div class="screen">
            <h1>{t.heading}</h1>
            <p class="error" role="alert">{t.not_admin}</p>
            <button type="button" on:click=move |_| manager.screen.set(Screen::List)>{t.my_keys}</button>
        </div>
    }
    .into_any()
}

/// Every key of `scope`; the Organization view only for an administrator.
#[component]
pub fn ListScreen(#[prop(optional)] scope: Scope) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let org = scope == Scope::Organization;
    if org && !manager.is_admin() {
        return not_admin(manager);
    }
    manager.showing(scope);
    let text = manager.text;
    let t = &text.list;
    let o = &text.org;
    let rows = RwSignal::new(None::<Vec<Row>>);
    let error = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::Modified);
    let filter = RwSignal::new(Filter::All);
    let limit = RwSignal::new(PAGE_ROWS);
    // The Organization view's: one member's keys ("" for every member's), and the policy.
    let owner = RwSignal::new(String::new());
    let policy = RwSignal::new(crate::policy_panel::remembered().unwrap_or_default());
    let asked = StoredValue::new(HashSet::<String>::new());
    let apps_read = RwSignal::new(0_u32);
    // The organization's expiry query's answer, for a listing that ends after it.
    let expiries = StoredValue::new(None::<org::KeyExpiries>);
    // Only the first page is in: the rest are being read.
    let partial = RwSignal::new(false);

    let reload = move || {
        error.set(None);
        rows.set(None);
        expiries.set_value(None);
        crate::manager::spawn_read(async move {
            // The first page shows while the rest are read.
            let mut first_page = move |items: &[Item]| {
                // An empty first page waits: legacy keys may still come, and "no keys yet" would be wrong.
                if !items.is_empty() && rows.try_with_untracked(Option::is_none) == Some(true) {
                    let now = manager.now();
                    rows.try_set(Some(items.iter().cloned().map(|item| Row::new(item, now)).collect()));
                    partial.try_set(true);
                }
            };
            match load(manager, scope, &mut first_page).await {
                Ok(mut items) => {
                    let now = manager.now();
                    expiries.with_value(|keys| {
                        if let Some(keys) = keys {
                            items.iter_mut().for_each(|item| _ = keys.apply(item));
                        }
                    });
                    // The first page's rows lead the full listing, in its order: they keep
                    // their apps, read or being read.
                    let mut full: Vec<Row> = items.into_iter().map(|item| Row::new(item, now)).collect();
                    rows.with_untracked(|shown| {
                        for (row, shown) in full.iter_mut().zip(shown.iter().flatten()) {
                            if row.item.id == shown.item.id {
                                row.app = shown.app.clone();
                            }
                        }
                    });
                    rows.set(Some(full));
                }
                Err(e) => error.set(Some(manager.explain(&e))),
            }
            partial.set(false);
        });
        // The keys' own dates do not hold up the list: rows listed first are corrected
        // when they arrive.
        crate::manager::spawn_read(async move {
            let keys = key_expiries(manager).await;
            if keys.is_empty() {
                return;
            }
            // In place, and only rows whose dates moved are drawn again.
            let now = manager.now();
            rows.try_maybe_update(|rows| {
                let mut moved = false;
                for row in rows.iter_mut().flatten() {
                    if keys.apply(Arc::make_mut(&mut row.item)) {
                        row.dates_changed(now);
                        moved = true;
                    }
                }
                (moved, ())
            });
            expiries.try_set_value(Some(keys));
        });
    };
    reload();
    // A listing the ended session stopped is read again once the session is renewed.
    manager.on_renewal(move || {
        if error.with_untracked(|e| e.as_deref().is_some_and(|e| manager.asks_to_sign_in(e))) {
            reload();
        }
    });

    // Indices into `rows`, filtered and sorted: the rows themselves are not copied.
    let shown = Memo::new(move |_| {
        let needle = search.get().trim().to_lowercase();
        let (filter, sort) = (filter.get(), sort.get());
        if matches!(filter, Filter::Attention | Filter::Policy) {
            // Arriving apps can add rows that need attention or break the policy.
            apps_read.track();
        }
        // The policy changes only what the policy filter keeps.
        let rules = if filter == Filter::Policy { policy.get() } else { Policy::default() };
        let owner = owner.get();
        rows.with(|rows| {
            let Some(rows) = rows else { return Vec::new() };
            let now = manager.now();
            let mut shown: Vec<usize> = (0..rows.len())
                .filter(|&i| {
                    (owner.is_empty() || rows[i].item.owner == owner) && rows[i].passes(filter, &needle, &rules, now)
                })
                .collect();
            // One sort instantiation for every order (each costs kilobytes of wasm); ties
            // keep the portal's order.
            let order: fn(&Row, &Row) -> std::cmp::Ordering = match sort {
                Sort::Modified => |a, b| b.item.modified.cmp(&a.item.modified),
                Sort::Created => |a, b| b.item.created.cmp(&a.item.created),
                Sort::Title => |a, b| a.title_key.cmp(&b.title_key),
                Sort::Expiry => |a, b| a.next_expiry.unwrap_or(i64::MAX).cmp(&b.next_expiry.unwrap_or(i64::MAX)),
            };
            shown.sort_unstable_by(|&a, &b| order(&rows[a], &rows[b]).then(a.cmp(&b)));
            shown
        })
    });
    // The apps of the rows on screen that are not read yet, once the rows have stayed
    // for [`APP_READ_DELAY_MS`]: typing in the search box reads nothing.
    let generation = StoredValue::new(0_u32);
    Effect::new(move |_| {
        shown.track();
        limit.track();
        generation.update_value(|g| *g = g.wrapping_add(1));
        let this = generation.get_value();
        set_timeout(
            move || {
                if generation.try_get_value() == Some(this) {
                    read_apps(manager, rows, shown, limit, asked, apps_read);
                }
            },
            std::time::Duration::from_millis(APP_READ_DELAY_MS),
        );
    });
    let total = move || rows.with(|rows| rows.as_ref().map_or(0, Vec::len));
    // The column names head each cell when a narrow manager shows rows as cards: set once
    // on the table (`--label-1`…), not as an attribute of every cell of every row the
    // filter re-renders.
    let labels = columns(text, org);
    let label = move |n: usize| labels.get(n).map(|name| css_string(name)).unwrap_or_default();
    // The members who own a listed key, for the owner filter.
    let owners = Memo::new(move |_| {
        let mut owners: Vec<String> = rows.with(|rows| rows.iter().flatten().map(|r| r.item.owner.clone()).collect());
        owners.sort_unstable();
        owners.dedup();
        owners
    });
    let export_problem = RwSignal::new(None::<&'static str>);
    let exported = move |csv: bool| {
        let now = manager.now();
        let rules = policy.get_untracked();
        let rows: Vec<InventoryRow> = rows.with_untracked(|rows| {
            let Some(rows) = rows else { return Vec::new() };
            shown.with_untracked(|shown| {
                shown
                    .iter()
                    .map(|&i| {
                        let row = &rows[i];
                        row.app.with_untracked(|app| {
                            InventoryRow::new(&row.item, app.as_ref(), now).with_policy(&row.findings(
                                app.as_ref(),
                                &rules,
                                now,
                            ))
                        })
                    })
                    .collect()
            })
        });
        let (name, mime, text) = if csv {
            ("organization-api-keys.csv", "text/csv", inventory::to_csv(&rows))
        } else {
            ("organization-api-keys.json", "application/json", inventory::to_json(&rows))
        };
        let refused = crate::health::download(name, mime, &text).is_err();
        export_problem.set(refused.then_some(manager.text.health.download_refused));
    };

    view! {
        <div class="screen">
            <div class="heading">
                <h1>{if org { o.heading } else { t.heading }}</h1>
                {if org { view! {
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::List)>{icon(Icon::Back)}{o.my_keys}</button>
                        <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::OrganizationHealth)>{icon(Icon::Health)}{o.health}</button>
                        <button type="button" class="secondary" prop:disabled=move || rows.with(Option::is_none) || partial.get()
                            on:click=move |_| exported(true)>{icon(Icon::Export)}{text.health.export_csv}</button>
                        <button type="button" class="secondary" prop:disabled=move || rows.with(Option::is_none) || partial.get()
                            on:click=move |_| exported(false)>{icon(Icon::Export)}{text.health.export_json}</button>
                    </div>
                }.into_any() } else { view! {
                    <div class="actions">
                        {manager.is_admin().then(|| view! {
                            <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::Organization)>{icon(Icon::Organization)}{o.open}</button>
                        })}
                        <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::Health)>{icon(Icon::Health)}{t.key_health}</button>
                        <button type="button" on:click=move |_| manager.screen.set(Screen::Create)>{icon(Icon::Add)}{t.create}</button>
                    </div>
                }.into_any() }}
            </div>
            <p class="error" role="alert">{move || export_problem.get()}</p>
            {org.then(|| view! { <PolicyPanel policy=policy /> })}
            <p class="error" role="alert">{move || error.get()}</p>
            <Show when=move || error.get().is_some()>
                <button type="button" class="secondary" on:click=move |_| reload()>{icon(Icon::Refresh)}{t.try_again}</button>
            </Show>
            {(!org).then(|| unfinished_rotations(manager))}
            {move || match rows.with(|rows| rows.as_ref().map(Vec::is_empty)) {
                None if error.get().is_none() => view! {
                    <div class="loading" role="status">
                        <progress aria-label=t.loading></progress>
                        " " {t.loading_text}
                    </div>
                }.into_any(),
                None => ().into_any(),
                Some(true) => view! {
                    <div class="empty">
                        <h2>{t.empty_heading}</h2>
                        <p>{t.empty_intro}</p>
                        <button type="button" on:click=move |_| manager.screen.set(Screen::Create)>{icon(Icon::Add)}{t.create_first}</button>
                    </div>
                }.into_any(),
                Some(false) => view! {
                    <div class="toolbar" role="search">
                        <label for="key-search">{t.search}</label>
                        <input id="key-search" type="search" bind:value=search
                            on:input=move |_| limit.set(PAGE_ROWS) />
                        {org.then(|| view! {
                            <label for="owner-filter">{o.owner}</label>
                            <select id="owner-filter" on:change=move |ev| {
                                limit.set(PAGE_ROWS);
                                owner.set(event_target_value(&ev));
                            }>
                                <option value="">{o.every_owner}</option>
                                {move || owners.get().into_iter().map(|name| {
                                    let chosen = owner.with_untracked(|o| *o == name);
                                    view! { <option value=name.clone() selected=chosen>{name.clone()}</option> }
                                }).collect::<Vec<_>>()}
                            </select>
                        })}
                        <label for="key-filter">{t.filter}</label>
                        {if org {
                            select("key-filter", &ORG_FILTERS, filter_label, text, filter, limit).into_any()
                        } else {
                            select("key-filter", &FILTERS, filter_label, text, filter, limit).into_any()
                        }}
                        <label for="key-sort">{t.sort}</label>
                        {select("key-sort", &SORTS, sort_label, text, sort, limit)}
                    </div>
                    <p class="count" role="status">
                        {move || (t.count)(shown.with(Vec::len), total())}
                        {move || partial.get().then_some(t.reading_rest)}
                    </p>
                    // The column names head each cell when a narrow manager shows rows as
                    // cards: set once on the table, not as an attribute of every cell of
                    // every row the filter re-renders.
                    <table class="keys"
                        style:--label-1=label(0) style:--label-2=label(1) style:--label-3=label(2) style:--label-4=label(3)
                        style:--label-5=label(4) style:--label-6=label(5) style:--label-7=label(6)>
                        <thead>
                            <tr>
                                <th scope="col">{text.common.title}</th>
                                {columns(text, org).into_iter().map(|name| view! { <th scope="col">{name}</th> }).collect::<Vec<_>>()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                apps_read.track();
                                let now = manager.now();
                                // Read only by the Organization view's rows.
                                let rules = if org { policy.get() } else { Policy::default() };
                                rows.with(|rows| {
                                    let Some(rows) = rows else { return Vec::new() };
                                    shown.with(|shown| {
                                        shown.iter().take(limit.get())
                                            .map(|&i| row_view(manager, &rows[i], org.then_some(&rules), now))
                                            .collect::<Vec<_>>()
                                    })
                                })
                            }}
                        </tbody>
                    </table>
                    <Show when=move || { shown.with(Vec::len) > limit.get() }>
                        <button type="button" class="secondary" on:click=move |_| limit.update(|n| *n += PAGE_ROWS)>
                            {t.show_more}
                        </button>
                    </Show>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// Rotations started here and not finished, each a click from its last step.
fn unfinished_rotations(manager: Manager) -> Option<impl IntoView + use<>> {
    let pending = Rotations::of(manager).all();
    let t = &manager.text.list;
    (!pending.is_empty()).then(|| {
        view! {
            <section class="warning-box" aria-labelledby="rotations-heading">
                <h2 id="rotations-heading">{t.rotations_heading}</h2>
                <p>{t.rotations_intro}</p>
                <ul class="concern-keys">
                    {pending.into_iter().map(|step| {
                        let label = (t.finish_rotation_of)(&step.title);
                        view! {
                            <li>
                                <span class="title">{step.title}</span>
                                <button type="button" class="secondary" aria-label=label
                                    on:click=move |_| manager.open_key_at(step.id.clone(), Focus::Rotation)>{t.finish_rotation}</button>
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </section>
        }
    })
}

/// `text` as a CSS string, for `content: var(--label-1)`.
fn css_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The names of the columns after the title, in the order of the cells `row_view` makes.
fn columns(text: &'static Text, org: bool) -> Vec<String> {
    let mut names = vec![(text.common.key_n)(1), (text.common.key_n)(2), text.common.privileges.to_owned()];
    names.push(text.list.column_attention.to_owned());
    if org {
        names.insert(0, text.org.owner.to_owned());
        names.push(text.org.column_policy.to_owned());
    }
    names.push(text.list.column_modified.to_owned());
    names
}

fn slot_cell(t: &ListText, row: &Row, facts: Option<&AppFacts>, slot: Slot, now_ms: i64) -> String {
    if row.legacy {
        return if slot == Slot::Primary { t.legacy_key.into() } else { "—".into() };
    }
    match slot_view(&row.item, facts, slot, now_ms) {
        SlotView::Empty => t.no_key.into(),
        SlotView::Active { expires_ms } => (t.expires_on)(&format_date(expires_ms)),
        SlotView::Expired { expires_ms } => (t.expired_on)(&format_date(expires_ms)),
    }
}

/// What the policy column says of a row: each finding's reason, and whether its app,
/// which the referrer and personal rules need, is still to be read.
fn policy_cell(text: &'static Text, findings: Vec<Finding>, pending: bool) -> AnyView {
    let t = &text.org;
    if findings.is_empty() {
        return if pending { t.checking.into_any() } else { t.within_policy.into_any() };
    }
    view! {
        <ul class="findings">
            {findings.into_iter().map(|f| view! { <li>{f.message}</li> }).collect::<Vec<_>>()}
        </ul>
        {pending.then_some(t.checking)}
    }
    .into_any()
}

/// One row's cells; `policy` in the Organization view, which adds its owner and the
/// policy's findings.
fn row_view(manager: Manager, row: &Row, policy: Option<&Policy>, now_ms: i64) -> impl IntoView + use<> {
    let text: &'static Text = manager.text;
    let id = row.item.id.clone();
    let title = row.item.title.clone();
    let modified = format_date(row.item.modified);
    let (cells, privileges, badges, findings) = row.app.with_untracked(|app| {
        let app = app.as_ref();
        let cells = [Slot::Primary, Slot::Secondary].map(|slot| slot_cell(&text.list, row, app, slot, now_ms));
        let privileges = app.map_or_else(|| "…".to_owned(), |app| badges::summary(app, text));
        let findings = policy.map(|policy| {
            let pending = app.is_none() && (policy.referrers_required || policy.no_personal);
            policy_cell(text, row.findings(app, policy, now_ms), pending)
        });
        (cells, privileges, row.badges(app, now_ms), findings)
    });
    let owner = policy.map(|_| view! { <td>{row.item.owner.clone()}</td> });
    let badges = badges
        .into_iter()
        .map(|b| view! { <span class=badges::class(b)>{badges::label(b, &text.badges)}</span> })
        .collect::<Vec<_>>();
    let [primary, secondary] = cells;
    view! {
        <tr>
            <th scope="row">
                <button type="button" class="link" on:click=move |_| manager.screen.set(Screen::Detail(id.clone()))>
                    {title}
                </button>
            </th>
            {owner}
            <td class="date">{primary}</td>
            <td class="date">{secondary}</td>
            <td>{privileges}</td>
            <td>{badges}</td>
            {findings.map(|cell| view! { <td>{cell}</td> })}
            <td class="date">{modified}</td>
        </tr>
    }
}
