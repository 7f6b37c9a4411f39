//! Signing in: a portal, then "Sign in with ArcGIS" (OAuth in a popup or by redirect),
//! a username and password, or a token the user already holds. The same form, without
//! the portal field, renews an ended session (by popup only: a redirect would leave the
//! screen it means to keep).

use std::rc::Rc;

use arcgis_keys::Secret;
use arcgis_keys::oauth::OAuthConfig;
use arcgis_keys_web::oauth;
use leptos::prelude::*;

use arcgis_keys_web::fetch::client_for;
use arcgis_keys_web::tab_session;

use crate::manager::{Focus, Manager, WebClient};

/// This page without its query or fragment: where the portal sends the user back.
fn redirect_uri() -> String {
    let location = window().location();
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// The first screen: which portal, and how to sign in to it.
#[component]
pub fn SignInScreen() -> impl IntoView {
    let t = &expect_context::<Manager>().text.sign_in;
    view! {
        <div class="screen narrow">
            <h1>{t.heading}</h1>
            <p>{t.intro}</p>
            <SignInForm again=false />
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    ArcGis,
    Password,
    Token,
}

/// Username and password, or a token. `again`: renew the current session on its own
/// portal instead of starting one.
#[component]
pub fn SignInForm(again: bool) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let t = &manager.text.sign_in;
    let portal = RwSignal::new(manager.default_portal.get_value());
    let client_id = RwSignal::new(manager.default_client_id.get_value());
    // OAuth first when the site names an app to sign in through.
    let method = RwSignal::new(if client_id.get_untracked().is_empty() { Method::Password } else { Method::ArcGis });
    let popup = RwSignal::new(true);
    let stay = RwSignal::new(tab_session::chosen());
    let username = RwSignal::new(manager.user.get_untracked().map(|u| u.username).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let error = manager.sign_in_failed;
    let busy = RwSignal::new(false);
    let prefix = if again { "again-" } else { "" };
    let id = move |name: &str| format!("{prefix}{name}");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let client = if again { Ok(manager.client()) } else { client_for(&portal.get_untracked()).map(Rc::new) };
        let client: Rc<WebClient> = match client {
            Ok(client) => client,
            Err(e) => return manager.sign_in_refused(&e.into()),
        };
        busy.set(true);
        if !again {
            // Recorded before a redirect sign-in leaves the page, so it survives it.
            tab_session::choose(stay.get_untracked());
        }
        leptos::task::spawn_local(async move {
            let user = match method.get_untracked() {
                Method::ArcGis => {
                    let config = OAuthConfig::new(client_id.get_untracked().trim(), redirect_uri());
                    if !again && !popup.get_untracked() {
                        oauth::begin_redirect(&client, config).await;
                        return;
                    }
                    oauth::sign_in_with_popup(&client, config).await
                }
                Method::Password => {
                    let referer = window().location().origin().unwrap_or_default();
                    let secret = Secret::new(password.get_untracked());
                    client.sign_in(username.get_untracked().trim(), &secret, &referer).await
                }
                Method::Token => client.sign_in_with_token(Secret::new(token.get_untracked().trim()), None).await,
            };
            // The form may be gone (the host changed the portal meanwhile): `try_` setters.
            busy.try_set(false);
            match user {
                Ok(_) if again => {
                    password.try_set(String::new());
                    manager.renewed();
                }
                Ok(user) => {
                    password.try_set(String::new());
                    token.try_set(String::new());
                    tab_session::keep(&client);
                    manager.signed_in(client, user);
                    manager.focus(Focus::Heading);
                }
                Err(e) => manager.sign_in_refused(&e),
            }
        });
    };

    view! {
        <form class="sign-in" on:submit=submit>
            <Show when=move || !again>
                <label for=id("portal")>{t.portal}</label>
                <input id=id("portal") type="url" required bind:value=portal autocomplete="url"
                    aria-describedby=id("portal-hint") />
                <p class="hint" id=id("portal-hint")>{t.portal_hint}</p>
            </Show>
            <fieldset>
                <legend>{t.method}</legend>
                <label class="choice">
                    <input type="radio" name=id("method") prop:checked=move || method.get() == Method::ArcGis
                        on:change=move |_| method.set(Method::ArcGis) />
                    {t.method_arcgis}
                </label>
                <label class="choice">
                    <input type="radio" name=id("method") prop:checked=move || method.get() == Method::Password
                        on:change=move |_| method.set(Method::Password) />
                    {t.method_password}
                </label>
                <label class="choice">
                    <input type="radio" name=id("method") prop:checked=move || method.get() == Method::Token
                        on:change=move |_| method.set(Method::Token) />
                    {t.method_token}
                </label>
            </fieldset>
            {move || match method.get() {
                Method::ArcGis => view! {
                    <label for=id("client-id")>{t.client_id}</label>
                    <input id=id("client-id") required bind:value=client_id autocomplete="off"
                        aria-describedby=id("client-id-hint") />
                    <p class="hint" id=id("client-id-hint")>{t.client_id_hint}</p>
                    <Show when=move || !again>
                        <div class="option">
                            <input type="checkbox" id="oauth-popup" bind:checked=popup />
                            <label for="oauth-popup">{t.popup}</label>
                        </div>
                    </Show>
                }.into_any(),
                Method::Password => view! {
                    <label for=id("username")>{t.username}</label>
                    <input id=id("username") required bind:value=username autocomplete="username" />
                    <label for=id("password")>{t.password}</label>
                    <input id=id("password") type="password" required bind:value=password
                        autocomplete="current-password" />
                }.into_any(),
                Method::Token => view! {
                    <label for=id("token")>{t.token}</label>
                    <input id=id("token") type="password" required bind:value=token autocomplete="off"
                        aria-describedby=id("token-hint") />
                    <p class="hint" id=id("token-hint")>{t.token_hint}</p>
                }.into_any(),
            }}
            <Show when=move || !again>
                <div class="option">
                    <input type="checkbox" id="stay-signed-in" bind:checked=stay
                        aria-describedby="stay-signed-in-hint" />
                    <label for="stay-signed-in">{t.stay_signed_in}</label>
                </div>
                <p class="hint" id="stay-signed-in-hint">{t.stay_signed_in_hint}</p>
            </Show>
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit" prop:disabled=move || busy.get()>
                {move || match (busy.get(), method.get()) {
                    (true, _) => t.signing_in,
                    (false, Method::ArcGis) => t.sign_in_arcgis,
                    (false, _) => t.sign_in,
                }}
            </button>
        </form>
    }
}
