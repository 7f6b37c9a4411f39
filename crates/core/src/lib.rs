//! `arcgis-keys`: the domain of ArcGIS API keys and the sharing REST contract.
//!
//! The core does no IO: it builds requests and reads responses, and every byte goes
//! through a [`Transport`] supplied by the caller (the browser's fetch in
//! `arcgis-keys-web`, the in-process emulator in tests).
//!
//! What is here so far: the transport seam, secrets that never print, the portal URL,
//! request encoding (form bodies, `f=json`, tokens kept out of URLs), the input rules a
//! client enforces before sending, and the privilege catalog. Operations and workflows
//! build on these.

pub mod error;
pub mod portal;
pub mod privileges;
pub mod request;
pub mod secret;
mod transport;
pub mod validate;

pub use error::InputError;
pub use portal::Portal;
pub use request::ApiRequest;
pub use secret::Secret;
pub use transport::{HttpRequest, HttpResponse, Method, Transport};
