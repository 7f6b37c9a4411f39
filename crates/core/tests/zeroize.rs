//! A dropped [`Secret`] leaves none of its bytes in freed memory: an allocator that
//! looks at every block as it is freed finds none holding the secret. The one place in
//! the workspace that allows `unsafe`: a global allocator cannot be written without it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use arcgis_keys::Secret;

/// What the watching allocator looks for in freed blocks.
const MARKER: &[u8] = b"AAPTzeroizeMe0123456789abcdefghijklmnopqrstuvwxyz";

struct Watching;

static WATCHING: AtomicBool = AtomicBool::new(false);
static FREED_WITH_MARKER: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call goes to `System`; `dealloc` only reads the block it is handed,
// which stays allocated until `System.dealloc` returns.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCHING.load(Ordering::SeqCst) {
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(MARKER.len()).any(|w| w == MARKER) {
                FREED_WITH_MARKER.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

fn marker() -> String {
    String::from_utf8_lossy(MARKER).into_owned()
}

#[test]
fn dropped_secrets_leave_nothing_in_freed_memory() {
    let plain = marker();
    let secret = Secret::new(marker());
    let copy = secret.clone();
    let pasted = Secret::new(format!("  {}\n", marker())).trimmed();
    assert_eq!(pasted.expose(), copy.expose());

    WATCHING.store(true, Ordering::SeqCst);
    drop(plain);
    let after_plain = FREED_WITH_MARKER.load(Ordering::SeqCst);
    drop(secret);
    drop(copy);
    drop(pasted);
    WATCHING.store(false, Ordering::SeqCst);

    assert_eq!(after_plain, 1, "the allocator sees a plain string's bytes as it is freed");
    assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), 1, "no secret's block still held its bytes");
}
