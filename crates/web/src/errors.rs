//! Rust errors become JavaScript `Error` subclasses here, once, at the boundary.
//!
//! | class                 | when                                          | extra properties                 |
//! |-----------------------|-----------------------------------------------|----------------------------------|
//! | `InputError`          | input breaks a rule; nothing was sent         | `field`                          |
//! | `SignInRequiredError` | 498/499: the session is over                  | `code`, `messageCode`, `details` |
//! | `PortalError`         | the portal refused and said why               | `code`, `messageCode`, `details` |
//! | `NetworkError`        | no answer, a timeout, or HTTP ≥ 400 unexplained | `status` (HTTP)                |
//! | `ArcGISKeysError`     | the base; also an unreadable answer or a sign-in that did not complete | `kind` |
//!
//! Every error of a multi-step operation also has `step`; a failed create has
//! `rollback`; a failed key or update operation has `credential`, the credential as it
//! is now. Messages never hold a secret: the core's messages do not.

use arcgis_keys::Error;
use arcgis_keys::ops::create::{CreateError, Rollback};
use arcgis_keys::ops::keys::KeyError;
use arcgis_keys::ops::update::UpdateError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::steps;
use crate::types::{Credential, to_js};

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Error, reexport)]
    type ArcGISKeysError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, properties: &JsValue) -> ArcGISKeysError;

    #[wasm_bindgen(extends = ArcGISKeysError, extends = js_sys::Error, reexport)]
    type PortalError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, properties: &JsValue) -> PortalError;

    #[wasm_bindgen(extends = PortalError, extends = ArcGISKeysError, extends = js_sys::Error, reexport)]
    type SignInRequiredError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, properties: &JsValue) -> SignInRequiredError;

    #[wasm_bindgen(extends = ArcGISKeysError, extends = js_sys::Error, reexport)]
    type InputError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, properties: &JsValue) -> InputError;

    #[wasm_bindgen(extends = ArcGISKeysError, extends = js_sys::Error, reexport)]
    type NetworkError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, properties: &JsValue) -> NetworkError;
}

#[wasm_bindgen(typescript_custom_section)]
const ERROR_DECLARATIONS: &str = r#"
/** What an error is about; each class narrows it. */
export type ErrorKind = "input" | "signInRequired" | "portal" | "network" | "http" | "malformed" | "signIn" | "signInCancelled";

/** What became of a credential whose creation failed. */
export interface Rollback {
    /** `"nothingCreated"`, `"deleted"` (nothing left behind), `"failed"` (the item `itemId`
     * is left; delete it yourself), `"unverified"` (an item may be left; check your content). */
    outcome: "nothingCreated" | "deleted" | "failed" | "unverified";
    itemId?: string;
}

