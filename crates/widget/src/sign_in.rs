//! Signing in: a portal, then a username and password or a token the user already
//! holds. The same form, without the portal field, renews an ended session.

use arcgis_keys::Secret;
use leptos::prelude::*;

use crate::app::{Manager, client_for, explain};

/// The first screen: which portal, and how to sign in to it.
#[component]
pub fn SignInScreen() -> impl IntoView {
    view! {
        <main class="screen narrow">
            <h1>"ArcGIS API key manager"</h1>
            <p>"Create, rotate and retire the API keys of your ArcGIS portal."</p>
            <SignInForm again=false />
        </main>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Password,
    Token,
}

/// Username and password, or a token. `again`: renew the current session on its own
/// portal instead of starting one.
#[component]
pub fn SignInForm(again: bool) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let portal = RwSignal::new(manager.default_portal.get_value());
    let method = RwSignal::new(Method::Password);
    let username = RwSignal::new(manager.user.get_untracked().map(|u| u.username).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let prefix = if again { "again-" } else { "" };
    let id = move |name: &str| format!("{prefix}{name}");

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let client =
                if again { Ok(manager.client()) } else { client_for(&portal.get_untracked()).map(std::rc::Rc::new) };
            let result = match client {
                Err(e) => Err(e),
                Ok(client) => {
                    let user = match method.get_untracked() {
                        Method::Password => {
                            let referer = window().location().origin().unwrap_or_default();
                            let secret = Secret::new(password.get_untracked());
                            client.sign_in(username.get_untracked().trim(), &secret, &referer).await
                        }
                        Method::Token => {
                            client.sign_in_with_token(Secret::new(token.get_untracked().trim()), None).await
                        }
                    };
                    user.map(|user| (client, user))
                }
            };
            busy.set(false);
            match result {
                Ok(_) if again => {
                    password.set(String::new());
                    manager.renewed();
                }
                Ok((client, user)) => {
                    password.set(String::new());
                    token.set(String::new());
                    manager.signed_in(client, user);
                }
                Err(e) => error.set(Some(explain(&e))),
            }
        });
    };

    view! {
        <form class="sign-in" on:submit=submit>
            <Show when=move || !again>
                <label for=id("portal")>"Portal URL"</label>
                <input id=id("portal") type="url" required bind:value=portal autocomplete="url"
                    aria-describedby=id("portal-hint") />
                <p class="hint" id=id("portal-hint")>
                    "For example https://www.arcgis.com or https://yourorg.maps.arcgis.com"
                </p>
            </Show>
            <fieldset>
                <legend>"Sign in with"</legend>
                <label class="choice">
                    <input type="radio" name=id("method") prop:checked=move || method.get() == Method::Password
                        on:change=move |_| method.set(Method::Password) />
                    "Username and password"
                </label>
                <label class="choice">
                    <input type="radio" name=id("method") prop:checked=move || method.get() == Method::Token
                        on:change=move |_| method.set(Method::Token) />
                    "A token"
                </label>
            </fieldset>
            {move || match method.get() {
                Method::Password => view! {
                    <label for=id("username")>"Username"</label>
                    <input id=id("username") required bind:value=username autocomplete="username" />
                    <label for=id("password")>"Password"</label>
                    <input id=id("password") type="password" required bind:value=password
                        autocomplete="current-password" />
                }.into_any(),
                Method::Token => view! {
                    <label for=id("token")>"Token"</label>
                    <input id=id("token") type="password" required bind:value=token autocomplete="off"
                        aria-describedby=id("token-hint") />
                    <p class="hint" id=id("token-hint")>"A token from this portal; it stays in this page only."</p>
                }.into_any(),
            }}
            <p class="error" role="alert">{move || error.get()}</p>
            <button type="submit" prop:disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}
