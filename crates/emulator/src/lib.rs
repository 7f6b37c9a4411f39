//! `arcgis-portal-emulator`: a local ArcGIS portal that speaks the sharing REST contract
//! for API keys, so arcgis-keys runs and is tested with no ArcGIS account and no network.
//!
//! It is a second, independent reading of the contract: it shares no types with the
//! client crates. All portal data sits in one [`state::State`] behind one lock; it can be
//! persisted to a JSON file with atomic replaces. With `control` on, `/__emulator/`
//! offers tests fault and latency injection, a request log, a clock and resets.
//!
//! Drive [`Emulator::router`] in-process as a tower service, or [`serve`] it on a socket.

pub mod behaviour;
pub mod control;
pub mod error;
pub mod params;
mod persist;
pub mod privileges;
pub mod query;
mod routes;
pub mod secrets;
pub mod seed;
pub mod state;

use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;

use crate::persist::Persist;
use crate::seed::Seed;
use crate::state::State;

/// How to start an emulator. `Config::default()` is the demo seed, in memory, without
/// the control surface.
#[derive(Clone, Debug)]
pub struct Config {
    pub seed: Seed,
    /// Load from and save to this JSON file; created from the seed when missing.
    pub state_file: Option<PathBuf>,
    /// Serve the test control surface under `/__emulator/`.
    pub control: bool,
    /// The secret every control call must carry (`x-emulator-control`); a random one
    /// when `None`. A web page on another origin can neither learn nor send it.
    pub control_token: Option<String>,
    /// Serve this folder's static files at `/` (the standalone manager).
    pub site_dir: Option<PathBuf>,
    /// Send [`STRICT_SITE_CSP`] with the static files.
    pub strict_csp: bool,
}

/// The Content-Security-Policy the standalone manager is built to run under, the
/// README's word for word (a test holds them equal): no inline script or style,
/// WebAssembly allowed, and requests to this origin (the portal, when the emulator
/// serves the site), ArcGIS Online and the location services the key tester calls.
pub const STRICT_SITE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
base-uri 'none'; connect-src 'self' https://www.arcgis.com https://geocode-api.arcgis.com https://route-api.arcgis.com \
https://basemapstyles-api.arcgis.com https://static-map-tiles-api.arcgis.com https://geoenrich.arcgis.com \
https://elevation-api.arcgis.com https://places-api.arcgis.com";

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: Seed::demo(),
            state_file: None,
            control: false,
            control_token: None,
            site_dir: None,
            strict_csp: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the seed is invalid: {0}")]
    Seed(String),
    #[error("cannot read or write the state file {path}: {source}")]
    StateFile { path: PathBuf, source: std::io::Error },
    #[error("the state file {path} is not a valid emulator state ({reason}); move it away to start from the seed")]
    StateFormat { path: PathBuf, reason: String },
    #[error("a state file needs a Tokio runtime to save in the background; create the emulator inside one")]
    NoRuntime,
}

/// One running portal. Cheap to clone; clones share the portal.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
    site_dir: Option<PathBuf>,
    strict_csp: bool,
}

impl Emulator {
    pub fn new(config: Config) -> Result<Self, StartError> {
        let clock = Clock::default();
        let now = clock.now();
        let seeded = || config.seed.build(now).map_err(StartError::Seed);
        let (state, persist) = match &config.state_file {
            None => (seeded()?, None),
            Some(path) => {
                tokio::runtime::Handle::try_current().map_err(|_| StartError::NoRuntime)?;
                let state = match persist::load(path)? {
                    Some(state) => state,
                    None => {
                        // Written before serving, so the file exists from the first request on.
                        let state = seeded()?;
                        let bytes = serde_json::to_vec(&state).expect("the state serializes");
                        persist::write_atomically(path, &bytes)
                            .map_err(|source| StartError::StateFile { path: path.clone(), source })?;
                        state
                    }
                };
                (state, Some(Arc::new(Persist::new(path.clone()))))
            }
        };
        let shared = Arc::new(Shared {
            state: RwLock::new(state),
            behaviour: RwLock::new(behaviour::Behaviour::default()),
            seed: config.seed,
            clock,
            control: config.control.then(|| control::Control::new(config.control_token.unwrap_or_else(secrets::token))),
            persist,
        });
        if let Some(persist) = &shared.persist {
            persist.spawn_writer(Arc::downgrade(&shared));
        }
        Ok(Self { shared, site_dir: config.site_dir, strict_csp: config.strict_csp })
    }

    /// The whole HTTP surface: `/sharing/rest`, the location services, `/__emulator`
    /// when enabled, and the static site.
    pub fn router(&self) -> Router {
        let csp = self.strict_csp.then_some(STRICT_SITE_CSP);
        routes::router(self.shared.clone(), self.site_dir.as_deref().map(|dir| (dir, csp)))
    }

    /// Writes pending changes to the state file now (a no-op in memory).
    pub async fn flush(&self) -> std::io::Result<()> {
        self.shared.save().await
    }

    /// Reads the portal's state, for tests and diagnostics.
    pub fn inspect<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.shared.read())
    }

    /// The secret control calls carry, when the control surface is on.
    pub fn control_token(&self) -> Option<&str> {
        self.shared.control.as_ref().map(control::Control::token)
    }

    /// The emulator's clock in epoch milliseconds (moves with `/__emulator/clock`).
    pub fn now(&self) -> i64 {
        self.shared.clock.now()
    }
}

/// Serves `emulator` on `listener` until `shutdown` resolves, then saves the state.
pub async fn serve(
    listener: tokio::net::TcpListener,
    emulator: Emulator,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = emulator.router().into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    emulator.flush().await
}

/// Wall-clock time plus an offset that tests can push forward to expire things.
#[derive(Default)]
struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    fn now(&self) -> i64 {
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        wall.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }
}

/// What every handler shares: the state behind its one lock, and the harness around it.
/// Reads share the lock, as a real portal answers searches in parallel; writes take it
/// alone.
pub(crate) struct Shared {
    state: RwLock<State>,
    /// The readings of the contract's open points (changed only by the control surface).
    behaviour: RwLock<behaviour::Behaviour>,
    seed: Seed,
    clock: Clock,
    control: Option<control::Control>,
    persist: Option<Arc<Persist>>,
}

impl Shared {
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The readings of the open points in force now.
    pub(crate) fn behaviour(&self) -> behaviour::Behaviour {
        self.behaviour.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub(crate) fn set_behaviour(&self, behaviour: behaviour::Behaviour) {
        *self.behaviour.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = behaviour;
    }

    /// Reads the state. Never hold it across an `.await`.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Changes the state; the change is saved to the state file once the guard drops.
    pub(crate) fn write(&self) -> StateWrite<'_> {
        let guard = self.state.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        StateWrite { guard, persist: self.persist.as_deref() }
    }

    pub(crate) async fn save(&self) -> std::io::Result<()> {
        match &self.persist {
            Some(persist) => persist.save(self).await,
            None => Ok(()),
        }
    }
}

/// A write lock on the state that schedules a save when released.
pub(crate) struct StateWrite<'a> {
    guard: RwLockWriteGuard<'a, State>,
    persist: Option<&'a Persist>,
}

impl Deref for StateWrite<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.guard
    }
}

impl DerefMut for StateWrite<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.guard
    }
}

impl Drop for StateWrite<'_> {
    fn drop(&mut self) {
        if let Some(persist) = self.persist {
            persist.mark_dirty();
        }
    }
}
