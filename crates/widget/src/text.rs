//! Every word the manager shows, in one place. A translation is one more value of
//! [`Text`], given to the manager as [`KeyManagerOptions::text`](crate::KeyManagerOptions);
//! [`ENGLISH`] ships and is the default. Every part is `Copy`, so a translation can
//! start from English and replace a part at a time:
//!
//! ```
//! use arcgis_keys_widget::text::{ENGLISH, ListText, Text};
//! static BRITISH: Text = Text { list: ListText { heading: "API keys (UK)", ..ENGLISH.list }, ..ENGLISH };
//! assert_eq!(BRITISH.list.show_more, "Show more");
//! ```
//!
//! Words that hold a number or a name are functions, so each language can order and
//! inflect them its own way. The core's own words reach the screen through this module
//! too: privilege and category labels through [`Text::privilege`] and
//! [`Text::category`]. What the core writes itself stays English: input rules (shown
//! beside a field) and error messages, which the npm API shares. The inventory export is
//! a data format and is not translated.

use arcgis_keys::Error;
use arcgis_keys::attention::Badge;
use arcgis_keys::privileges::{self, Category, Privilege};

/// The words of every screen.
#[derive(Clone, Copy)]
pub struct Text {
    pub common: CommonText,
    pub shell: ShellText,
    pub next_step: NextStepText,
    pub sign_in: SignInText,
    pub list: ListText,
    pub badges: BadgeText,
    pub fields: FieldText,
    pub create: CreateText,
    pub reveal: RevealText,
    pub detail: DetailText,
    pub rotation: RotationText,
    pub tester: TesterText,
    pub usage: UsageText,
    pub health: HealthText,
    pub retire: RetireText,
    pub org: OrgText,
    /// A privilege's label and description; English is the core's catalog.
    pub privilege: fn(&'static Privilege) -> (&'static str, &'static str),
    /// A privilege category's label.
    pub category: fn(Category) -> &'static str,
}

impl Text {
    /// The label of privilege `id`; the id itself when it is not in the catalog.
    pub fn privilege_label(&self, id: &str) -> String {
        privileges::lookup(id).map_or_else(|| id.to_owned(), |p| (self.privilege)(p).0.to_owned())
    }

    /// What `error` asks the user to do. `signed_in`: the portal has answered this
    /// session, so a failed connection is the network's, not a wrong address typed.
    pub fn next_step(&self, error: &Error, signed_in: bool) -> &'static str {
        let steps = &self.next_step;
        match error {
            Error::SignInRequired(_) => steps.sign_in_again,
            Error::Portal(_) => steps.check_input,
            Error::SignIn(_) => steps.check_account,
            Error::SignInCancelled(_) => steps.when_ready,
            Error::Input(_) => steps.correct_it,
            Error::Transport(_) if signed_in => steps.connection_dropped,
            Error::Transport(_) => steps.check_connection,
            Error::Http { .. } | Error::Malformed(_) => steps.try_later,
        }
    }

    /// An error as the user reads it: what happened (`what`), then what to do next.
    pub fn explain(&self, error: &Error, what: &dyn std::fmt::Display, signed_in: bool) -> String {
        format!("{what} {}", self.next_step(error, signed_in))
    }
}

/// Words more than one screen uses: field names the tutorial's steps share.
#[derive(Clone, Copy)]
pub struct CommonText {
    pub all_keys: &'static str,
    pub back: &'static str,
    pub next: &'static str,
    pub cancel: &'static str,
    pub loading: &'static str,
    pub none: &'static str,
    pub title: &'static str,
    pub tags: &'static str,
    pub description: &'static str,
    pub expiration_date: &'static str,
    pub referrers: &'static str,
    pub privileges: &'static str,
    pub item_access: &'static str,
    pub folder: &'static str,
    pub my_content: &'static str,
    pub generate_api_key: &'static str,
    pub delete: &'static str,
    /// "Key 1": a key slot.
    pub key_n: fn(u8) -> String,
    /// "Key 1 of Maps": the key a reveal shows.
    pub key_n_of: fn(u8, &str) -> String,
}

/// The bar over every screen and the dialog that renews a session.
#[derive(Clone, Copy)]
pub struct ShellText {
    /// Before the username.
    pub signed_in_as: &'static str,
    /// Between the username and the portal.
    pub on_portal: &'static str,
    pub sign_out: &'static str,
    pub sign_in_again: &'static str,
    pub session_ended: &'static str,
    /// The offer after a refusal to an OAuth session, and its button.
    pub password_offer: &'static str,
    pub password_sign_in: &'static str,
}

/// What each kind of error asks the user to do.
#[derive(Clone, Copy)]
pub struct NextStepText {
    pub sign_in_again: &'static str,
    pub check_input: &'static str,
    pub check_account: &'static str,
    /// The user stopped a sign-in: nothing to fix.
    pub when_ready: &'static str,
    pub correct_it: &'static str,
    pub check_connection: &'static str,
    /// A request that failed on the way while signed in: nothing for the user to fix.
    pub connection_dropped: &'static str,
    pub try_later: &'static str,
    /// A refusal (403) while signed in with ArcGIS (OAuth): some portals manage API keys
    /// only for a username and password sign-in.
    pub use_password_sign_in: &'static str,
}

