//! The manager's shared state: who is signed in, which screen shows, where focus lands,
//! the events the host hears, and the keys no screen is left to show. Every screen reads
//! it from the context [`Manager`]; it knows no screen, so no module cycles through it.

use std::rc::Rc;

use arcgis_keys::model::{Slot, User};
use arcgis_keys::{Client, Error, Portal, Secret};
use arcgis_keys_web::fetch::FetchTransport;
use leptos::prelude::*;

use crate::text::{ENGLISH, Text};

pub type WebClient = Client<FetchTransport>;

/// How long an action's notice stays on screen.
const NOTICE_SHOWN: std::time::Duration = std::time::Duration::from_secs(8);

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    List,
    Create,
    /// Every key by what needs attention.
    Health,
    /// One credential or legacy key, by item id.
    Detail(String),
    /// The create wizard, prefilled from the retired legacy key of this id.
    Replace(String),
    /// Every retired legacy key replaced in one run.
    ReplaceAll,
    /// Every member's credentials, for an administrator of the organization.
    Organization,
    /// The health view over every member's credentials.
    OrganizationHealth,
}

impl Screen {
    /// A screen a host may ask for by name (`view="create"`); the list otherwise.
    pub fn named(name: &str) -> Screen {
        match name {
            "create" => Screen::Create,
            "health" => Screen::Health,
            "organization" => Screen::Organization,
            _ => Screen::List,
        }
    }
}

/// Whose keys a list or the health view shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// The signed-in user's own.
    #[default]
    Mine,
    /// Every member's of the administrator's organization.
    Organization,
}

impl Scope {
    /// The list of this scope's keys.
    pub fn list(self) -> Screen {
        match self {
            Scope::Mine => Screen::List,
            Scope::Organization => Screen::Organization,
        }
    }

    /// The health view of this scope's keys.
    pub fn health(self) -> Screen {
        match self {
            Scope::Mine => Screen::Health,
            Scope::Organization => Screen::OrganizationHealth,
        }
    }
}

/// Where focus lands after an action: on a key's page, the control that settles what the
/// action was about; elsewhere, the screen's heading. It also scrolls into view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// A slot's card: its expiration above Generate, or, for a live key, Regenerate
    /// (whose dialog holds the expiration).
    Slot(Slot),
    /// The guided rotation: its expiration, or, once started, its "every app" checkbox.
    Rotation,
    /// The edit form (opened) at its referrers.
    Referrers,
    /// The edit form (opened) at its privileges.
    Privileges,
    Delete,
    /// The button that opens the edit form: where a saved edit, which closes it, lands.
    EditSettings,
    /// The screen's heading: where a screen opened by an action starts.
    Heading,
}

impl Focus {
    /// Selectors of the controls that can stand for it; the first on the page wins.
    fn targets(self) -> &'static [&'static str] {
        match self {
            Focus::Slot(Slot::Primary) => &["#slot-1-expiration", "#slot-1-regenerate"],
            Focus::Slot(Slot::Secondary) => &["#slot-2-expiration", "#slot-2-regenerate"],
            Focus::Rotation => &["#rotation-deployed", "#rotation-expiration", "#rotation-unavailable"],
            Focus::Referrers => &["#edit-referrers"],
            Focus::Privileges => &["#privilege-search"],
            Focus::Delete => &["#delete-confirm"],
            Focus::EditSettings => &["#edit-settings"],
            Focus::Heading => &["h1"],
        }
    }

    /// Whether the edit form must be open to show it.
    pub fn in_edit_form(self) -> bool {
        matches!(self, Focus::Referrers | Focus::Privileges)
    }
}

/// What the manager tells its host as it happens. Only `KeyIssued` can carry a secret,
/// and only when the host asked for keys ([`KeyManagerOptions::expose_keys`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ManagerEvent {
    SignedIn {
        username: String,
        portal: String,
    },
    SignedOut,
    /// A credential was created, with its first key when one was issued.
    KeyCreated {
        id: String,
        title: String,
        key: Option<KeyIssued>,
    },
    /// A slot changed: a key generated or regenerated, or a key stopped (invalidated, or
    /// stopped by the portal when the privileges changed).
    KeyRotated {
        id: String,
        title: String,
        change: SlotChange,
        key: Option<KeyIssued>,
    },
    KeyDeleted {
        id: String,
        title: String,
    },
    /// An error the manager showed the user, in the words it showed.
    Error {
        message: String,
    },
}

/// How a slot changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotChange {
    Generated(u8),
    Invalidated(u8),
}

/// A key the manager issued. `key` is `None` unless the host asked for keys.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyIssued {
    /// 1 or 2; `None` for a legacy key.
    pub slot: Option<u8>,
    /// Epoch ms; `None` for a legacy key, which never expires.
    pub expires_ms: Option<i64>,
    pub key: Option<Secret>,
}

