//! The core client against the emulator, in-process. One test binary, a module per area.

mod api_key;
mod concurrency;
mod create;
mod doctor;
mod errors;
mod fuzz;
mod list;
mod manage;
mod matrix;
mod oauth;
mod org;
mod rotation;
mod support;