#[derive(Clone, Copy)]
pub struct SignInText {
    pub heading: &'static str,
    pub intro: &'static str,
    pub portal: &'static str,
    pub portal_hint: &'static str,
    pub method: &'static str,
    pub method_arcgis: &'static str,
    pub method_password: &'static str,
    pub method_token: &'static str,
    pub client_id: &'static str,
    pub client_id_hint: &'static str,
    pub popup: &'static str,
    pub stay_signed_in: &'static str,
    pub stay_signed_in_hint: &'static str,
    /// While a session kept in the tab is checked with the portal.
    pub resuming: &'static str,
    /// The kept session was refused on resuming it.
    pub kept_session_ended: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub token: &'static str,
    pub token_hint: &'static str,
    pub signing_in: &'static str,
    pub sign_in_arcgis: &'static str,
    pub sign_in: &'static str,
}

#[derive(Clone, Copy)]
pub struct ListText {
    pub heading: &'static str,
    pub key_health: &'static str,
    pub create: &'static str,
    pub try_again: &'static str,
    /// The progress bar's name.
    pub loading: &'static str,
    /// Beside the progress bar.
    pub loading_text: &'static str,
    /// After the count while only the first page is in.
    pub reading_rest: &'static str,
    pub empty_heading: &'static str,
    pub empty_intro: &'static str,
    pub create_first: &'static str,
    pub search: &'static str,
    pub filter: &'static str,
    pub filter_all: &'static str,
    pub filter_attention: &'static str,
    pub filter_credentials: &'static str,
    pub filter_legacy: &'static str,
    pub sort: &'static str,
    pub sort_modified: &'static str,
    pub sort_title: &'static str,
    pub sort_expiry: &'static str,
    pub sort_created: &'static str,
    /// "12 of 40 keys".
    pub count: fn(usize, usize) -> String,
    pub column_attention: &'static str,
    pub column_modified: &'static str,
    pub show_more: &'static str,
    pub rotations_heading: &'static str,
    pub rotations_intro: &'static str,
    pub finish_rotation: &'static str,
    /// The finish button's accessible name, with the key's title.
    pub finish_rotation_of: fn(&str) -> String,
    pub legacy_key: &'static str,
    pub no_key: &'static str,
    /// A slot's key and its date: "Expires 2026-12-22".
    pub expires_on: fn(&str) -> String,
    pub expired_on: fn(&str) -> String,
}

/// The badges of what needs attention, and the privileges summary beside them.
#[derive(Clone, Copy)]
pub struct BadgeText {
    pub retired: &'static str,
    pub expired: &'static str,
    pub expires_soon: &'static str,
    pub no_key: &'static str,
    pub no_referrer_restriction: &'static str,
    pub personal_privileges: &'static str,
    /// Privileges outside the catalog.
    pub other_privileges: &'static str,
    /// "2 items" of item access.
    pub items: fn(usize) -> String,
}

/// The fields creating and editing share.
#[derive(Clone, Copy)]
pub struct FieldText {
    pub choose_date: &'static str,
    pub expiration_hint: &'static str,
    /// The group of lifetime presets beside a date field.
    pub expiration_presets: &'static str,
    /// One preset: "30 days".
    pub preset_days: fn(i64) -> String,
    /// Under the field: "Expires on 2027-03-01." in the format used everywhere.
    pub expires_on: fn(&str) -> String,
    /// Before the core's referrer rule.
    pub referrers_hint: &'static str,
    /// After the description of a privilege that acts as its owner.
    pub acts_as_you: &'static str,
    /// The group of privileges the user holds that the catalog does not name.
    pub other_privileges: &'static str,
    pub search_privileges: &'static str,
    pub privileges_chosen: fn(usize) -> String,
    pub item_access_hint: &'static str,
    /// "3 of 100 items chosen".
    pub items_chosen: fn(usize, usize) -> String,
    pub loading_items: &'static str,
    pub no_items: &'static str,
    pub show_more_items: &'static str,
    pub search_items: &'static str,
    pub search: &'static str,
    pub no_items_found: &'static str,
    /// The chosen items' list, each with a way to remove it (named by the item's title).
    pub chosen_items: &'static str,
    pub remove: &'static str,
    pub remove_item: fn(&str) -> String,
    /// Said when 100 items are chosen, the most a credential may access.
    pub items_full: &'static str,
}

#[derive(Clone, Copy)]
pub struct CreateText {
    pub heading: &'static str,
    pub steps: &'static str,
    pub step_expiration: &'static str,
    pub step_details: &'static str,
    pub step_summary: &'static str,
    /// "Step 2 of 6: Referrers".
    pub step_of: fn(usize, usize, &str) -> String,
    pub expiration_intro: &'static str,
    pub new_folder: &'static str,
    pub new_folder_name: &'static str,
    pub name_new_folder: &'static str,
    pub tags_hint: &'static str,
    /// The summary's folder when it is new: "Maps (new)".
    pub folder_new: fn(&str) -> String,
    pub any_site: &'static str,
    pub acknowledge_personal: &'static str,
    /// Under the privilege picker, and its button: a credential may grant items alone.
    pub items_only_hint: &'static str,
    pub items_only: &'static str,
    /// A summary row's link back to its step, by the step's name.
    pub change_step: fn(&str) -> String,
    pub generating: &'static str,
    /// "Maps is ready".
    pub ready: fn(&str) -> String,
    pub created_without_key: &'static str,
    pub open_credential: &'static str,
}