/// Receives [`ManagerEvent`]s.
pub type EventHandler = Rc<dyn Fn(ManagerEvent)>;

/// What every screen shares; `Copy`, so closures take it freely.
#[derive(Clone, Copy)]
pub struct Manager {
    client: StoredValue<Option<Rc<WebClient>>, LocalStorage>,
    /// The portal the sign-in form starts with.
    pub default_portal: StoredValue<String>,
    /// The OAuth app "Sign in with ArcGIS" starts with.
    pub default_client_id: StoredValue<String>,
    pub user: RwSignal<Option<User>>,
    pub screen: RwSignal<Screen>,
    /// The portal asked to sign in again: the dialog is open over the screen.
    pub signing_in_again: RwSignal<bool>,
    /// The portal refused a change to an OAuth session: offer a username and password
    /// sign-in (some portals manage API keys only for one), keeping the screen as it is.
    pub password_offered: RwSignal<bool>,
    /// A session kept in this tab is being checked with the portal: no sign-in form yet.
    pub resuming: RwSignal<bool>,
    /// Why finishing a redirect sign-in failed, for the sign-in screen to say.
    pub sign_in_failed: RwSignal<Option<String>>,
    /// How many times the session was renewed by signing in again: an error that asked
    /// for it no longer applies after.
    pub renewals: RwSignal<u32>,
    events: StoredValue<Option<EventHandler>, LocalStorage>,
    expose_keys: Signal<bool>,
    /// The words on screen.
    pub text: &'static Text,
    /// The manager's root element: ids are looked up under it, as the document cannot
    /// see into the element's shadow root.
    pub(crate) root: NodeRef<leptos::html::Div>,
    /// Where the next key page opened lands, if an action asked for a control.
    landing: StoredValue<Option<Focus>>,
    /// Keys issued after the screen that asked for them was gone (the host changed the
    /// view, say): shown by the manager itself, above any screen, so none is dropped.
    pub(crate) stray_keys: RwSignal<Vec<StrayKey>, LocalStorage>,
    /// What the last action did, in the shell's polite live region (and a toast), with a
    /// number so that only the newest one times out.
    pub(crate) notice: RwSignal<Option<(u32, String)>>,
    /// Whose keys the last list or health view showed: where a key's page goes back to.
    scope: StoredValue<Scope>,
    /// The host changed the screen (the element's `view`): the focus stays where the
    /// user is, on the host's page, rather than moving into the manager.
    host_moved: StoredValue<bool>,
}

/// A key to show once whose screen is gone: the key, whose it is, until when.
#[derive(Clone)]
pub struct StrayKey {
    pub key: Secret,
    pub what: String,
    pub expires: Option<String>,
}

impl Manager {
    /// The state of a manager made with `options` (its token, if any, is the caller's to
    /// sign in with).
    pub(crate) fn new(options: KeyManagerOptions) -> Self {
        Manager {
            client: StoredValue::new_local(None),
            default_portal: StoredValue::new(
                options.portal.unwrap_or_else(|| Portal::arcgis_online().base().to_owned()),
            ),
            default_client_id: StoredValue::new(options.client_id.unwrap_or_default()),
            user: RwSignal::new(None),
            // The manager's own: a host's screen signal is followed (`follow_host`), so the
            // manager knows which changes were the host's.
            screen: RwSignal::new(options.screen.map_or(Screen::List, |s| s.get_untracked())),
            signing_in_again: RwSignal::new(false),
            password_offered: RwSignal::new(false),
            resuming: RwSignal::new(false),
            sign_in_failed: RwSignal::new(None),
            renewals: RwSignal::new(0),
            events: StoredValue::new_local(options.on_event),
            expose_keys: options.expose_keys,
            text: options.text.unwrap_or(&ENGLISH),
            root: NodeRef::new(),
            landing: StoredValue::new(None),
            stray_keys: RwSignal::new_local(Vec::new()),
            notice: RwSignal::new(None),
            scope: StoredValue::new(Scope::Mine),
            host_moved: StoredValue::new(false),
        }
    }

    /// Shows each screen the host asks for through `host` from now on.
    pub(crate) fn follow_host(&self, host: RwSignal<Screen>) {
        let manager = *self;
        Effect::new(move |seen: Option<()>| {
            let asked = host.get();
            if seen.is_some() {
                // Signed out, the screen waits for the sign-in, which lands on its own.
                let signed_in = manager.user.with_untracked(Option::is_some);
                manager.host_moved.set_value(signed_in);
                manager.screen.set(asked);
            }
        });
    }

