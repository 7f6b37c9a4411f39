//! Replacing every retired legacy key in one run: one create transaction each, in turn,
//! with progress and a table of results (replaced, needs a choice, failed with why). A
//! failure leaves that retired key untouched and nothing half made (the transaction
//! rolls back). The new keys are shown once, at the end, each with Copy.

use arcgis_keys::model::KeyKind;
use arcgis_keys::ops::credentials::READS_AT_ONCE;
use arcgis_keys::ops::keys::IssuedKey;
use arcgis_keys::ops::legacy::Replacement;
use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use crate::fields::{ExpirationField, default_expiration_date, read_expiration};
use crate::icon::{Icon, icon};
use crate::manager::{KeyIssued, Manager, ManagerEvent, Screen, StrayKey};
use crate::reveal::KeyReveal;
use arcgis_keys::dates::format_date;

/// What became of one retired key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Waiting,
    Replaced,
    /// Scopes with no equivalent: the user chooses in the one-key flow.
    NeedsChoice(Vec<String>),
    Failed(String),
}

/// A retired key as the table shows it.
#[derive(Debug, Clone)]
struct Row {
    legacy_id: String,
    title: String,
    privileges: Vec<String>,
    outcome: Outcome,
}

/// A new key waiting to be copied, and whose it is.
struct NewKey {
    title: String,
    key: IssuedKey,
}

