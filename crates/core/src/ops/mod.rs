//! The operations, one module per area, each with its own tests.

pub mod browse;
pub mod create;
pub mod credentials;
#[cfg(feature = "doctor")]
pub mod doctor;
pub mod keys;
pub mod legacy;
pub mod list;
pub mod org;
pub mod rotation;
pub mod test_key;
pub mod update;
pub mod usage;
