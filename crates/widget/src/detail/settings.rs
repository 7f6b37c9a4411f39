//! What a credential holds: its privileges (by label), its items (by title), referrers,
//! and where it lives (owner, folder by name).

use std::collections::HashMap;

use futures_util::{StreamExt, stream};
use leptos::prelude::*;

use super::Shown;

use crate::text::Text;
use arcgis_keys::dates::format_date;

/// Every setting. Item access is shown by title once each item is read, and the folder
/// by name once the owner's folders are read.
#[component]
pub(super) fn Settings(shown: Shown) -> impl IntoView {
    let manager = shown.manager;
    let text: &'static Text = manager.text;
    let (c, t) = (&text.common, &text.detail);
    let titles = RwSignal::new(HashMap::<String, String>::new());
    let folder = RwSignal::new(None::<String>);
    let in_folder = shown.credential.with_untracked(|c| {
        c.as_ref()
            .and_then(|c| c.item.owner_folder.clone().filter(|f| !f.is_empty()).map(|f| (f, c.item.owner.clone())))
    });
    let me = manager.user.with_untracked(|u| u.as_ref().map(|u| u.username.clone()));
    if let Some((folder_id, owner)) = in_folder {
        folder.set(Some(folder_id.clone()));
        // Folders are listed for their owner only: another owner's shows by id.
        if me.as_deref() == Some(owner.as_str()) {
            crate::manager::spawn_read(async move {
                if let Ok(page) = manager.client().browse(None, 1).await
                    && let Some(found) = page.folders.into_iter().find(|f| f.id == folder_id)
                {
                    folder.try_set(Some(found.title));
                }
            });
        }
    }
    Effect::new(move |_| {
        let missing: Vec<String> = shown.credential.with(|c| {
            titles.with_untracked(|titles| {
                c.iter()
                    .flat_map(|c| arcgis_keys::privileges::split(&c.app.privileges).1)
                    .filter(|id| !titles.contains_key(id))
                    .collect()
            })
        });
        if missing.is_empty() {
            return;
        }
        crate::manager::spawn_read(async move {
            let client = shown.manager.client();
            let read: Vec<(String, String)> = stream::iter(missing)
                .map(|id| {
                    let client = client.clone();
                    async move { client.item(&id).await.ok().map(|item| (id, item.title)) }
                })
                .buffer_unordered(arcgis_keys::ops::credentials::READS_AT_ONCE)
                .filter_map(std::future::ready)
                .collect()
                .await;
            // The screen may be gone by now.
            let _ = titles.try_update(|titles| titles.extend(read));
        });
    });
    let list = |values: Vec<String>, empty: &'static str| {
        if values.is_empty() {
            view! { <em>{empty}</em> }.into_any()
        } else {
            view! { <ul>{values.into_iter().map(|v| view! { <li>{v}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
        }
    };
    move || {
        shown.credential.with(|credential| {
            credential.as_ref().map(|credential| {
                let (services, item_ids) = arcgis_keys::privileges::split(&credential.app.privileges);
                let labels = services.iter().map(|id| text.privilege_label(id)).collect();
                let items = item_ids
                    .into_iter()
                    .map(|id| titles.with(|titles| titles.get(&id).cloned().unwrap_or(id)))
                    .collect();
                view! {
                        <dl class="summary">
                            <dt>{t.item_id}</dt><dd><code>{credential.item.id.clone()}</code></dd>
                            <dt>{t.client_id}</dt><dd><code>{credential.app.client_id.clone()}</code></dd>
                            <dt>{t.owner}</dt><dd>{credential.item.owner.clone()}</dd>
                            <dt>{c.folder}</dt><dd>{move || folder.get().unwrap_or_else(|| c.my_content.to_owned())}</dd>
                            <dt>{c.privileges}</dt><dd>{list(labels, c.none)}</dd>
                            <dt>{c.referrers}</dt><dd>{list(credential.app.http_referrers.clone(), t.any_site)}</dd>
                            <dt>{c.item_access}</dt><dd>{list(items, c.none)}</dd>
                            <dt>{c.tags}</dt><dd>{credential.item.tags.join(", ")}</dd>
                            <dt>{c.description}</dt><dd>{credential.item.description.clone()}</dd>
                            <dt>{t.created}</dt><dd>{format_date(credential.item.created)}</dd>
                            <dt>{t.modified}</dt><dd>{format_date(credential.item.modified)}</dd>
                        </dl>
                }
            })
        })
    }
}