/// Showing a new key once.
#[derive(Clone, Copy)]
pub struct RevealText {
    pub heading: &'static str,
    /// Which key it is and until when: "Key 1 of Maps, valid until 2026-12-22."
    pub which: fn(&str, Option<&str>) -> String,
    pub copy_now: &'static str,
    pub key: &'static str,
    pub copy: &'static str,
    /// The Copy button once it has copied.
    pub copied_button: &'static str,
    pub done: &'static str,
    pub copied: &'static str,
    pub copy_refused: &'static str,
    /// The dialog before Done when the key was not copied.
    pub leave_heading: &'static str,
    pub leave_uncopied: &'static str,
    pub leave_action: &'static str,
}

#[derive(Clone, Copy)]
pub struct DetailText {
    pub loading: &'static str,
    /// What a retired legacy key's page says first.
    pub legacy_retired: &'static str,
    pub legacy_intro: &'static str,
    /// The overview's heading over the slot cards.
    pub keys: &'static str,
    pub no_key: &'static str,
    pub active_until: fn(&str) -> String,
    /// When arcgis-keys made the live key (its record on the credential).
    pub made_on: fn(&str) -> String,
    pub expired_on: fn(&str) -> String,
    pub pill_empty: &'static str,
    pub pill_active: &'static str,
    pub pill_expired: &'static str,
    pub regenerate: &'static str,
    pub invalidate: &'static str,
    /// The dialogs that replace or stop a live key: by key number, and the credential's title.
    pub regenerate_heading: fn(u8) -> String,
    pub regenerate_action: fn(u8) -> String,
    pub regenerate_stops: fn(u8, &str) -> String,
    pub new_key_expiration: &'static str,
    pub invalidate_heading: fn(u8) -> String,
    pub invalidate_action: fn(u8) -> String,
    pub invalidate_stops: fn(u8, &str) -> String,
    /// When usage last saw the credential's keys used (a date), or that it did not.
    pub last_used: fn(&str) -> String,
    pub not_used_recently: &'static str,
    pub settings: &'static str,
    pub item_id: &'static str,
    /// The app's client id (public; its secret never shows).
    pub client_id: &'static str,
    pub owner: &'static str,
    pub any_site: &'static str,
    pub created: &'static str,
    pub modified: &'static str,
    pub edit_settings: &'static str,
    pub keys_stop_warning: &'static str,
    /// The dialog before an edit that stops the keys: the live ones by slot number, the title.
    pub edit_stops_heading: &'static str,
    pub edit_stops: fn(&[u8], &str) -> String,
    pub edit_stops_action: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    /// Saved, and the portal stopped these keys (by slot number).
    pub saved_keys_stopped: fn(&[u8]) -> String,
    /// The delete field's label, with the title to type.
    pub type_to_confirm: fn(&str) -> String,
    /// The notices after an action: a key invalidated (number, title), a credential deleted.
    pub invalidated: fn(u8, &str) -> String,
    pub deleted: fn(&str) -> String,
    /// What deleting stops: the live keys by slot number.
    pub delete_stops: fn(&[u8]) -> String,
    pub type_exactly: &'static str,
}

/// The Organization view: every member's keys, for an administrator, and the policy.
#[derive(Clone, Copy)]
pub struct OrgText {
    pub heading: &'static str,
    /// The list's button that opens the view.
    pub open: &'static str,
    /// Back to the signed-in user's own keys.
    pub my_keys: &'static str,
    pub health: &'static str,
    /// Back to the view from a key's page or the organization's health.
    pub back: &'static str,
    pub not_admin: &'static str,
    pub owner: &'static str,
    pub every_owner: &'static str,
    pub filter_policy: &'static str,
    pub column_policy: &'static str,
    pub within_policy: &'static str,
    /// After a row's findings while its app, which the referrer and personal rules need, is read.
    pub checking: &'static str,
    pub policy_heading: &'static str,
    pub policy_intro: &'static str,
    pub expiring_days: &'static str,
    pub max_lifetime_days: &'static str,
    pub require_referrers: &'static str,
    pub no_personal: &'static str,
    pub slot_gap_days: &'static str,
    pub remember: &'static str,
    pub remember_hint: &'static str,
    /// A days field that is not a number of days.
    pub days_rule: &'static str,
    /// In a confirmation about a member's key.
    pub belongs_to: fn(&str) -> String,
    /// A key and its owner, where the organization's keys are listed together.
    pub owned_by: fn(&str, &str) -> String,
}