#[component]
pub fn ReplaceAllScreen() -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let t = &text.retire;
    let rows = RwSignal::new(None::<Vec<Row>>);
    let replacements = StoredValue::new(Vec::<Replacement>::new());
    let new_keys = RwSignal::new_local(Vec::<NewKey>::new());
    let expiration = RwSignal::new(default_expiration_date(manager.now()));
    let problem = manager.problem();
    let progress = RwSignal::new(None::<(usize, usize)>);

    crate::manager::spawn_read(async move {
        let client = manager.client();
        let items = match client.list_keys(KeyKind::Legacy, Default::default()).await {
            Ok(items) => items,
            Err(e) => return problem.set(Some(manager.explain(&e))),
        };
        let read: Vec<Result<Replacement, String>> = stream::iter(items)
            .map(|item| {
                let client = client.clone();
                async move {
                    let legacy = client.credential_of(item).await.map_err(|e| e.to_string())?;
                    Replacement::of(&legacy).map_err(|e| e.rule)
                }
            })
            .buffered(READS_AT_ONCE)
            .collect()
            .await;
        let mut found = Vec::new();
        let mut table = Vec::new();
        for replacement in read {
            match replacement {
                Ok(replacement) => {
                    let mapping = &replacement.mapping;
                    table.push(Row {
                        legacy_id: replacement.legacy_id.clone(),
                        title: replacement.input.title.clone(),
                        privileges: mapping.privileges.iter().map(|p| text.privilege_label(p)).collect(),
                        outcome: if mapping.unmapped.is_empty() {
                            Outcome::Waiting
                        } else {
                            Outcome::NeedsChoice(mapping.unmapped.clone())
                        },
                    });
                    found.push(replacement);
                }
                Err(why) => problem.set(Some(why)),
            }
        }
        replacements.try_set_value(found);
        rows.set(Some(table));
    });

    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let expires = match read_expiration(&text.fields, &expiration.get_untracked(), manager.now()) {
            Ok(expires) => expires,
            Err(why) => return problem.set(Some(why)),
        };
        problem.set(None);
        let queue: Vec<Replacement> = replacements
            .with_value(|all| all.iter().filter(|r| r.mapping.unmapped.is_empty()).cloned().collect::<Vec<_>>());
        let total = queue.len();
        progress.set(Some((0, total)));
        leptos::task::spawn_local(async move {
            let client = manager.client();
            for (done, replacement) in queue.into_iter().enumerate() {
                let now = manager.now();
                let outcome = match replacement.new_credential(None, None, expires.epoch_ms(), now) {
                    Err(e) => Outcome::Failed(e.rule),
                    Ok(new) => match client.create_credential(&new).await {
                        Ok(created) => {
                            let title = created.credential.item.title.clone();
                            let first = created.keys.first().cloned();
                            manager.emit(ManagerEvent::KeyCreated {
                                id: created.credential.item.id.clone(),
                                title: title.clone(),
                                key: first.as_ref().map(|k| KeyIssued {
                                    slot: Some(k.slot.number()),
                                    expires_ms: k.expires_ms,
                                    key: Some(k.key.clone()),
                                }),
                            });
                            if let Some(key) = first {
                                let stray = StrayKey {
                                    what: (t.new_key_of)(&title),
                                    expires: key.expires_ms.map(format_date),
                                    key: key.key.clone(),
                                };
                                // The screen may be gone: then the manager shows the key.
                                if new_keys.try_update(|keys| keys.push(NewKey { title, key })).is_none() {
                                    manager.reveal_stray(stray);
                                }
                            }
                            Outcome::Replaced
                        }
                        Err(e) => Outcome::Failed(e.to_string()),
                    },
                };
                rows.update(|rows| {
                    if let Some(row) = rows.iter_mut().flatten().find(|r| r.legacy_id == replacement.legacy_id) {
                        row.outcome = outcome;
                    }
                });
                progress.set(Some((done + 1, total)));
            }
        });
    };

    let waiting = move || rows.with(|rows| rows.iter().flatten().filter(|r| r.outcome == Outcome::Waiting).count());
    let running = move || progress.get().is_some_and(|(done, total)| done < total);
    let can_run = move || waiting() != 0 && !running();
    view! {
        <div class="screen">
            <Show when=move || new_keys.with(Vec::is_empty)>
                <button type="button" class="link back" on:click=move |_| manager.screen.set(Screen::List)>{icon(Icon::Back)}{text.common.all_keys}</button>
            </Show>
            <h1>{t.all_heading}</h1>
            <p>{t.all_intro}</p>
            <p class="error" role="alert">{move || problem.get()}</p>
            {move || match rows.get() {
                None => view! { <p role="status">{t.reading}</p> }.into_any(),
                Some(table) if table.is_empty() => view! { <p role="status">{t.none_left}</p> }.into_any(),
                Some(table) => view! {
                    <table class="results">
                        <caption>{t.results_caption}</caption>
                        <thead><tr>
                            <th scope="col">{t.column_key}</th>
                            <th scope="col">{t.column_privileges}</th>
                            <th scope="col">{t.column_result}</th>
                        </tr></thead>
                        <tbody>
                            {table.into_iter().map(|row| {
                                let id = row.legacy_id.clone();
                                let result = match &row.outcome {
                                    Outcome::Waiting => view! { <span>{t.waiting}</span> }.into_any(),
                                    Outcome::Replaced => view! { <span class="badge">{t.replaced}</span> }.into_any(),
                                    Outcome::NeedsChoice(scopes) => view! {
                                        <span>{(t.needs_choice)(&scopes.join(", "))}</span>" "
                                        <button type="button" class="secondary" aria-label=format!("{}: {}", t.choose, row.title)
                                            on:click=move |_| manager.screen.set(Screen::Replace(id.clone()))>{t.choose}</button>
                                    }.into_any(),
                                    Outcome::Failed(why) => view! { <span class="error">{(t.failed)(why)}</span> }.into_any(),
                                };
                                view! {
                                    <tr>
                                        <th scope="row">{row.title}</th>
                                        <td>{row.privileges.join(", ")}</td>
                                        <td>{result}</td>
                                    </tr>
                                }
                            }).collect::<Vec<_>>()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <Show when=can_run>
                <form on:submit=run>
                    <ExpirationField value=expiration id="replace-all-expiration" label=t.expiration_for_all
                        error=Signal::derive(move || problem.get()) />
                    <div class="actions">
                        <button type="submit">{move || (t.run)(waiting())}</button>
                    </div>
                </form>
            </Show>
            <p role="status">{move || progress.get().filter(|(done, total)| done < total).map(|(done, total)| (t.progress)(done, total))}</p>
            <Show when=move || !new_keys.with(Vec::is_empty)>
                <h2>{t.keys_heading}</h2>
            </Show>
            {move || new_keys.with(|keys| keys.iter().enumerate().map(|(n, new)| {
                let remove = new.key.key.clone();
                view! {
                    <KeyReveal key=new.key.key.clone() what=(t.new_key_of)(&new.title) expires=new.key.expires_ms.map(format_date)
                        id=format!("replaced-{n}")
                        on_done=move |_| new_keys.update(|keys| keys.retain(|k| k.key.key != remove)) />
                }
            }).collect::<Vec<_>>())}
        </div>
    }
}
