//! The manager's icons: inline SVG, so a host's Content-Security-Policy needs no image
//! source for them. Each is drawn in its text's colour and hidden from assistive
//! technology: it sits beside words that say the same.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Add,
    Back,
    Check,
    Copy,
    Delete,
    Edit,
    Export,
    Health,
    Invalidate,
    Key,
    /// People: the organization's members.
    Organization,
    Refresh,
    Search,
    SignOut,
    Warning,
}

impl Icon {
    /// The icon's strokes, on a 16 × 16 grid.
    fn strokes(self) -> &'static str {
        match self {
            Icon::Add => "M8 3v10M3 8h10",
            Icon::Back => "M13 8H3M7.5 3.5 3 8l4.5 4.5",
            Icon::Check => "M3 8.5 6.5 12 13 4.5",
            Icon::Copy => "M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3",
            Icon::Delete => "M2.5 4.5h11M6 4.5v-2h4v2M4 4.5l.75 9h6.5l.75-9M6.75 7v4M9.25 7v4",
            Icon::Edit => "M11 2.5 13.5 5 5.5 13H3v-2.5zM9.5 4 12 6.5",
            Icon::Export => "M8 2.5v8M4.5 7 8 10.5 11.5 7M2.5 13.5h11",
            Icon::Health => "M1.5 8.5h3l2-5 3 9 2-4h3",
            Icon::Invalidate => "M8 2.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11zM4.1 4.1l7.8 7.8",
            Icon::Key => "M10.5 2.5a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM8.4 7.6 2.5 13.5M4.5 11.5 6 13M6 10l1.25 1.25",
            Icon::Organization => {
                "M5.5 3a2 2 0 1 1 0 4 2 2 0 0 1 0-4zM1.5 13a4 4 0 0 1 8 0M11 4a1.75 1.75 0 1 1 0 3.5M11.5 9a3.5 3.5 0 0 1 3 4"
            }
            Icon::Refresh => "M13.5 3v3.5H10M2.5 13V9.5H6M12.9 6.5A5 5 0 0 0 3.3 6M3.1 9.5a5 5 0 0 0 9.6.5",
            Icon::Search => "M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM10.25 10.25l3.25 3.25",
            Icon::SignOut => "M6.5 2.5h-4v11h4M10 4.5 13.5 8 10 11.5M13.5 8H6",
            Icon::Warning => "M8 2 1.5 13.5h13zM8 6.5V10M8 12v.01",
        }
    }
}

/// `icon`, to put before a control's or a status's words. One type at every use (an
/// `AnyView`), so that each view holding an icon costs no more code than one child.
pub fn icon(icon: Icon) -> AnyView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
            <path d=icon.strokes() />
        </svg>
    }
    .into_any()
}
