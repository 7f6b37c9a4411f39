//! Form fields that creating and editing share: the expiration date, referrers,
//! privileges and item access. Each checks its input with the core's rules as the user
//! types, and shows the rule beside the field.

use arcgis_keys::model::Item;
use arcgis_keys::privileges::{CATALOG, Category, Privilege, is_personal, lookup};
use arcgis_keys::validate::{self, EXPIRATION_PRESET_DAYS, Expiration, REFERRER_RULE};
use leptos::prelude::*;

use crate::icon::{Icon, icon};
use crate::manager::Manager;
use crate::text::{FieldText, Text};
use arcgis_keys::dates::{DAY_MS, format_date, parse_date};

/// The date a new key expires on by default: in a month.
pub fn default_expiration_date(now_ms: i64) -> String {
    format_date(Expiration::default_from(now_ms).epoch_ms())
}

/// The expiration a date field holds, or what to fix.
pub fn read_expiration(t: &FieldText, text: &str, now_ms: i64) -> Result<Expiration, String> {
    let at = parse_date(text).ok_or(t.choose_date)?;
    Expiration::new(at, now_ms).map_err(|e| e.rule)
}

/// The non-empty lines of a text area.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Comma-separated tags.
pub fn tags(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// What is wrong with the referrers typed so far, if anything.
pub fn referrers_problem(text: &str) -> Option<String> {
    let lines = lines(text);
    validate::referrers(lines.iter().map(String::as_str)).err().map(|e| e.rule)
}

/// "Expiration date": today at the earliest, the same day next year at the latest (the
/// core's `Expiration` rule; a date means the end of that day, UTC).
#[component]
pub fn ExpirationField(
    value: RwSignal<String>,
    /// The input's id, unique on the screen.
    id: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    /// The label, when "Expiration date" alone would not say whose.
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let now = manager.now();
    let hint = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let chosen = format!("{id}-chosen");
    let presets = EXPIRATION_PRESET_DAYS
        .iter()
        .map(|&days| {
            let date = format_date(now + days * DAY_MS);
            let pressed = date.clone();
            view! {
                <button type="button" class="secondary preset"
                    aria-pressed=move || value.with(|v| *v == pressed).to_string()
                    on:click=move |_| value.set(date.clone())>
                    {(text.fields.preset_days)(days)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label.unwrap_or(text.common.expiration_date)}</label>
            <div class="presets" role="group" aria-label=text.fields.expiration_presets>{presets}</div>
            <input id=id type="date" required bind:value=value
                min=format_date(now) max=format_date(Expiration::latest(now))
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=format!("{chosen} {hint} {error_id}") />
            <p class="hint chosen" id=chosen>
                {move || value.with(|v| parse_date(v).map(|at| (text.fields.expires_on)(&format_date(at))))}
            </p>
            <p class="hint" id=hint>{text.fields.expiration_hint}</p>
            <p class="error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// "Referrers", one per line, checked as typed.
#[component]
pub fn ReferrersField(value: RwSignal<String>, id: &'static str) -> impl IntoView {
    let text = expect_context::<Manager>().text;
    let problem = Memo::new(move |_| value.with(|text| referrers_problem(text)));
    let hint = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{text.common.referrers}</label>
            <textarea id=id rows="4" bind:value=value spellcheck="false"
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=format!("{hint} {error_id}")></textarea>
            <p class="hint" id=hint>{text.fields.referrers_hint} {REFERRER_RULE}</p>
            <p class="error" id=error_id aria-live="polite">{move || problem.get()}</p>
        </div>
    }
}

/// Does privilege `p` match the search `typed` (label, description or id, as `text` words them)?
fn matches(text: &Text, p: &'static Privilege, typed: &str) -> bool {
    let needle = typed.trim().to_lowercase();
    let (label, description) = (text.privilege)(p);
    needle.is_empty()
        || label.to_lowercase().contains(&needle)
        || description.to_lowercase().contains(&needle)
        || p.id.contains(&needle)
}

/// "Privileges", grouped as the portal groups them, with a search box; then the
/// privileges the user holds that the catalog does not know, by their raw names (the
/// portal grants any privilege its user holds).
#[component]
pub fn PrivilegesPicker(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let search = RwSignal::new(String::new());
    let mut categories: Vec<Category> = Vec::new();
    for privilege in CATALOG {
        // Legacy-only privileges are for retired keys: never offered.
        if privilege.category != Category::Legacy && !categories.contains(&privilege.category) {
            categories.push(privilege.category);
        }
    }
    let held: Vec<String> = manager.user.with_untracked(|user| {
        user.iter()
            .flat_map(|u| u.privileges.iter())
            .filter(|p| lookup(p).is_none() && validate::privileges([p.as_str()]).is_ok())
            .cloned()
            .collect()
    });
    let held_options = held
        .into_iter()
        .map(|id| {
            let input_id = format!("privilege-{}", id.replace(':', "-"));
            let (for_check, for_change) = (id.clone(), id.clone());
            let visible = {
                let id = id.clone();
                move || search.with(|typed| id.to_lowercase().contains(&typed.trim().to_lowercase()))
            };
            view! {
                <div class="option" class:hidden=move || !visible()>
                    <input type="checkbox" id=input_id.clone()
                        prop:checked=move || selected.with(|s| s.contains(&for_check))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                s.retain(|p| *p != for_change);
                                if on {
                                    s.push(for_change.clone());
                                }
                            });
                        } />
                    <label for=input_id><code>{id.clone()}</code></label>
                    {is_personal(&id).then_some(view! { <p class="hint">{text.fields.acts_as_you}</p> })}
                </div>
            }
        })
        .collect::<Vec<_>>();
    let held_group = (!held_options.is_empty()).then(|| {
        view! {
            <fieldset class="group">
                <legend>{text.fields.other_privileges}</legend>
                {held_options}
            </fieldset>
        }
    });
    let groups = categories
        .into_iter()
        .map(|category| {
            let options = CATALOG
                .iter()
                .filter(|p| p.category == category)
                .map(|p| {
                    let visible = move || search.with(|typed| matches(text, p, typed));
                    let (label, description) = (text.privilege)(p);
                    let input_id = format!("privilege-{}", p.id.replace(':', "-"));
                    let description_id = format!("{input_id}-description");
                    view! {
                        <div class="option" class:hidden=move || !visible()>
                            <input type="checkbox" id=input_id.clone() aria-describedby=description_id.clone()
                                prop:checked=move || selected.with(|s| s.iter().any(|id| id == p.id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| {
                                        s.retain(|id| id != p.id);
                                        if on {
                                            s.push(p.id.to_owned());
                                        }
                                    });
                                } />
                            <label for=input_id>{label}</label>
                            <p class="hint" id=description_id>
                                {description}
                                {p.personal.then_some(text.fields.acts_as_you)}
                            </p>
                        </div>
                    }
                })
                .collect::<Vec<_>>();
            let any_visible = move || {
                search.with(|typed| CATALOG.iter().filter(|p| p.category == category).any(|p| matches(text, p, typed)))
            };
            view! {
                <fieldset class="group" class:hidden=move || !any_visible()>
                    <legend>{(text.category)(category)}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <fieldset class="privileges">
            <legend>{text.common.privileges}</legend>
            <label for="privilege-search">{text.fields.search_privileges}</label>
            <input id="privilege-search" type="search" bind:value=search />
            <p class="count" role="status">{move || (text.fields.privileges_chosen)(selected.with(Vec::len))}</p>
            {groups}
            {held_group}
        </fieldset>
    }
}

/// An item the credential may access: its id and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenItem {
    pub id: String,
    pub title: String,
}

/// "Item access": browse the user's own items by folder, or search them all by words;
/// choose at most 100, listed with a way to remove each. A page that adds nothing new
/// (keys are not offered) reads on, so "Show more items" always shows more.
#[component]
pub fn ItemAccessPicker(selected: RwSignal<Vec<ChosenItem>>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let t = &text.fields;
    let folder = RwSignal::new(String::new());
    let folders = RwSignal::new(Vec::<(String, String)>::new());
    // The words searched for; empty: browse `folder`.
    let typed = RwSignal::new(String::new());
    let searched = RwSignal::new(String::new());
    let items = RwSignal::new(None::<Vec<Item>>);
    let error = manager.problem();
    // Where the next page starts; `-1` once every item is shown.
    let next_start = RwSignal::new(-1_i64);
    let read_page = move |start: usize| {
        let (chosen_folder, words) = (folder.get_untracked(), searched.get_untracked());
        crate::manager::spawn_read(async move {
            let client = manager.client();
            let folder = (!chosen_folder.is_empty()).then_some(chosen_folder.as_str());
            let mut start = start;
            loop {
                let page = if words.is_empty() {
                    client.browse(folder, start).await.map(|page| {
                        if folder.is_none() && start == 1 {
                            folders.set(page.folders.into_iter().map(|f| (f.id, f.title)).collect());
                        }
                        (page.items, page.next_start)
                    })
                } else {
                    client.search_content(&words, start).await.map(|page| (page.results, page.next_start))
                };
                match page {
                    Ok((page_items, next)) => {
                        let offered: Vec<Item> = page_items.into_iter().filter(|i| i.key_kind().is_none()).collect();
                        let added = !offered.is_empty();
                        items.update(|items| items.get_or_insert_with(Vec::new).extend(offered));
                        next_start.set(next);
                        match usize::try_from(next) {
                            Ok(next) if !added && next > start => start = next,
                            _ => break,
                        }
                    }
                    Err(e) => {
                        error.set(Some(manager.explain(&e)));
                        break;
                    }
                }
            }
        });
    };
    Effect::new(move |_| {
        folder.track();
        searched.track();
        items.set(None);
        error.set(None);
        next_start.set(-1);
        read_page(1);
    });
    let search = move || searched.set(typed.get_untracked().trim().to_owned());
    let full = move || selected.with(Vec::len) >= validate::MAX_ITEM_ACCESS;
    let chosen = move || {
        selected
            .get()
            .into_iter()
            .map(|item| {
                let remove = (t.remove_item)(&item.title);
                let id = item.id.clone();
                view! {
                    <li>
                        <span>{item.title}</span>
                        <button type="button" class="link" aria-label=remove
                            on:click=move |_| selected.update(|s| s.retain(|c| c.id != id))>{t.remove}</button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="item-access">
            <legend>{text.common.item_access}</legend>
            <p class="hint">{t.item_access_hint}</p>
            <p class="count" role="status">{move || (t.items_chosen)(selected.with(Vec::len), validate::MAX_ITEM_ACCESS)}</p>
            <p class="warning-box" class:hidden=move || !full()>{t.items_full}</p>
            <ul class="chosen-items" aria-label=t.chosen_items class:hidden=move || selected.with(Vec::is_empty)>{chosen}</ul>
            <label for="item-search">{t.search_items}</label>
            <div class="field-row">
                <input id="item-search" type="search" bind:value=typed autocomplete="off"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" {
                        // Enter searches here; it does not submit the form around the picker.
                        ev.prevent_default();
                        search();
                    } />
                <button type="button" class="secondary" on:click=move |_| search()>{icon(Icon::Search)}{t.search}</button>
            </div>
            <div class:hidden=move || searched.with(|s| !s.is_empty())>
                <label for="item-folder">{text.common.folder}</label>
                <select id="item-folder" on:change=move |ev| folder.set(event_target_value(&ev))>
                    <option value="">{text.common.my_content}</option>
                    {move || folders.get().into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect::<Vec<_>>()}
                </select>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
            {move || match items.get() {
                None => view! { <p role="status">{t.loading_items}</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p>{move || if searched.with(String::is_empty) { t.no_items } else { t.no_items_found }}</p>
                }.into_any(),
                Some(list) => list.into_iter().map(|item| {
                    let input_id = format!("item-{}", item.id);
                    let id = item.id.clone();
                    let checked = {
                        let id = id.clone();
                        move || selected.with(|s| s.iter().any(|c| c.id == id))
                    };
                    let disabled = {
                        let checked = checked.clone();
                        move || full() && !checked()
                    };
                    let title = item.title.clone();
                    view! {
                        <div class="option">
                            <input type="checkbox" id=input_id.clone() prop:checked=checked prop:disabled=disabled
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|s| {
                                        s.retain(|c| c.id != id);
                                        if on {
                                            s.push(ChosenItem { id: id.clone(), title: title.clone() });
                                        }
                                    });
                                } />
                            <label for=input_id>{item.title.clone()} <span class="hint">" (" {item.item_type.clone()} ")"</span></label>
                        </div>
                    }
                }).collect::<Vec<_>>().into_any(),
            }}
            <Show when=move || { next_start.get() > 0 }>
                <button type="button" class="secondary" on:click=move |_| read_page(next_start.get_untracked() as usize)>
                    {t.show_more_items}
                </button>
            </Show>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::ENGLISH;

    #[test]
    fn reads_lines_and_tags() {
        assert_eq!(
            lines(" https://a.example.com \n\n https://b.example.com\n"),
            ["https://a.example.com", "https://b.example.com"]
        );
        assert_eq!(tags("maps, , key ,"), ["maps", "key"]);
    }

    #[test]
    fn referrers_are_checked_as_typed() {
        assert_eq!(referrers_problem(""), None);
        assert_eq!(referrers_problem("https://app.example.com\nhttps://*.example.com"), None);
        let problem = referrers_problem("https://app.example.com\nftp://x.example.com").expect("a problem");
        assert!(problem.contains("scheme"), "{problem}");
    }

    #[test]
    fn expirations_come_from_the_date_field() {
        let now = parse_date("2026-11-22").unwrap() - 20 * 3_600_000; // 04:00 UTC
        assert_eq!(default_expiration_date(now), "2026-12-22");
        assert_eq!(
            read_expiration(&ENGLISH.fields, "2026-12-22", now).map(Expiration::epoch_ms),
            Ok(parse_date("2026-12-22").unwrap())
        );
        assert!(read_expiration(&ENGLISH.fields, "2027-11-22", now).is_ok(), "the same day next year");
        assert_eq!(read_expiration(&ENGLISH.fields, "2026-11-21", now), Err("Choose a date in the future.".to_owned()));
        assert_eq!(
            read_expiration(&ENGLISH.fields, "2027-11-23", now),
            Err("Choose a date at most one year from today.".to_owned())
        );
        assert_eq!(read_expiration(&ENGLISH.fields, "", now), Err("Choose a date.".to_owned()));
    }
}
