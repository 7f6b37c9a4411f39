//! `arcgis-keys`: the domain of ArcGIS API keys and the sharing REST contract.
//!
//! The core does no IO: it builds requests and reads responses, and every byte goes
//! through a [`Transport`] supplied by the caller (the browser's fetch in
//! `arcgis-keys-web`, the in-process emulator in tests).
//!
//! What is here so far: the transport seam, secrets that never print, the portal URL,
//! request encoding (form bodies, `f=json`, tokens kept out of URLs), reading answers
//! and errors, the input rules a client enforces before sending, the privilege catalog,
//! signing in with a password, listing keys (concurrent paging) and reading a
//! credential. The remaining operations and the workflows build on these.

pub mod client;
pub mod error;
pub mod model;
pub mod oauth;
pub mod ops;
pub mod portal;
pub mod privileges;
pub mod request;
mod response;
pub mod secret;
mod transport;
pub mod validate;

pub use client::{Client, Refresh, Session};
pub use error::{Error, InputError, ServerError};
pub use portal::Portal;
pub use request::ApiRequest;
pub use secret::Secret;
pub use transport::{HttpRequest, HttpResponse, Method, Transport};
