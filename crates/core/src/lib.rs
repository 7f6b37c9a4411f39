//! `arcgis-keys`: the domain of ArcGIS API keys and the sharing REST contract.
//!
//! The core does no IO: it builds requests and reads responses, and every byte goes
//! through a [`Transport`] supplied by the caller (the browser's fetch in
//! `arcgis-keys-web`, the in-process emulator in tests).
//!
//! The modules: the transport seam, secrets that never print, the portal URL, request
//! encoding (form bodies, `f=json`, secrets kept out of URLs, percent-encoded paths),
//! reading answers and errors, the input rules a client enforces before sending, the
//! privilege catalog, the session (password, token or OAuth), and `ops`: every
//! operation and multi-step workflow, each a method of [`Client`]. Beside them, pure
//! rules every front end shares: `dates`, `attention` (badges and concerns) and
//! `inventory` (the export).

pub mod attention;
pub mod client;
pub mod dates;
pub mod error;
pub mod inventory;
pub mod json;
pub mod model;
pub mod oauth;
pub mod ops;
mod paths;
pub mod policy;
pub mod portal;
pub mod privileges;
pub mod request;
mod response;
pub mod rotation;
pub mod secret;
#[cfg(feature = "doctor")]
pub mod transcript;
mod transport;
pub mod validate;

pub use client::{Client, Refresh, Session};
pub use error::{Error, Field, InputError, ServerError};
pub use portal::Portal;
pub use request::ApiRequest;
pub use secret::Secret;
pub use transport::{HttpRequest, HttpResponse, Method, NUMBER_PAIRS, Transport};
