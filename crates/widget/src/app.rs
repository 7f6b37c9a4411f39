//! The manager's shell: who is signed in, which screen shows, and the sign-in dialog
//! that opens over any screen when the portal ends the session, so nothing on the
//! screen underneath is lost. The state it shares with the screens is `manager.rs`.

use std::rc::Rc;

use arcgis_keys::model::User;
use arcgis_keys_web::oauth::{self, Completion};
use leptos::prelude::*;

use crate::create::CreateScreen;
use crate::detail::DetailScreen;
use crate::health::HealthScreen;
use crate::list::ListScreen;
use arcgis_keys_web::fetch::client_for;
use arcgis_keys_web::tab_session;

use crate::icon::{Icon, icon};
use crate::manager::{Focus, KeyManagerOptions, Manager, ManagerEvent, Scope, Screen};
use crate::replace::ReplaceAllScreen;
use crate::reveal::KeyReveal;
use crate::sign_in::{SignInForm, SignInScreen};

/// The whole key manager: sign-in, the list of keys, creating, and each key's detail.
#[component]
pub fn KeyManager(#[prop(optional)] options: KeyManagerOptions) -> impl IntoView {
    let token = options.token.clone();
    let token_given = token.is_some();
    let host_screen = options.screen;
    let manager = Manager::new(options);
    if let Some(host) = host_screen {
        manager.follow_host(host);
    }
    provide_context(manager);
    if let Some(token) = token {
        leptos::task::spawn_local(async move {
            let signed_in = match client_for(&manager.default_portal.get_value()) {
                Ok(client) => client.sign_in_with_token(token, None).await.map(|user| (client, user)),
                Err(e) => Err(e.into()),
            };
            match signed_in {
                Ok((client, user)) => manager.signed_in(Rc::new(client), user),
                Err(e) => manager.sign_in_refused(&e),
            }
        });
    }
    // Back from the portal's sign-in page: finish a redirect sign-in, or, in a sign-in
    // popup, hand the answer to the page that opened it. Otherwise resume a session the
    // user asked this tab to keep (never over a host's token).
    let resume = !token_given && tab_session::waiting();
    manager.resuming.set(resume);
    leptos::task::spawn_local(async move {
        match oauth::complete().await {
            Ok(Completion::SignedIn(client, user)) => {
                tab_session::keep(&client);
                manager.signed_in(Rc::from(client), user);
            }
            Ok(Completion::NothingWaiting) if resume => match tab_session::resume().await {
                Some(Ok((client, user))) => manager.signed_in(Rc::new(client), user),
                Some(Err(arcgis_keys::Error::SignInRequired(_))) => {
                    let message = manager.text.sign_in.kept_session_ended.to_owned();
                    manager.emit(ManagerEvent::Error { message: message.clone() });
                    manager.sign_in_failed.try_set(Some(message));
                }
                Some(Err(e)) => manager.sign_in_refused(&e),
                None => {}
            },
            Ok(Completion::HandedBack | Completion::NothingWaiting) => {}
            Err(e) => manager.sign_in_refused(&e),
        }
        manager.resuming.try_set(false);
    });
    view! {
        <div class="arcgis-keys" node_ref=manager.root>
            {move || match manager.user.get() {
                None if manager.resuming.get() => view! {
                    <div class="loading" role="status">
                        <progress aria-label=manager.text.sign_in.resuming></progress>
                        " " {manager.text.sign_in.resuming}
                    </div>
                }.into_any(),
                None => view! { <SignInScreen /> }.into_any(),
                Some(user) => view! { <SignedIn user=user /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SignedIn(user: User) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let portal = manager.client().portal().base().to_owned();
    let t = &manager.text.shell;
    // A screen another opened starts at its heading, so the keyboard and a screen reader
    // start there too (a key's page does so once it has loaded, or lands on a control).
    // A screen the host asked for leaves the focus where the user is.
    Effect::new(move |seen: Option<()>| {
        let detail = matches!(manager.screen.get(), Screen::Detail(_));
        let by_host = manager.take_host_moved();
        if seen.is_some() && !detail && !by_host {
            manager.focus(Focus::Heading);
        }
    });
    view! {
        <header class="bar">
            <p class="who">
                {t.signed_in_as} <strong>{user.username.clone()}</strong> {t.on_portal} <span class="portal">{portal}</span>
            </p>
            <button type="button" class="secondary" on:click=move |_| manager.sign_out()>{icon(Icon::SignOut)}{t.sign_out}</button>
        </header>
        {move || manager.stray_keys.with(|keys| keys.iter().enumerate().map(|(n, stray)| {
            let shown = stray.key.clone();
            view! {
                <KeyReveal key=stray.key.clone() what=stray.what.clone() expires=stray.expires.clone() id=format!("stray-{n}")
                    on_done=move |_| manager.stray_keys.update(|keys| keys.retain(|k| k.key != shown)) />
            }
        }).collect::<Vec<_>>())}
        // Always in the page, so that a screen reader hears each notice as it arrives.
        <p class="toast" role="status" aria-live="polite">{move || manager.notice.with(|n| n.as_ref().map(|(_, m)| m.clone()))}</p>
        <Show when=move || manager.password_offered.get()>
            <div class="warning-box" role="status">
                <p>{t.password_offer}</p>
                <button type="button" on:click=move |_| {
                    manager.password_offered.set(false);
                    manager.signing_in_again.set(true);
                }>{t.password_sign_in}</button>
            </div>
        </Show>
        {move || match manager.screen.get() {
            Screen::List => view! { <ListScreen /> }.into_any(),
            Screen::Organization => view! { <ListScreen scope=Scope::Organization /> }.into_any(),
            Screen::OrganizationHealth => view! { <HealthScreen scope=Scope::Organization /> }.into_any(),
            Screen::Create => view! { <CreateScreen /> }.into_any(),
            Screen::Health => view! { <HealthScreen /> }.into_any(),
            Screen::Detail(id) => view! { <DetailScreen id=id /> }.into_any(),
            Screen::Replace(id) => view! { <CreateScreen replacing=id /> }.into_any(),
            Screen::ReplaceAll => view! { <ReplaceAllScreen /> }.into_any(),
        }}
        <Show when=move || manager.signing_in_again.get()>
            <div class="backdrop">
                <div role="dialog" aria-modal="true" aria-labelledby="sign-in-again" class="dialog">
                    <h2 id="sign-in-again">{t.sign_in_again}</h2>
                    <p>{t.session_ended}</p>
                    <SignInForm again=true />
                </div>
            </div>
        </Show>
    }
}
