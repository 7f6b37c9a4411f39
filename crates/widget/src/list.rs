//! The list of every credential and legacy key: search, sort, filter, badges.
//!
//! Both kinds are read at once (each with the core's concurrent paging). Filtering and
//! sorting run on the rows in memory; at most [`PAGE_ROWS`] rows are in the DOM at a
//! time, so thousands of keys stay smooth. A search result holds the item only; the
//! registered app (privileges, referrers) of each row on screen is read afterwards,
//! [`APP_READS`] at a time, and when it arrives only that row's cells change.

use std::collections::HashSet;
use std::sync::Arc;

use arcgis_keys::Error;
use arcgis_keys::model::{Item, KeyKind, Slot};
use arcgis_keys::ops::list::ListOptions;
use arcgis_keys::ops::org;
use futures_util::future::join;
use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use crate::badges;
use crate::detail::rotation::Rotations;
use crate::icon::{Icon, icon};
use crate::manager::{Focus, Manager, Screen};
use crate::text::{ListText, Text};
use arcgis_keys::attention::{AppFacts, Badge, SlotView, badges, next_expiry, slot_view};
use arcgis_keys::dates::format_date;

/// Rows rendered at once; "Show more" adds as many again.
pub const PAGE_ROWS: usize = 200;

/// Registered apps read at once for the rows on screen.
pub const APP_READS: usize = 6;

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

fn sort_label(sort: Sort, t: &ListText) -> &'static str {
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
}

/// The filter select's options, as [`SORTS`].
const FILTERS: [(&str, Filter); 4] = [
    ("all", Filter::All),
    ("attention", Filter::Attention),
    ("credentials", Filter::Credentials),
    ("legacy", Filter::Legacy),
];

fn filter_label(filter: Filter, t: &ListText) -> &'static str {
    match filter {
        Filter::All => t.filter_all,
        Filter::Attention => t.filter_attention,
        Filter::Credentials => t.filter_credentials,
        Filter::Legacy => t.filter_legacy,
    }
}

/// A select over `options`, each shown as `label` says, setting `chosen` to the
/// meaning of the option picked.
fn select<T: Copy + Send + Sync + 'static>(
    id: &'static str,
    options: &'static [(&'static str, T)],
    label: fn(T, &ListText) -> &'static str,
    t: &'static ListText,
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
    /// Lowercase title, tags and id, for the search box.
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
        let haystack = format!("{} {} {}", item.title, item.tags.join(" "), item.id).to_lowercase();
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

    /// Does the row pass `filter` and the search?
    fn passes(&self, filter: Filter, needle: &str, now_ms: i64) -> bool {
        let kind = match filter {
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

/// Reads the apps of the rows on screen not asked for yet, [`APP_READS`] at a time, and
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
            .buffer_unordered(APP_READS)
            .ready_chunks(APP_READS);
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

/// Credentials and legacy keys, read concurrently; the first page of credentials goes to
/// `first_page` as soon as it arrives.
pub(crate) async fn load(manager: Manager, first_page: &mut dyn FnMut(&[Item])) -> Result<Vec<Item>, Error> {
    let client = manager.client();
    let options = ListOptions { descending: true, ..ListOptions::default() };
    let (credentials, legacy) = join(
        client.list_keys_showing_first(KeyKind::Credential, options, first_page),
        client.list_keys(KeyKind::Legacy, options),
    )
    .await;
    let mut items = credentials?;
    items.extend(legacy?);
    Ok(items)
}

#[component]
pub fn ListScreen() -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let t = &text.list;
    let rows = RwSignal::new(None::<Vec<Row>>);
    let error = RwSignal::new(None::<String>);
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::Modified);
    let filter = RwSignal::new(Filter::All);
    let limit = RwSignal::new(PAGE_ROWS);
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
            match load(manager, &mut first_page).await {
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
        if filter == Filter::Attention {
            // Arriving apps can add rows that need attention.
            apps_read.track();
        }
        rows.with(|rows| {
            let Some(rows) = rows else { return Vec::new() };
            let now = manager.now();
            let mut shown: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].passes(filter, &needle, now)).collect();
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

    view! {
        <div class="screen">
            <div class="heading">
                <h1>{t.heading}</h1>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::Health)>{icon(Icon::Health)}{t.key_health}</button>
                    <button type="button" on:click=move |_| manager.screen.set(Screen::Create)>{icon(Icon::Add)}{t.create}</button>
                </div>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
            <Show when=move || error.get().is_some()>
                <button type="button" class="secondary" on:click=move |_| reload()>{icon(Icon::Refresh)}{t.try_again}</button>
            </Show>
            {unfinished_rotations(manager)}
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
                        <label for="key-filter">{t.filter}</label>
                        {select("key-filter", &FILTERS, filter_label, t, filter, limit)}
                        <label for="key-sort">{t.sort}</label>
                        {select("key-sort", &SORTS, sort_label, t, sort, limit)}
                    </div>
                    <p class="count" role="status">
                        {move || (t.count)(shown.with(Vec::len), total())}
                        {move || partial.get().then_some(t.reading_rest)}
                    </p>
                    // The column names head each cell when a narrow manager shows rows as
                    // cards: set once on the table, not as an attribute of every cell of
                    // every row the filter re-renders.
                    <table class="keys"
                        style:--label-1=css_string(&(text.common.key_n)(1))
                        style:--label-2=css_string(&(text.common.key_n)(2))
                        style:--label-3=css_string(text.common.privileges)
                        style:--label-4=css_string(t.column_attention)
                        style:--label-5=css_string(t.column_modified)>
                        <thead>
                            <tr>
                                <th scope="col">{text.common.title}</th>
                                <th scope="col">{(text.common.key_n)(1)}</th>
                                <th scope="col">{(text.common.key_n)(2)}</th>
                                <th scope="col">{text.common.privileges}</th>
                                <th scope="col">{t.column_attention}</th>
                                <th scope="col">{t.column_modified}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                apps_read.track();
                                let now = manager.now();
                                rows.with(|rows| {
                                    let Some(rows) = rows else { return Vec::new() };
                                    shown.with(|shown| {
                                        shown.iter().take(limit.get()).map(|&i| row_view(manager, &rows[i], now)).collect::<Vec<_>>()
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

fn row_view(manager: Manager, row: &Row, now_ms: i64) -> impl IntoView + use<> {
    let text: &'static Text = manager.text;
    let id = row.item.id.clone();
    let title = row.item.title.clone();
    let modified = format_date(row.item.modified);
    let (cells, privileges, badges) = row.app.with_untracked(|app| {
        let app = app.as_ref();
        let cells = [Slot::Primary, Slot::Secondary].map(|slot| slot_cell(&text.list, row, app, slot, now_ms));
        let privileges = app.map_or_else(|| "…".to_owned(), |app| badges::summary(app, text));
        (cells, privileges, row.badges(app, now_ms))
    });
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
            <td class="date">{primary}</td>
            <td class="date">{secondary}</td>
            <td>{privileges}</td>
            <td>{badges}</td>
            <td class="date">{modified}</td>
        </tr>
    }
}