/** The base of every error arcgis-keys rejects with. */
export class ArcGISKeysError extends Error {
    readonly kind: ErrorKind;
    /** The step of a multi-step operation that failed, e.g. `"registerApp"`. */
    readonly step?: string;
    /** Create only: what was left behind. */
    readonly rollback?: Rollback;
    /** Key and update operations: the credential as it is after the failure. */
    readonly credential?: Credential;
}
/** The portal refused the call and said why. */
export class PortalError extends ArcGISKeysError {
    readonly kind: "portal" | "signInRequired";
    /** The portal's code: 400, 403, 498, … */
    readonly code: number;
    /** The portal's message code, e.g. `"CONT_0001"`, if it sent one. */
    readonly messageCode?: string;
    readonly details: string[];
}
/** 498 or 499: the session is over (a refresh was tried if possible); sign in again. */
export class SignInRequiredError extends PortalError {
    readonly kind: "signInRequired";
}
/** The input breaks a rule; nothing was sent. */
export class InputError extends ArcGISKeysError {
    readonly kind: "input";
    /** The option that needs fixing, e.g. `"referrers"`. */
    readonly field: string;
}
/** The portal could not be reached or gave no usable answer. */
export class NetworkError extends ArcGISKeysError {
    readonly kind: "network" | "http";
    /** The HTTP status, when the portal answered with one and no error body. */
    readonly status?: number;
}
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Properties {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    step: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rollback: Option<RollbackView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credential: Option<Credential>,
    /// The personal privilege an API key lacked (a 403 to a key session).
    #[serde(skip_serializing_if = "Option::is_none")]
    privilege: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RollbackView {
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_id: Option<String>,
}

/// What a failed operation adds to its error.
#[derive(Default)]
pub(crate) struct Context {
    pub step: Option<&'static str>,
    pub credential: Option<Credential>,
    rollback: Option<RollbackView>,
}

/// `error` as the JS class that fits it, with `message` (which names the step, if any).
pub(crate) fn js_error(error: &Error, message: &str, context: Context) -> JsValue {
    let mut properties = Properties {
        kind: "",
        code: None,
        message_code: None,
        details: None,
        field: None,
        status: None,
        step: context.step,
        rollback: context.rollback,
        credential: context.credential,
        privilege: None,
    };
    let server = |properties: &mut Properties, kind, server: &arcgis_keys::ServerError| {
        properties.kind = kind;
        properties.code = Some(server.code);
        properties.message_code = server.message_code.clone();
        properties.details = Some(server.details.clone());
        properties.privilege = server.privilege;
    };
    match error {
        Error::Input(input) => {
            properties.kind = "input";
            properties.field = Some(input.field.name());
            InputError::new(message, &to_js(&properties)).into()
        }
        Error::SignInRequired(e) => {
            server(&mut properties, "signInRequired", e);
            SignInRequiredError::new(message, &to_js(&properties)).into()
        }
        Error::Portal(e) => {
            server(&mut properties, "portal", e);
            PortalError::new(message, &to_js(&properties)).into()
        }
        Error::Transport(_) => {
            properties.kind = "network";
            NetworkError::new(message, &to_js(&properties)).into()
        }
        Error::Http { status } => {
            properties.kind = "http";
            properties.status = Some(*status);
            NetworkError::new(message, &to_js(&properties)).into()
        }
        Error::Malformed(_) => {
            properties.kind = "malformed";
            ArcGISKeysError::new(message, &to_js(&properties)).into()
        }
        Error::SignIn(_) => {
            properties.kind = "signIn";
            ArcGISKeysError::new(message, &to_js(&properties)).into()
        }
        Error::SignInCancelled(_) => {
            properties.kind = "signInCancelled";
            ArcGISKeysError::new(message, &to_js(&properties)).into()
        }
    }
}

/// A single-call operation's error.
pub(crate) fn plain(error: Error) -> JsValue {
    js_error(&error, &error.to_string(), Context::default())
}

impl From<arcgis_keys::InputError> for Failure {
    fn from(error: arcgis_keys::InputError) -> Self {
        Failure(plain(error.into()))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure(plain(error))
    }
}

/// A rejection on its way to JavaScript; `?` converts core errors into it.
pub(crate) struct Failure(pub JsValue);

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> Self {
        failure.0
    }
}

pub(crate) fn create_error(error: &CreateError) -> JsValue {
    let rollback = match &error.rollback {
        Rollback::NothingCreated => RollbackView { outcome: "nothingCreated", item_id: None },
        Rollback::Deleted => RollbackView { outcome: "deleted", item_id: None },
        Rollback::Failed { item_id, .. } => RollbackView { outcome: "failed", item_id: Some(item_id.clone()) },
        Rollback::Unverified { .. } => RollbackView { outcome: "unverified", item_id: None },
    };
    let context = Context { step: Some(steps::create(error.step)), credential: None, rollback: Some(rollback) };
    js_error(&error.error, &error.to_string(), context)
}

pub(crate) fn key_error(error: &KeyError, credential: Credential) -> JsValue {
    js_error(
        &error.error,
        &error.to_string(),
        Context { step: Some(steps::key(error.step)), credential: Some(credential), rollback: None },
    )
}

/// A rotation step's error: a refusal is the `InputError` it is (nothing was sent); a
/// failed key step carries the credential as the portal holds it now.
pub(crate) fn rotate_error(error: arcgis_keys::ops::rotation::RotateError, credential: Credential) -> Failure {
    match error {
        arcgis_keys::ops::rotation::RotateError::Refused(refused) => refused.into(),
        arcgis_keys::ops::rotation::RotateError::Read(error) => error.into(),
        arcgis_keys::ops::rotation::RotateError::Key(error) => Failure(key_error(&error, credential)),
    }
}

pub(crate) fn update_error(error: &UpdateError, credential: Credential) -> JsValue {
    js_error(
        &error.error,
        &error.to_string(),
        Context { step: Some(steps::update(error.step)), credential: Some(credential), rollback: None },
    )
}