    /// Whether the host made the last screen change; asked once, by the shell's focus.
    pub(crate) fn take_host_moved(&self) -> bool {
        self.host_moved.try_update_value(std::mem::take).unwrap_or(false)
    }

    /// Is the signed-in user an administrator of the organization (who sees the
    /// Organization view)?
    pub fn is_admin(&self) -> bool {
        self.user.with_untracked(|u| u.as_ref().is_some_and(|u| u.is_admin()))
    }

    /// Notes the scope a list or health view shows, for [`Manager::scope`].
    pub fn showing(&self, scope: Scope) {
        self.scope.set_value(scope);
    }

    /// Whose keys the last list or health view showed: a key's page opened from the
    /// Organization view goes back there.
    pub fn scope(&self) -> Scope {
        self.scope.try_get_value().unwrap_or_default()
    }

    /// Says what an action did, politely, above any screen (it outlives the screen that
    /// acted: a deleted key's page is gone when its notice shows), for a few seconds.
    pub fn announce(&self, message: String) {
        let notice = self.notice;
        let number = notice.with_untracked(|n| n.as_ref().map_or(0, |(k, _)| k.wrapping_add(1)));
        notice.set(Some((number, message)));
        set_timeout(
            move || {
                // Gone with the manager, or replaced by a newer notice: nothing to clear.
                let _ = notice.try_update(|n| {
                    if n.as_ref().is_some_and(|(k, _)| *k == number) {
                        *n = None;
                    }
                });
            },
            NOTICE_SHOWN,
        );
    }

    /// Shows `key` above whatever screen is showing: its own screen is gone.
    pub fn reveal_stray(&self, key: StrayKey) {
        self.stray_keys.update(|keys| keys.push(key));
    }

    /// The signed-in client. Screens other than sign-in only exist while there is one.
    pub fn client(&self) -> Rc<WebClient> {
        self.client.get_value().expect("screens show only while signed in")
    }

    pub fn signed_in(&self, client: Rc<WebClient>, user: User) {
        let portal = client.portal().base().to_owned();
        self.client.set_value(Some(client));
        self.emit(ManagerEvent::SignedIn { username: user.username.clone(), portal });
        self.user.set(Some(user));
        self.signing_in_again.set(false);
        self.password_offered.set(false);
        self.sign_in_failed.set(None);
    }

    /// Tells the host, if it listens. Keys are dropped here unless it asked for them.
    pub fn emit(&self, mut event: ManagerEvent) {
        let Some(handler) = self.events.try_get_value().flatten() else { return };
        if !self.expose_keys.try_get_untracked().unwrap_or(false)
            && let ManagerEvent::KeyCreated { key: Some(issued), .. }
            | ManagerEvent::KeyRotated { key: Some(issued), .. } = &mut event
        {
            issued.key = None;
        }
        handler(event);
    }

    /// The session continues with a fresh sign-in on the same client.
    pub fn renewed(&self) {
        if let Some(client) = self.client.try_get_value().flatten() {
            arcgis_keys_web::tab_session::keep(&client);
        }
        self.signing_in_again.set(false);
        self.renewals.update(|n| *n = n.wrapping_add(1));
    }

    /// Whether `message` is an error that asks to sign in again ([`Manager::explain`]
    /// ends it so): stale once the session is renewed.
    pub fn asks_to_sign_in(&self, message: &str) -> bool {
        message.ends_with(self.text.next_step.sign_in_again)
    }

    /// Runs `then` each time the session is renewed, for as long as the calling screen
    /// lives.
    pub fn on_renewal(&self, then: impl Fn() + 'static) {
        let renewals = self.renewals;
        Effect::new(move |seen: Option<u32>| {
            let now = renewals.get();
            if seen.is_some_and(|seen| seen != now) {
                untrack(&then);
            }
            now
        });
    }

    /// Where a screen says what went wrong: an error that asked to sign in again clears
    /// itself when the session is renewed, so no stale error stays on screen.
    pub fn problem(&self) -> RwSignal<Option<String>> {
        let problem = RwSignal::new(None::<String>);
        let manager = *self;
        self.on_renewal(move || {
            if problem.with_untracked(|p| p.as_deref().is_some_and(|p| manager.asks_to_sign_in(p))) {
                problem.set(None);
            }
        });
        problem
    }

    pub fn sign_out(&self) {
        if let Some(client) = self.client.get_value() {
            leptos::task::spawn_local(async move {
                // Revoking is best effort: the token is forgotten locally either way.
                let _ = client.sign_out().await;
            });
        }
        arcgis_keys_web::tab_session::forget();
        self.client.set_value(None);
        self.user.set(None);
        self.scope.set_value(Scope::Mine);
        self.screen.set(Screen::List);
        self.emit(ManagerEvent::SignedOut);
    }

