//! Saving the state to a JSON file so that a kill -9 at any moment leaves a valid file:
//! each save writes a temporary file beside it, syncs it, and renames it over the old one.
//! A request that changed the state is answered only once a save holding its change has
//! reached the disk ([`durable`]), so no acknowledged write is lost; writes that arrive
//! together share one save.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use tokio::sync::Notify;

use crate::state::State;
use crate::{Shared, StartError};

pub(crate) struct Persist {
    path: PathBuf,
    dirty: AtomicBool,
    wake: Notify,
    /// One save at a time, so an older snapshot never overwrites a newer one.
    writing: tokio::sync::Mutex<()>,
}

impl Persist {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self { path, dirty: AtomicBool::new(false), wake: Notify::new(), writing: tokio::sync::Mutex::new(()) }
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::SeqCst)
    }

    pub(crate) fn mark_dirty(&self) {
        self.dirty.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Saves whenever woken, until the emulator is dropped.
    pub(crate) fn spawn_writer(self: &Arc<Self>, shared: Weak<Shared>) {
        let persist = self.clone();
        tokio::spawn(async move {
            loop {
                persist.wake.notified().await;
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                if let Err(e) = persist.save(&shared).await {
                    eprintln!("arcgis-portal-emulator: cannot save the state file: {e}");
                }
            }
        });
    }

    pub(crate) async fn save(&self, shared: &Shared) -> std::io::Result<()> {
        let _one_at_a_time = self.writing.lock().await;
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return Ok(());
        }
        let bytes = serde_json::to_vec(&*shared.read()).map_err(std::io::Error::other)?;
        let path = self.path.clone();
        let written = tokio::task::spawn_blocking(move || write_atomically(&path, &bytes))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        if written.is_err() {
            self.dirty.store(true, Ordering::SeqCst);
        }
        written
    }
}

/// The intake's innermost layer: a request that changed the state waits for a save that
/// holds its change before its answer leaves. (A save in progress may predate the change:
/// then the change is still dirty, and this save writes it.)
pub(crate) async fn durable(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    if let Some(persist) = shared.persist.as_ref().filter(|p| p.is_dirty())
        && let Err(e) = persist.save(&shared).await
    {
        // The change stands in memory; the background writer tries again.
        eprintln!("arcgis-portal-emulator: cannot save the state file: {e}");
        persist.wake.notify_one();
    }
    response
}

/// `path`'s folder, and the prefix of the temp files saves write beside it
/// (`.{name}.tmp-`, then the writing process's id).
fn temp_prefix(path: &Path) -> (&Path, String) {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    (dir, format!(".{name}.tmp-"))
}

/// Replaces `path` with `bytes` so that readers see the old file or the new, never a mix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (dir, prefix) = temp_prefix(path);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    // Make the rename itself durable.
    std::fs::File::open(dir)?.sync_all()
}

/// Removes temp files earlier runs left beside `path` (killed between create and
/// rename): `.{name}.tmp-{pid}` of a process that is not this one.
fn remove_stale_temps(path: &Path) {
    let (dir, prefix) = temp_prefix(path);
    let mine = format!("{prefix}{}", std::process::id());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix) && file != mine {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The saved state, or `None` when there is no file yet. Stale temp files of earlier
/// runs are removed first.
pub(crate) fn load(path: &Path) -> Result<Option<State>, StartError> {
    remove_stale_temps(path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StartError::StateFile { path: path.to_owned(), source });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| StartError::StateFormat { path: path.to_owned(), reason: e.to_string() })
}
