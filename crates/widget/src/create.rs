//! Creating a credential in the tutorial's steps: expiration, referrers, privileges,
//! item access, details, summary; then the key, shown once. Replacing a retired legacy
//! key is the same wizard, prefilled from it by the core ([`Replacement`]).
//!
//! The draft lives as long as this screen: going back and forth, a failed request or a
//! new sign-in loses nothing. Each step checks its own input on "Next" and says why at
//! its field, once; the stepper shows done, current and next steps and jumps back to any
//! step visited (forward only through steps that pass). "Generate API key" checks
//! everything again with the core's rules and sends one transaction.

use arcgis_keys::Field;
use arcgis_keys::model::Slot;
use arcgis_keys::ops::create::{Created, CredentialInput, Folder, NewCredential};
use arcgis_keys::ops::legacy::{PrivilegeMapping, Replacement, replaces_keyword};
use arcgis_keys::privileges::any_personal;
use arcgis_keys::validate::{ItemAccess, Title, some_access};
use leptos::prelude::*;

use crate::fields::{
    ChosenItem, ExpirationField, ItemAccessPicker, PrivilegesPicker, ReferrersField, default_expiration_date, lines,
    read_expiration, referrers_problem, tags,
};
use crate::manager::{KeyIssued, Manager, ManagerEvent, Screen, StrayKey};
use crate::reveal::KeyReveal;
use crate::tester::KeyTester;
use crate::text::Text;
use arcgis_keys::dates::{format_date, parse_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Expiration,
    Referrers,
    Privileges,
    ItemAccess,
    Details,
    Summary,
}

const STEPS: [Step; 6] =
    [Step::Expiration, Step::Referrers, Step::Privileges, Step::ItemAccess, Step::Details, Step::Summary];

impl Step {
    fn title(self, text: &Text) -> &'static str {
        match self {
            Step::Expiration => text.create.step_expiration,
            Step::Referrers => text.common.referrers,
            Step::Privileges => text.common.privileges,
            Step::ItemAccess => text.common.item_access,
            Step::Details => text.create.step_details,
            Step::Summary => text.create.step_summary,
        }
    }

    fn index(self) -> usize {
        STEPS.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step whose field an input error names.
    fn of_field(field: Field) -> Step {
        match field {
            Field::Expires => Step::Expiration,
            Field::Referrers => Step::Referrers,
            Field::Privileges => Step::Privileges,
            Field::ItemAccess => Step::ItemAccess,
            _ => Step::Details,
        }
    }
}

/// Where the new item goes, as the folder select says it.
const NEW_FOLDER: &str = "\u{1}new";

/// Everything typed so far.
#[derive(Clone, Copy)]
struct Draft {
    expiration: RwSignal<String>,
    referrers: RwSignal<String>,
    privileges: RwSignal<Vec<String>>,
    items: RwSignal<Vec<ChosenItem>>,
    title: RwSignal<String>,
    folder: RwSignal<String>,
    new_folder: RwSignal<String>,
    tags: RwSignal<String>,
    description: RwSignal<String>,
    acknowledged: RwSignal<bool>,
    /// The retired legacy key this credential replaces, by item id.
    replaces: RwSignal<Option<String>>,
}

impl Draft {
    fn new(now_ms: i64) -> Self {
        Self {
            expiration: RwSignal::new(default_expiration_date(now_ms)),
            referrers: RwSignal::new(String::new()),
            privileges: RwSignal::new(Vec::new()),
            items: RwSignal::new(Vec::new()),
            title: RwSignal::new(String::new()),
            folder: RwSignal::new(String::new()),
            new_folder: RwSignal::new(String::new()),
            tags: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            acknowledged: RwSignal::new(false),
            replaces: RwSignal::new(None),
        }
    }

    /// Fills the draft from a retired legacy key's replacement (the expiration stays
    /// the user's choice).
    fn fill_from(&self, replacement: &Replacement) {
        let input = &replacement.input;
        self.title.set(input.title.clone());
        self.referrers.set(input.referrers.join("\n"));
        self.privileges.set(input.privileges.clone());
        self.tags.set(input.tags.join(", "));
        self.description.set(input.description.clone().unwrap_or_default());
        self.replaces.set(Some(replacement.legacy_id.clone()));
    }

    fn personal(&self) -> bool {
        self.privileges.with(|p| any_personal(p))
    }