/// Replacing retired legacy keys with API key credentials.
#[derive(Clone, Copy)]
pub struct RetireText {
    pub replace_one: &'static str,
    pub replace_all: &'static str,
    /// The create wizard's notice: the legacy key's title.
    pub replacing: fn(&str) -> String,
    pub copied_over: &'static str,
    /// "portal:apikey:basemaps → Basemap styles service".
    pub mapped: fn(&str, &str) -> String,
    pub mapped_heading: &'static str,
    pub unmapped_heading: &'static str,
    pub unmapped_hint: &'static str,
    /// On the new credential's page: the retired key's title.
    pub replaces: fn(&str) -> String,
    pub delete_when_deployed: &'static str,
    /// The delete button: the retired key's title.
    pub delete_retired: fn(&str) -> String,
    pub delete_retired_heading: fn(&str) -> String,
    pub delete_retired_stops: &'static str,
    pub retired_deleted: &'static str,
    pub all_heading: &'static str,
    pub all_intro: &'static str,
    pub reading: &'static str,
    pub none_left: &'static str,
    pub expiration_for_all: &'static str,
    /// The run button: how many keys.
    pub run: fn(usize) -> String,
    /// Progress: done, total.
    pub progress: fn(usize, usize) -> String,
    pub results_caption: &'static str,
    pub column_key: &'static str,
    pub column_result: &'static str,
    pub column_privileges: &'static str,
    pub waiting: &'static str,
    pub replaced: &'static str,
    /// A scope had no equivalent: the scopes.
    pub needs_choice: fn(&str) -> String,
    /// The failure, with the reason; the retired item is untouched.
    pub failed: fn(&str) -> String,
    pub choose: &'static str,
    pub keys_heading: &'static str,
    /// What a replacement key is called: the credential's title.
    pub new_key_of: fn(&str) -> String,
}

#[derive(Clone, Copy)]
pub struct RotationText {
    pub heading: &'static str,
    pub intro: &'static str,
    pub start: &'static str,
    pub nothing_to_rotate: &'static str,
    pub both_slots_full: &'static str,
    /// What the reveal calls the new key: its slot and the credential's title.
    pub new_key_of: fn(u8, &str) -> String,
    /// Since when, the new slot, the old slot.
    pub in_progress: fn(&str, u8, u8) -> String,
    pub every_app_uses: fn(u8) -> String,
    pub confirm_deployed_first: fn(u8) -> String,
    pub invalidate_and_finish: fn(u8) -> String,
    pub stop_tracking: &'static str,
    /// The old slot, the new slot.
    pub finished: fn(u8, u8) -> String,
}

#[derive(Clone, Copy)]
pub struct TesterText {
    pub heading: &'static str,
    pub nothing_to_test: &'static str,
    pub key: &'static str,
    pub key_just_generated: &'static str,
    pub key_to_paste: &'static str,
    pub paste_first: &'static str,
    pub privilege: &'static str,
    pub services: &'static str,
    pub services_default: &'static str,
    /// The hint under the services field, with this page's origin.
    pub services_hint: fn(&str) -> String,
    pub test: &'static str,
    pub accepted: &'static str,
    /// The HTTP code, the service's message, and what to do.
    /// The service refused the test request itself: its code and message.
    pub inconclusive: fn(u16, &str) -> String,
    /// The service's host could not be reached (blocked by this page, or the network).
    pub unreachable: fn(&str) -> String,
    pub rejected: fn(u16, &str, &str) -> String,
    pub invalid_key: &'static str,
    pub forbidden: &'static str,
    /// A 403 when this page's address is not among the key's referrers.
    pub forbidden_here: &'static str,
    /// Shown before testing: this page's origin is not among the key's referrers.
    pub page_not_a_referrer: fn(&str) -> String,
    pub show_key: &'static str,
    pub check_settings: &'static str,
}

#[derive(Clone, Copy)]
pub struct UsageText {
    pub heading: &'static str,
    pub refresh: &'static str,
    pub reading: &'static str,
    /// The portal refused usage (403): it shows usage to administrators only.
    pub needs_administrator: &'static str,
    /// The first and last day.
    pub caption: fn(&str, &str) -> String,
    pub no_requests_any_day: &'static str,
    /// The days with requests, joined [`UsageText::day`]s.
    pub by_day: fn(&str) -> String,
    /// One day's requests: "2026-11-20: 3".
    pub day: fn(&str, u64) -> String,
    pub total: fn(u64) -> String,
    pub by_operation: &'static str,
    /// Service type, event type, count.
    pub operation: fn(&str, &str, u64) -> String,
}

/// The words of each concern: its heading, the advice, and the action that settles it.
#[derive(Clone, Copy)]
pub struct ConcernText {
    pub heading: &'static str,
    pub advice: &'static str,
    pub action: &'static str,
}

#[derive(Clone, Copy)]
pub struct HealthText {
    pub heading: &'static str,
    pub export_csv: &'static str,
    pub export_json: &'static str,
    pub download_refused: &'static str,
    pub reading: &'static str,
    /// "Read the settings of 3 of 40 keys…".
    pub read_progress: fn(usize, usize) -> String,
    pub all_good: fn(usize) -> String,
    /// Keys, kinds of issue.
    pub needing_attention: fn(usize, usize) -> String,
    /// A concern's heading and how many keys it holds.
    pub concern_count: fn(&str, usize) -> String,
    /// An action's accessible name: the action and the key's title.
    pub action_on: fn(&str, &str) -> String,
    pub retired: ConcernText,
    pub expired: ConcernText,
    pub within_week: ConcernText,
    pub within_month: ConcernText,
    pub no_key: ConcernText,
    pub no_referrer_restriction: ConcernText,
    pub personal_privileges: ConcernText,
    pub unused: ConcernText,
    pub timeline_caption: &'static str,
    pub timeline_expired: &'static str,
    /// The timeline's counts as text: the expired slots, then each month's (joined
    /// [`HealthText::timeline_month`]s).
    pub timeline_counts: fn(u64, &str) -> String,
    /// One month of the timeline's text: the month (`2026-11`) and its count.
    pub timeline_month: fn(&str, u64) -> String,
}