    /// Opens key `id`'s page with `focus` on the control that acts on it.
    pub fn open_key_at(&self, id: String, focus: Focus) {
        self.landing.set_value(Some(focus));
        self.screen.set(Screen::Detail(id));
    }

    /// Where the key page opening now should land; asked once, by that page.
    pub fn take_landing(&self) -> Option<Focus> {
        self.landing.try_update_value(Option::take).flatten()
    }

    /// Focuses `focus`'s control once the screen has rendered.
    pub fn focus(&self, focus: Focus) {
        let root = self.root;
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            // The manager may be gone by the next frame (the element removed).
            let Some(root) = root.try_get_untracked().flatten() else { return };
            let found = focus.targets().iter().find_map(|selector| root.query_selector(selector).ok().flatten());
            if let Some(control) = found.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
                // A heading takes focus from a script only, never from Tab.
                if !control.has_attribute("tabindex") && control.tag_name().starts_with('H') {
                    let _ = control.set_attribute("tabindex", "-1");
                }
                let _ = control.focus();
            }
        });
    }

    pub fn now(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    /// A sign-in that failed (the form, a host's token, the OAuth return): said on the
    /// sign-in screen, and told to the host like every error the manager shows.
    pub fn sign_in_refused(&self, error: &Error) {
        let message = self.text.explain(error, error, false);
        self.emit(ManagerEvent::Error { message: message.clone() });
        self.sign_in_failed.try_set(Some(message));
    }

    /// An error as the user reads it: what happened and what to do next. Opens the
    /// sign-in dialog when the session has ended.
    pub fn explain(&self, error: &Error) -> String {
        self.explain_as(error, error)
    }

    /// [`Manager::explain`] for a workflow error (`what`) whose cause is `error`.
    pub fn explain_as(&self, error: &Error, what: &dyn std::fmt::Display) -> String {
        if matches!(error, Error::SignInRequired(_)) {
            self.signing_in_again.set(true);
        }
        // Whether a portal refuses an OAuth token for key management is not documented:
        // a 403 to an OAuth session offers the other sign-in, whichever the cause.
        let oauth_session = self.client.get_value().and_then(|c| c.session()).is_some_and(|s| s.refresh.is_some());
        if oauth_session && error.code() == Some(403) {
            self.password_offered.set(true);
            let message = format!("{what} {}", self.text.next_step.use_password_sign_in);
            self.emit(ManagerEvent::Error { message: message.clone() });
            return message;
        }
        let signed_in = self.client.get_value().is_some();
        let message = self.text.explain(error, what, signed_in);
        self.emit(ManagerEvent::Error { message: message.clone() });
        message
    }
}

/// Starts a read for the screen being built: cancelled when the screen (the current
/// reactive owner) goes, so no read finishes into signals that are gone (with
/// `panic = "abort"`, reading a disposed signal would end the manager for the page's
/// life). Writes use `leptos::task::spawn_local` instead: a transaction finishes even
/// if its screen does not, so nothing is left half made, and its continuation only
/// sets signals (`try_` reads at most).
pub fn spawn_read(task: impl std::future::Future<Output = ()> + 'static) {
    leptos::task::spawn_local_scoped_with_cancellation(task);
}

/// Options of [`KeyManager`].
#[derive(Clone, Default)]
pub struct KeyManagerOptions {
    /// The portal the sign-in form offers first; ArcGIS Online when `None`.
    pub portal: Option<String>,
    /// The client ID "Sign in with ArcGIS" offers first: an OAuth app registered on the
    /// portal with the manager's page as a redirect URL.
    pub client_id: Option<String>,
    /// A token the host already holds for `portal`: the manager signs in with it and
    /// skips the sign-in screen (which shows, with the reason, if the token is refused).
    pub token: Option<Secret>,
    /// The screen to show once signed in, which the host may change later; the list
    /// when `None`.
    pub screen: Option<RwSignal<Screen>>,
    /// Called with each [`ManagerEvent`].
    pub on_event: Option<EventHandler>,
    /// Whether `on_event` receives issued keys, read as each event leaves (the host may
    /// change it). Off by default: a key then exists only in the manager's reveal.
    pub expose_keys: Signal<bool>,
    /// The words on screen; [`ENGLISH`] when `None`.
    pub text: Option<&'static Text>,
}

/// `on_event` is a closure and `token` a secret: neither is printed.
impl std::fmt::Debug for KeyManagerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyManagerOptions")
            .field("portal", &self.portal)
            .field("client_id", &self.client_id)
            .field("token", &self.token)
            .field("expose_keys", &self.expose_keys)
            .field("text", &self.text.map(|t| t.sign_in.heading))
            .finish_non_exhaustive()
    }
}