    /// Whether the credential grants anything yet (a privilege or an item).
    fn access_problem(&self) -> Option<String> {
        self.privileges.with_untracked(|p| self.items.with_untracked(|i| some_access(p, i).err())).map(|e| e.rule)
    }

    /// What to fix on `step` before moving on, if anything.
    fn problem(&self, text: &Text, step: Step, now_ms: i64) -> Option<String> {
        match step {
            Step::Expiration => read_expiration(&text.fields, &self.expiration.get_untracked(), now_ms).err(),
            Step::Referrers => referrers_problem(&self.referrers.get_untracked()),
            Step::Privileges => self.access_problem(),
            Step::Summary => None,
            Step::ItemAccess => self
                .items
                .with_untracked(|items| ItemAccess::new(items.iter().map(|i| i.id.as_str())).err())
                .map(|e| e.rule)
                .or_else(|| self.access_problem()),
            Step::Details => Title::new(&self.title.get_untracked()).err().map(|e| e.rule).or_else(|| {
                (self.folder.get_untracked() == NEW_FOLDER && self.new_folder.get_untracked().trim().is_empty())
                    .then(|| text.create.name_new_folder.to_owned())
            }),
        }
    }

    fn input(&self) -> CredentialInput {
        let folder = match self.folder.get_untracked() {
            f if f.is_empty() => Folder::Root,
            f if f == NEW_FOLDER => Folder::New(self.new_folder.get_untracked().trim().to_owned()),
            f => Folder::Existing(f),
        };
        let expires = parse_date(&self.expiration.get_untracked()).unwrap_or(0);
        CredentialInput {
            title: self.title.get_untracked(),
            snippet: None,
            description: Some(self.description.get_untracked()),
            tags: tags(&self.tags.get_untracked()),
            folder,
            privileges: self.privileges.get_untracked(),
            referrers: lines(&self.referrers.get_untracked()),
            item_access: self.items.with_untracked(|items| items.iter().map(|i| i.id.clone()).collect()),
            keys: vec![(Slot::Primary, expires)],
            personal_privileges_acknowledged: self.acknowledged.get_untracked(),
            type_keywords: self.replaces.get_untracked().iter().map(|id| replaces_keyword(id)).collect(),
        }
    }
}