/// "1 thing" or "2 things".
fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// "key 1", "key 1 and key 2": slots by number, in English; `None` for none.
fn keys_words(slots: &[u8]) -> Option<String> {
    (!slots.is_empty()).then(|| slots.iter().map(|n| format!("key {n}")).collect::<Vec<_>>().join(" and "))
}

pub static ENGLISH: Text = Text {
    common: CommonText {
        all_keys: "All keys",
        back: "Back",
        next: "Next",
        cancel: "Cancel",
        loading: "Loading…",
        none: "None",
        title: "Title",
        tags: "Tags",
        description: "Description",
        expiration_date: "Expiration date",
        referrers: "Referrers",
        privileges: "Privileges",
        item_access: "Item access",
        folder: "Folder",
        my_content: "My content",
        generate_api_key: "Generate API key",
        delete: "Delete",
        key_n: |n| format!("Key {n}"),
        key_n_of: |n, title| format!("Key {n} of {title}"),
    },
    shell: ShellText {
        signed_in_as: "Signed in as ",
        on_portal: " on ",
        sign_out: "Sign out",
        sign_in_again: "Sign in again",
        session_ended: "Your session has ended. Sign in to carry on; the screen behind keeps what you entered.",
        password_offer: "This portal refused an API key change for the ArcGIS (OAuth) sign-in.",
        password_sign_in: "Sign in with username and password",
    },
    next_step: NextStepText {
        sign_in_again: "Sign in again; what you entered is kept. Then try again.",
        check_input: "Check what you entered, then try again.",
        check_account: "Check the portal address and your account, then try again.",
        when_ready: "Nothing changed; sign in when you are ready.",
        correct_it: "Correct it, then try again.",
        check_connection: "Check your connection and the portal address, then try again.",
        connection_dropped: "The connection to the portal was lost on the way; try again. Nothing you typed is lost.",
        try_later: "The portal may be busy; try again in a moment.",
        use_password_sign_in: "If you are allowed to do this, this portal may manage API keys only for a username and \
            password sign-in: sign in with your username and password, and what you entered is kept.",
    },
    sign_in: SignInText {
        heading: "ArcGIS API key manager",
        intro: "Create, rotate and retire the API keys of your ArcGIS portal.",
        portal: "Portal URL",
        portal_hint: "For example https://www.arcgis.com or https://yourorg.maps.arcgis.com",
        method: "Sign in with",
        method_arcgis: "ArcGIS (OAuth)",
        method_password: "Username and password",
        method_token: "A token",
        client_id: "App client ID",
        client_id_hint: "The client ID of an OAuth app registered on the portal with this page as its redirect URL.",
        popup: "Sign in in a popup window",
        stay_signed_in: "Stay signed in in this tab",
        stay_signed_in_hint: "Keeps your session in this tab's session storage, so a reload does not sign you out, \
            until you sign out or close the tab. Leave it off on a shared computer.",
        resuming: "Signing you back in…",
        kept_session_ended: "The session this tab kept has ended at the portal. Sign in again.",
        username: "Username",
        password: "Password",
        token: "Token",
        token_hint: "A token from this portal; it stays in this page only, unless you choose to stay signed in.",
        signing_in: "Signing in…",
        sign_in_arcgis: "Sign in with ArcGIS",
        sign_in: "Sign in",
    },
    list: ListText {
        heading: "API keys",
        key_health: "Key health",
        create: "Create API key",
        try_again: "Try again",
        loading: "Loading keys",
        loading_text: "Loading keys…",
        reading_rest: " Reading the rest…",
        empty_heading: "No API keys yet",
        empty_intro: "An API key lets your app use location services and content. Create your first one in a few steps.",
        create_first: "Create your first API key",
        search: "Search keys",
        filter: "Show",
        filter_all: "All keys",
        filter_attention: "Needing attention",
        filter_credentials: "API key credentials",
        filter_legacy: "Legacy API keys",
        sort: "Sort by",
        sort_modified: "Last modified",
        sort_title: "Title",
        sort_expiry: "Next expiry",
        sort_created: "Newest",
        count: |shown, total| format!("{shown} of {total} keys"),
        column_attention: "Attention",
        column_modified: "Modified",
        show_more: "Show more",
        rotations_heading: "Rotations to finish",
        rotations_intro: "New keys were generated; invalidate the old ones once every app uses the new.",
        finish_rotation: "Finish rotation",
        finish_rotation_of: |title| format!("Finish rotation: {title}"),
        legacy_key: "Legacy key",
        no_key: "No key",
        expires_on: |date| format!("Expires {date}"),
        expired_on: |date| format!("Expired {date}"),
    },
    badges: BadgeText {
        retired: Badge::Retired.word(),
        expired: Badge::Expired.word(),
        expires_soon: Badge::ExpiresSoon.word(),
        no_key: Badge::NoKey.word(),
        no_referrer_restriction: Badge::NoReferrerRestriction.word(),
        personal_privileges: Badge::PersonalPrivileges.word(),
        other_privileges: "Other",
        items: |n| count(n as u64, "item", "items"),
    },
    fields: FieldText {
        choose_date: "Choose a date.",
        expiration_presets: "Lifetime",
        preset_days: |days| if days == 365 { "1 year".to_owned() } else { format!("{days} days") },
        expires_on: |date| format!("Expires at the end of {date} (UTC)."),
        expiration_hint: "At most one year from today. The key works until the end of that day (UTC).",
        referrers_hint: "The web addresses allowed to use the key, one per line; leave empty to allow any. ",
        acts_as_you: " Acts as you.",
        other_privileges: "Also held by your account",
        search_privileges: "Search privileges",
        privileges_chosen: |n| format!("{} chosen", count(n as u64, "privilege", "privileges")),
        item_access_hint: "Optional: items of yours the key may read, at most 100, for example a private feature layer.",
        items_chosen: |n, max| format!("{n} of {max} items chosen"),
        loading_items: "Loading items…",
        no_items: "No items in this folder.",
        show_more_items: "Show more items",
        search_items: "Search your items",
        search: "Search",
        no_items_found: "None of your items matches these words.",
        chosen_items: "Chosen items",
        remove: "Remove",
        remove_item: |title| format!("Remove {title}"),
        items_full: "100 items are chosen, the most a credential may access: remove one to choose another.",
    },
    create: CreateText {
        heading: "Create API key credentials",
        steps: "Steps",
        step_expiration: "Expiration",
        step_details: "Details",
        step_summary: "Summary",
        step_of: |n, of, step| format!("Step {n} of {of}: {step}"),
        expiration_intro: "Keys last at most a year. You can generate a second key later to rotate without downtime.",
        new_folder: "New folder…",
        new_folder_name: "New folder name",
        name_new_folder: "Name the new folder.",
        tags_hint: "Separate tags with commas.",
        folder_new: |name| format!("{name} (new)"),
        any_site: "Any site may use the key",
        acknowledge_personal: "I understand that personal privileges let anyone holding this key act as me.",
        items_only_hint: "A key needs at least one privilege, or access to at least one item (the next step).",
        items_only: "No privileges: choose items only",
        change_step: |step| format!("Change {}", step.to_lowercase()),
        generating: "Generating…",
        ready: |title| format!("{title} is ready"),
        created_without_key: "Created, without a key",
        open_credential: "Open the credential",
    },
    reveal: RevealText {
        heading: "Your new API key",
        which: |what, until| match until {
            Some(date) => format!("{what}, valid until {date}. "),
            None => format!("{what}. "),
        },
        copy_now: "Copy it now: it is shown only this once.",
        key: "API key",
        copy: "Copy",
        copied_button: "Copied",
        done: "Done",
        copied: "Copied to the clipboard.",
        copy_refused: "The browser did not allow copying: select the key and copy it yourself.",
        leave_heading: "Leave without copying the key?",
        leave_uncopied: "You have not copied the API key, and it cannot be shown again. An app can only get it now.",
        leave_action: "Leave without copying",
    },
    detail: DetailText {
        loading: "Loading the key",
        legacy_retired: "Retired: this legacy API key stopped working on 2026-06-27.",
        legacy_intro: "Legacy API keys could not be changed after June 2024 and were revoked on 2026-06-27: \
            apps that still use this key get an invalid-token error. Create an API key credential with the \
            privileges and referrers below, move your apps to its key, then delete this item.",
        keys: "Keys",
        no_key: "No key",
        active_until: |date| format!("Active, expires {date}"),
        made_on: |date| format!("Made {date} with arcgis-keys"),
        expired_on: |date| format!("Expired {date}"),
        pill_empty: "Empty",
        pill_active: "Active",
        pill_expired: "Expired",
        regenerate: "Regenerate",
        invalidate: "Invalidate",
        regenerate_heading: |n| format!("Regenerate key {n}?"),
        regenerate_action: |n| format!("Regenerate key {n}"),
        regenerate_stops: |n, title| {
            format!(
                "Key {n} of “{title}” stops working as soon as the new key is made: every app using it needs the new key."
            )
        },
        new_key_expiration: "New key valid until",
        invalidate_heading: |n| format!("Invalidate key {n}?"),
        invalidate_action: |n| format!("Invalidate key {n}"),
        invalidate_stops: |n, title| {
            format!("Key {n} of “{title}” stops working at once, for every app that uses it. This cannot be undone.")
        },
        last_used: |date| format!("The credential's keys were last used on {date} (usage does not say which key)."),
        not_used_recently: "The credential's keys have not been used in the last 30 days.",
        settings: "Settings",
        item_id: "Item id",
        client_id: "Client ID",
        owner: "Owner",
        any_site: "Any site may use the keys",
        created: "Created",
        modified: "Modified",
        edit_settings: "Edit settings",
        keys_stop_warning: "Changing privileges or item access stops both keys at once. Generate new keys afterwards.",
        edit_stops_heading: "Save and stop the keys?",
        edit_stops: |live, title| match keys_words(live) {
            Some(keys) => format!(
                "Saving changes the privileges or item access, so the portal stops {keys} of “{title}” at once. \
                 Generate new keys afterwards."
            ),
            None => {
                format!("“{title}” holds no working key, so nothing stops now; keys made later get the new privileges.")
            }
        },
        edit_stops_action: "Save and stop the keys",
        save: "Save changes",
        saved: "Saved.",
        saved_keys_stopped: |slots| {
            format!(
                "Saved. The portal stopped {}: generate new keys for your apps.",
                keys_words(slots).unwrap_or_default()
            )
        },
        type_to_confirm: |title| format!("Type “{title}” to confirm"),
        invalidated: |n, title| format!("Key {n} of “{title}” is invalidated: it no longer works."),
        deleted: |title| format!("“{title}” is deleted."),
        delete_stops: |live| match keys_words(live) {
            Some(keys) => format!("Deleting removes the item and stops {keys} at once. It cannot be undone."),
            None => "Deleting removes the item; it holds no working key. It cannot be undone.".into(),
        },
        type_exactly: "Type the title exactly to confirm.",
    },
    rotation: RotationText {
        heading: "Rotate without downtime",
        intro: "Generate a new key in the free slot, deploy it, then invalidate the old key. Apps keep working throughout.",
        start: "Start rotation",
        nothing_to_rotate: "There is no key to rotate yet: generate one below.",
        both_slots_full: "Both slots hold keys. Invalidate the one no app uses any more, then rotate.",
        new_key_of: |n, title| format!("The new key {n} of {title}: deploy it, then come back to finish the rotation"),
        in_progress: |since, new, old| {
            format!(
                "Rotation in progress since {since}: key {new} is the new key. Put it in every app that uses key {old}, then invalidate key {old}."
            )
        },
        every_app_uses: |n| format!("Every app uses key {n} now"),
        confirm_deployed_first: |n| format!("Confirm that every app uses key {n} first."),
        invalidate_and_finish: |n| format!("Invalidate key {n} and finish"),
        stop_tracking: "Stop tracking this rotation",
        finished: |old, new| format!("Rotation finished: key {old} no longer works, key {new} carries on."),
    },
    tester: TesterText {
        heading: "Test a key",
        nothing_to_test: "This credential has no location-service privilege to test.",
        key: "API key to test",
        key_just_generated: "Leave empty to test the key just generated, or paste another key of this credential.",
        key_to_paste: "Paste a key of this credential.",
        paste_first: "Paste the API key to test.",
        privilege: "Privilege to test",
        services: "Location services at",
        services_default: "ArcGIS Location Platform",
        services_hint: |origin| {
            format!(
                "Leave empty for ArcGIS's own services. The service sees this page, {origin}, as the referrer: a browser cannot send another."
            )
        },
        test: "Test key",
        accepted: "Accepted: the service answered with this key.",
        unreachable: |host| {
            format!(
                "Not tested: the service at {host} could not be reached. This page's Content-Security-Policy may \
                 not allow it (add {host} to connect-src), or the network is down. This says nothing about the key."
            )
        },
        inconclusive: |code, message| {
            format!(
                "Not tested: the service refused the test request itself ({code}: {message}). This says nothing about the key."
            )
        },
        rejected: |code, message, advice| format!("Rejected ({code}): {message} {advice}"),
        invalid_key: "The key is invalid, expired or invalidated; generate a new one.",
        forbidden: "The key lacks this privilege, or does not allow this page's address as a referrer.",
        forbidden_here: "This page's address is not among the key's referrers, so the service refused it here; \
            from a site in its referrers it may work.",
        page_not_a_referrer: |origin| {
            format!(
                "This page's address, {origin}, is not among the key's referrers: the service will refuse the key here \
                 (403) even where it works. Test it from one of its sites, or add {origin} to its referrers for the test."
            )
        },
        show_key: "Show key",
        check_settings: "Check the key's settings.",
    },
    usage: UsageText {
        heading: "Usage, last 30 days",
        refresh: "Refresh usage",
        reading: "Reading usage…",
        needs_administrator: "Usage needs an administrator: this portal shows it to administrators only.",
        caption: |first, last| format!("Requests per day, {first} to {last}"),
        no_requests_any_day: "No requests on any day.",
        by_day: |days| format!("Requests by day: {days}."),
        day: |date, n| format!("{date}: {n}"),
        total: |n| match n {
            0 => "No requests in the last 30 days.".to_owned(),
            n => format!("{} in the last 30 days.", count(n, "request", "requests")),
        },
        by_operation: "Requests by operation",
        operation: |service, event, n| format!("{service} ({event}): {n}"),
    },
    health: HealthText {
        heading: "Key health",
        export_csv: "Export CSV",
        export_json: "Export JSON",
        download_refused: "The browser did not allow the download.",
        reading: "Reading every key's settings",
        read_progress: |read, total| format!("Read the settings of {read} of {total} keys…"),
        all_good: |n| {
            if n == 1 { "The key is in good health.".into() } else { format!("All {n} keys are in good health.") }
        },
        needing_attention: |keys, kinds| {
            let verb = if kinds == 1 { "needs" } else { "need" };
            format!(
                "{}; {} {verb} attention.",
                count(keys as u64, "key", "keys"),
                count(kinds as u64, "kind of issue", "kinds of issue")
            )
        },
        concern_count: |heading, n| format!("{heading} ({n})"),
        action_on: |action, title| format!("{action}: {title}"),
        retired: ConcernText {
            heading: "Retired legacy keys",
            advice: "Legacy API keys stopped working on 2026-06-27. Replace each with an API key credential, then \
                delete it.",
            action: "Review",
        },
        expired: ConcernText {
            heading: "Expired",
            advice: "Apps using these keys are failing now.",
            action: "Regenerate",
        },
        within_week: ConcernText {
            heading: "Expiring within 7 days",
            advice: "Rotate before apps start failing.",
            action: "Rotate",
        },
        within_month: ConcernText {
            heading: "Expiring within 30 days",
            advice: "Plan the rotation.",
            action: "Rotate",
        },
        no_key: ConcernText {
            heading: "No key generated",
            advice: "The credential cannot be used until a key is generated.",
            action: "Generate a key",
        },
        no_referrer_restriction: ConcernText {
            heading: "No referrer restriction",
            advice: "Any web page can use these keys if they leak.",
            action: "Add referrers",
        },
        personal_privileges: ConcernText {
            heading: "Personal privileges",
            advice: "These keys act as their owner; keep them out of browsers.",
            action: "Review privileges",
        },
        unused: ConcernText {
            heading: "Unused for 90 days",
            advice: "No requests in 90 days: delete them if nothing needs them.",
            action: "Review",
        },
        timeline_caption: "Keys expiring, by month",
        timeline_expired: "Expired",
        timeline_counts: |expired, months| format!("Slots expiring: expired: {expired}, {months}."),
        timeline_month: |month, n| format!("{month}: {n}"),
    },
    org: OrgText {
        heading: "Organization's API keys",
        open: "Organization",
        my_keys: "My keys",
        health: "Organization health",
        back: "Organization's keys",
        not_admin: "Only an administrator of the organization can see every member's keys, and this account is not one. Your own keys are under My keys.",
        owner: "Owner",
        every_owner: "Every member",
        filter_policy: "Breaking the policy",
        column_policy: "Policy",
        within_policy: "Within policy",
        checking: "Checking referrers and privileges…",
        policy_heading: "Policy",
        policy_intro: "Every key is checked against these rules. Expired and legacy keys always break them. The reasons show in the Policy column and go into the export.",
        expiring_days: "Warn when a key expires within (days; empty for the badges' rule: 30, once half its life is gone)",
        max_lifetime_days: "Longest a key may still live (days; empty for no limit)",
        require_referrers: "Keys must be restricted to referrers",
        no_personal: "Keys must not have personal privileges",
        slot_gap_days: "The two keys must expire at least this many days apart (empty for no rule)",
        remember: "Remember this policy in this browser",
        remember_hint: "Kept in this browser's local storage: the rules only, nothing secret.",
        days_rule: "Enter a whole number of days from 1 to 3650.",
        belongs_to: |owner| format!("This key belongs to {owner}: tell them, as their apps stop with it."),
        owned_by: |title, owner| format!("{title} ({owner})"),
    },
    retire: RetireText {
        replace_one: "Replace with an API key credential",
        replace_all: "Replace every retired key",
        replacing: |title| format!("Replacing the retired legacy key “{title}”"),
        copied_over: "Its title, tags, description and referrers are copied; choose the expiration. The retired key \
            is left as it is until you delete it.",
        mapped: |legacy, current| format!("{legacy} → {current}"),
        mapped_heading: "Scopes mapped to current privileges",
        unmapped_heading: "Scopes with no equivalent",
        unmapped_hint: "No current privilege does the same: choose what the new key needs under Privileges.",
        replaces: |title| format!("This credential replaces the retired legacy key “{title}”."),
        delete_when_deployed: "Once every app uses the new key, delete the retired one.",
        delete_retired: |title| format!("Delete “{title}”"),
        delete_retired_heading: |title| format!("Delete “{title}” for good?"),
        delete_retired_stops: "The retired key no longer works; deleting removes its item from the portal. It cannot be undone.",
        retired_deleted: "The retired key is deleted.",
        all_heading: "Replace every retired key",
        all_intro: "Each retired legacy key becomes an API key credential with its title, tags, description, \
            referrers and mapped privileges, and one key. A failure leaves that retired key untouched. The new keys \
            are shown once, at the end.",
        reading: "Reading the retired keys…",
        none_left: "No retired legacy keys are left.",
        expiration_for_all: "Expiration date of every new key",
        run: |n| format!("Replace {}", count(n as u64, "key", "keys")),
        progress: |done, total| format!("Replaced {done} of {total}…"),
        results_caption: "Retired keys and their replacements",
        column_key: "Retired key",
        column_result: "Result",
        column_privileges: "New privileges",
        waiting: "Waiting",
        replaced: "Replaced",
        needs_choice: |scopes| format!("Needs a choice: no equivalent for {scopes}"),
        failed: |why| format!("Failed, nothing changed: {why}"),
        choose: "Choose",
        keys_heading: "The new keys",
        new_key_of: |title| format!("The new key of {title}"),
    },
    privilege: |p| (p.label, p.description),
    category: Category::label,
};
