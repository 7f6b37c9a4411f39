//! The Rust side of the `<arcgis-api-key-manager>` custom element (`js/element.js`):
//! [`mount`] puts the manager into a container the element made in its shadow root, and
//! returns the handle the element keeps to change the view and to unmount. Events leave
//! as `(name, detail)` calls. This is the one place the widget converts to JS values.

use std::cell::Cell;
use std::rc::Rc;

use arcgis_keys::Secret;
use js_sys::{Function, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::app::KeyManager;
use crate::manager::{KeyIssued, KeyManagerOptions, ManagerEvent, Screen, SlotChange};

/// The manager in an element; dropping it (or [`MountedManager::unmount`]) takes the
/// manager out of the page.
#[wasm_bindgen]
pub struct MountedManager {
    screen: RwSignal<Screen>,
    expose_keys: RwSignal<bool>,
    _mounted: Box<dyn std::any::Any>,
}

#[wasm_bindgen]
impl MountedManager {
    /// Shows the screen named `view` ("list", "create", "health", "organization") once signed in.
    #[wasm_bindgen(js_name = setView)]
    pub fn set_view(&self, view: &str) {
        self.screen.try_set(Screen::named(view));
    }

    /// Whether the events from now on carry issued keys (`expose-keys`).
    #[wasm_bindgen(js_name = setExposeKeys)]
    pub fn set_expose_keys(&self, expose: bool) {
        self.expose_keys.try_set(expose);
    }

    /// Removes the manager and everything it holds (a shown key included).
    pub fn unmount(self) {}
}

fn string(options: &JsValue, name: &str) -> Option<String> {
    Reflect::get(options, &name.into()).ok()?.as_string().filter(|s| !s.is_empty())
}

/// Mounts the manager into `target`. `options`: `portal`, `clientId`, `token`, `view`
/// (strings), `exposeKeys` (boolean) and `onEvent(name, detail)`.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, options: JsValue) -> MountedManager {
    let on_event = Reflect::get(&options, &"onEvent".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
    let expose_keys = Reflect::get(&options, &"exposeKeys".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    let portal = string(&options, "portal");
    let client_id = string(&options, "clientId");
    let token = string(&options, "token").map(Secret::new);
    let initial = Screen::named(&string(&options, "view").unwrap_or_default());
    let signals_out = Rc::new(Cell::new(None));
    let mounted = leptos::mount::mount_to(target, {
        let signals_out = signals_out.clone();
        move || {
            let screen = RwSignal::new(initial);
            let expose = RwSignal::new(expose_keys);
            signals_out.set(Some((screen, expose)));
            let options = KeyManagerOptions {
                portal,
                client_id,
                token,
                screen: Some(screen),
                on_event: on_event.map(|f| {
                    Rc::new(move |event: ManagerEvent| {
                        let (name, detail) = to_js(&event);
                        // A host's listener that throws is the host's problem, not the manager's.
                        let _ = f.call2(&JsValue::NULL, &name.into(), &detail);
                    }) as crate::manager::EventHandler
                }),
                expose_keys: expose.into(),
                // Only English ships; the element has no language attribute yet.
                text: None,
            };
            view! { <KeyManager options=options /> }
        }
    });
    let (screen, expose_keys) = signals_out.get().expect("the manager was mounted");
    MountedManager { screen, expose_keys, _mounted: Box::new(mounted) }
}

/// An event as the element dispatches it: its name and its `detail` object.
fn to_js(event: &ManagerEvent) -> (&'static str, JsValue) {
    let detail = Object::new();
    let set = |name: &str, value: JsValue| {
        Reflect::set(&detail, &name.into(), &value).expect("setting a property of a new object");
    };
    let issued = |key: &Option<KeyIssued>| {
        if let Some(issued) = key {
            set("slot", issued.slot.map_or(JsValue::NULL, JsValue::from));
            set("expires", issued.expires_ms.map_or(JsValue::NULL, |ms| JsValue::from(ms as f64)));
            if let Some(key) = &issued.key {
                set("key", key.expose().into());
            }
        }
    };
    let name = match event {
        ManagerEvent::SignedIn { username, portal } => {
            set("username", username.into());
            set("portal", portal.into());
            "signedin"
        }
        ManagerEvent::SignedOut => "signedout",
        ManagerEvent::KeyCreated { id, title, key } => {
            set("id", id.into());
            set("title", title.into());
            set("slot", JsValue::NULL);
            set("expires", JsValue::NULL);
            issued(key);
            "keycreated"
        }
        ManagerEvent::KeyRotated { id, title, change, key } => {
            set("id", id.into());
            set("title", title.into());
            let (what, slot) = match change {
                SlotChange::Generated(slot) => ("generated", JsValue::from(*slot)),
                SlotChange::Invalidated(slot) => ("invalidated", JsValue::from(*slot)),
            };
            set("change", what.into());
            set("slot", slot);
            set("expires", JsValue::NULL);
            issued(key);
            "keyrotated"
        }
        ManagerEvent::KeyDeleted { id, title } => {
            set("id", id.into());
            set("title", title.into());
            "keydeleted"
        }
        ManagerEvent::Error { message } => {
            set("message", message.into());
            "error"
        }
    };
    (name, detail.into())
}