/// Moves keyboard and screen-reader focus to the new step's heading. (By reference,
/// not by id: inside the custom element's shadow root the document finds no ids.)
fn focus_heading(heading: NodeRef<leptos::html::H2>) {
    request_animation_frame(move || {
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
}

/// The wizard; with `replacing`, prefilled from that retired legacy key.
#[component]
pub fn CreateScreen(#[prop(optional, into)] replacing: Option<String>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let text = manager.text;
    let t = &text.create;
    let draft = Draft::new(manager.now());
    let step = RwSignal::new(Step::Expiration);
    let problem = manager.problem();
    let failure = manager.problem();
    let busy = RwSignal::new(false);
    let created = RwSignal::new_local(None::<Created>);
    let folders = RwSignal::new(Vec::<(String, String)>::new());
    // The retired key's title and how its scopes were mapped, once read.
    let replacing_view = RwSignal::new(None::<(String, PrivilegeMapping)>);
    if let Some(id) = replacing {
        crate::manager::spawn_read(async move {
            let read = manager.client().credential(&id).await;
            match read.map_err(|e| manager.explain(&e)).and_then(|legacy| {
                let replacement = Replacement::of(&legacy).map_err(|e| e.rule)?;
                Ok((legacy.item.title, replacement))
            }) {
                Ok((title, replacement)) => {
                    draft.fill_from(&replacement);
                    replacing_view.set(Some((title, replacement.mapping)));
                }
                Err(why) => failure.set(Some(why)),
            }
        });
    }
    crate::manager::spawn_read(async move {
        // For the Details step's folder choice; without it, only "My content" and a new folder.
        if let Ok(page) = manager.client().browse(None, 1).await {
            folders.set(page.folders.into_iter().map(|f| (f.id, f.title)).collect());
        }
    });

    let heading = NodeRef::<leptos::html::H2>::new();
    // The furthest step reached: the stepper jumps to any step up to it.
    let visited = RwSignal::new(0_usize);
    let go = move |to: Step| {
        problem.set(None);
        failure.set(None);
        step.set(to);
        visited.update(|v| *v = (*v).max(to.index()));
        focus_heading(heading);
    };
    // Back to any step; forward through each step between, stopping at the first that
    // does not pass, with why.
    let jump = move |to: Step| {
        let from = step.get_untracked().index();
        for passing in &STEPS[from.min(to.index())..to.index()] {
            if let Some(why) = draft.problem(text, *passing, manager.now()) {
                go(*passing);
                problem.set(Some(why));
                return;
            }
        }
        go(to);
    };
    let next = move |_| jump(STEPS[(step.get_untracked().index() + 1).min(STEPS.len() - 1)]);
    // A credential may grant items alone: the privileges step lets it through to them.
    let items_only = move |_| go(Step::ItemAccess);
    let back = move |_| go(STEPS[step.get_untracked().index().saturating_sub(1)]);
    let generate = move |_| {
        failure.set(None);
        let new = match NewCredential::new(draft.input(), manager.now()) {
            Ok(new) => new,
            Err(e) => {
                let at = Step::of_field(e.field);
                if at == Step::Summary || (at == Step::Privileges && draft.personal()) {
                    failure.set(Some(e.rule));
                } else {
                    go(at);
                    problem.set(Some(e.rule));
                }
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = manager.client().create_credential(&new).await;
            busy.set(false);
            match result {
                Ok(done) => {
                    manager.emit(ManagerEvent::KeyCreated {
                        id: done.credential.item.id.clone(),
                        title: done.credential.item.title.clone(),
                        key: done.keys.first().map(|k| KeyIssued {
                            slot: Some(k.slot.number()),
                            expires_ms: k.expires_ms,
                            key: Some(k.key.clone()),
                        }),
                    });
                    // The wizard may be gone (the host changed the view): the key is
                    // shown by the manager then, never dropped.
                    if let Some(Some(done)) = created.try_set(Some(done)) {
                        let title = done.credential.item.title.clone();
                        for key in done.keys {
                            manager.reveal_stray(StrayKey {
                                what: (text.common.key_n_of)(key.slot.number(), &title),
                                expires: key.expires_ms.map(format_date),
                                key: key.key,
                            });
                        }
                    }
                }
                Err(e) => {
                    failure.try_set(Some(manager.explain_as(&e.error, &e)));
                }
            }
        });
    };

    view! {
        <div class="screen">
            {move || match created.with(|c| c.as_ref().map(|c| (c.credential.item.id.clone(), c.credential.item.title.clone(), c.keys.first().cloned(), c.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(), c.credential.app.privileges.clone(), c.credential.app.http_referrers.clone()))) {
                Some((id, title, Some(key), warnings, privileges, referrers)) => view! {
                    <h1>{(t.ready)(&title)}</h1>
                    <ul class="warnings">{warnings.into_iter().map(|w| view! { <li role="alert">{w}</li> }).collect::<Vec<_>>()}</ul>
                    <KeyReveal key=key.key.clone() what=(text.common.key_n_of)(key.slot.number(), &title) expires=key.expires_ms.map(format_date)
                        on_done=move |_| manager.screen.set(Screen::Detail(id.clone())) />
                    <KeyTester key=key.key privileges=privileges referrers=referrers />
                }.into_any(),
                Some((id, _, None, warnings, _, _)) => view! {
                    <h1>{t.created_without_key}</h1>
                    <ul class="warnings">{warnings.into_iter().map(|w| view! { <li role="alert">{w}</li> }).collect::<Vec<_>>()}</ul>
                    <button type="button" on:click=move |_| manager.screen.set(Screen::Detail(id.clone()))>{t.open_credential}</button>
                }.into_any(),
                None => view! {
                    <div class="heading">
                        <h1>{t.heading}</h1>
                        <button type="button" class="secondary" on:click=move |_| manager.screen.set(Screen::List)>{text.common.cancel}</button>
                    </div>
                    {move || replacing_view.get().map(|(title, mapping)| view! { <ReplacingNotice title=title mapping=mapping /> })}
                    <ol class="steps" aria-label=t.steps>
                        {STEPS.iter().map(|&s| {
                            let reachable = move || s.index() <= visited.get() && step.get() != s;
                            view! {
                                <li aria-current=move || (step.get() == s).then_some("step")
                                    class:done=move || s.index() < visited.get().max(step.get().index()) && step.get() != s>
                                    <span class="step-number" aria-hidden="true">{s.index() + 1}</span>
                                    // A step not reached yet (or the current one) cannot be jumped to.
                                    <button type="button" class="link" prop:disabled=move || !reachable() on:click=move |_| jump(s)>
                                        {s.title(text)}
                                    </button>
                                </li>
                            }
                        }).collect::<Vec<_>>()}
                    </ol>
                    // The manager checks each step itself and says why at the field: no
                    // browser bubble, and no "invalid form control is not focusable" for a
                    // required field on a hidden step.
                    <form class="wizard" on:submit=|ev| ev.prevent_default() novalidate>
                        <h2 id="create-step" tabindex="-1" node_ref=heading>{move || (t.step_of)(step.get().index() + 1, STEPS.len(), step.get().title(text))}</h2>
                        <div class:hidden=move || step.get() != Step::Expiration>
                            <p>{t.expiration_intro}</p>
                            <ExpirationField value=draft.expiration id="create-expiration"
                                error=Signal::derive(move || (step.get() == Step::Expiration).then(|| problem.get()).flatten()) />
                        </div>
                        <div class:hidden=move || step.get() != Step::Referrers>
                            <ReferrersField value=draft.referrers id="create-referrers" />
                        </div>
                        <div class:hidden=move || step.get() != Step::Privileges>
                            <PrivilegesPicker selected=draft.privileges />
                            <p class="hint">{t.items_only_hint}</p>
                        </div>
                        {move || (step.get() == Step::ItemAccess).then(|| view! { <ItemAccessPicker selected=draft.items /> })}
                        <div class:hidden=move || step.get() != Step::Details>
                            <Details draft=draft folders=folders />
                        </div>
                        {move || (step.get() == Step::Summary).then(|| view! { <Summary draft=draft go=Callback::new(jump) /> })}
                        // The expiration and referrer fields say what is wrong themselves.
                        <Show when=move || !matches!(step.get(), Step::Expiration | Step::Referrers)>
                            <p class="error" role="alert">{move || problem.get()}</p>
                        </Show>
                        <p class="error" role="alert">{move || failure.get()}</p>
                        <div class="actions">
                            <Show when=move || step.get() != Step::Expiration>
                                <button type="button" class="secondary" on:click=back>{text.common.back}</button>
                            </Show>
                            {move || if step.get() == Step::Summary {
                                view! {
                                    <button type="submit" on:click=generate prop:disabled=move || busy.get()>
                                        {move || if busy.get() { t.generating } else { text.common.generate_api_key }}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <button type="submit" on:click=next>{text.common.next}</button> }.into_any()
                            }}
                            <Show when=move || step.get() == Step::Privileges && draft.privileges.with(Vec::is_empty)>
                                <button type="button" class="secondary" on:click=items_only>{t.items_only}</button>
                            </Show>
                        </div>
                    </form>
                }.into_any(),
            }}
        </div>
    }
}

/// What replacing a retired key copies and how its scopes map; the scopes with no
/// equivalent are named for the user to choose.
#[component]
fn ReplacingNotice(title: String, mapping: PrivilegeMapping) -> impl IntoView {
    let text = expect_context::<Manager>().text;
    let t = &text.retire;
    let mapped = mapping
        .mapped
        .iter()
        .map(|(legacy, current)| {
            let labels: Vec<String> = current.iter().map(|p| text.privilege_label(p)).collect();
            view! { <li>{(t.mapped)(legacy, &labels.join(", "))}</li> }
        })
        .collect::<Vec<_>>();
    let unmapped = (!mapping.unmapped.is_empty()).then(|| {
        view! {
            <h3>{t.unmapped_heading}</h3>
            <ul>{mapping.unmapped.iter().map(|s| view! { <li><code>{s.clone()}</code></li> }).collect::<Vec<_>>()}</ul>
            <p>{t.unmapped_hint}</p>
        }
    });
    view! {
        <section class="warning-box" aria-labelledby="replacing-heading">
            <h2 id="replacing-heading">{(t.replacing)(&title)}</h2>
            <p>{t.copied_over}</p>
            {(!mapped.is_empty()).then(|| view! { <h3>{t.mapped_heading}</h3><ul>{mapped}</ul> })}
            {unmapped}
        </section>
    }
}

#[component]
fn Details(draft: Draft, folders: RwSignal<Vec<(String, String)>>) -> impl IntoView {
    let text = expect_context::<Manager>().text;
    view! {
        <div class="field">
            <label for="create-title">{text.common.title}</label>
            <input id="create-title" required bind:value=draft.title maxlength="250" />
        </div>
        <div class="field">
            <label for="create-folder">{text.common.folder}</label>
            <select id="create-folder" on:change=move |ev| draft.folder.set(event_target_value(&ev))
                prop:value=move || draft.folder.get()>
                <option value="">{text.common.my_content}</option>
                {move || folders.get().into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect::<Vec<_>>()}
                <option value=NEW_FOLDER>{text.create.new_folder}</option>
            </select>
        </div>
        <Show when=move || draft.folder.get() == NEW_FOLDER>
            <div class="field">
                <label for="create-new-folder">{text.create.new_folder_name}</label>
                <input id="create-new-folder" bind:value=draft.new_folder />
            </div>
        </Show>
        <div class="field">
            <label for="create-tags">{text.common.tags}</label>
            <input id="create-tags" bind:value=draft.tags aria-describedby="create-tags-hint" />
            <p class="hint" id="create-tags-hint">{text.create.tags_hint}</p>
        </div>
        <div class="field">
            <label for="create-description">{text.common.description}</label>
            <textarea id="create-description" rows="3" bind:value=draft.description></textarea>
        </div>
    }
}

/// Everything chosen, each row with a link back to its step (`go`).
#[component]
fn Summary(draft: Draft, go: Callback<Step>) -> impl IntoView {
    let text = expect_context::<Manager>().text;
    let c = &text.common;
    let change = move |step: Step| {
        view! {
            <button type="button" class="link change" on:click=move |_| go.run(step)>
                {(text.create.change_step)(step.title(text))}
            </button>
        }
    };
    let privilege_labels =
        draft.privileges.with_untracked(|ids| ids.iter().map(|id| text.privilege_label(id)).collect::<Vec<_>>());
    let referrers = lines(&draft.referrers.get_untracked());
    let items = draft.items.get_untracked();
    let folder = match draft.folder.get_untracked() {
        f if f.is_empty() => c.my_content.to_owned(),
        f if f == NEW_FOLDER => (text.create.folder_new)(draft.new_folder.get_untracked().trim()),
        f => f,
    };
    let none = || view! { <em>{c.none}</em> }.into_any();
    view! {
        <dl class="summary">
            <dt>{c.title}</dt><dd>{draft.title.get_untracked()} {change(Step::Details)}</dd>
            <dt>{c.expiration_date}</dt><dd>{draft.expiration.get_untracked()} {change(Step::Expiration)}</dd>
            <dt>{c.referrers}</dt>
            <dd>{if referrers.is_empty() { view! { <em>{text.create.any_site}</em> }.into_any() } else {
                view! { <ul>{referrers.into_iter().map(|r| view! { <li>{r}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
            }} {change(Step::Referrers)}</dd>
            <dt>{c.privileges}</dt>
            <dd>{if privilege_labels.is_empty() { none() } else {
                view! { <ul>{privilege_labels.into_iter().map(|p| view! { <li>{p}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
            }} {change(Step::Privileges)}</dd>
            <dt>{c.item_access}</dt>
            <dd>{if items.is_empty() { none() } else {
                view! { <ul>{items.into_iter().map(|i| view! { <li>{i.title}</li> }).collect::<Vec<_>>()}</ul> }.into_any()
            }} {change(Step::ItemAccess)}</dd>
            <dt>{c.folder}</dt><dd>{folder}</dd>
            <dt>{c.tags}</dt><dd>{tags(&draft.tags.get_untracked()).join(", ")}</dd>
            <dt>{c.description}</dt>
            <dd>{match draft.description.get_untracked().trim() {
                "" => none(),
                description => description.to_owned().into_any(),
            }} {change(Step::Details)}</dd>
        </dl>
        <Show when=move || draft.personal()>
            <div class="warning-box acknowledge">
                <input type="checkbox" id="create-acknowledge" prop:checked=move || draft.acknowledged.get()
                    on:change=move |ev| draft.acknowledged.set(event_target_checked(&ev)) />
                <label for="create-acknowledge" class="choice">{text.create.acknowledge_personal}</label>
            </div>
        </Show>
    }
}
