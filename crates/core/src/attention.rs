//! What about a key needs attention: the badges the manager's list shows and exports,
//! and the concerns its health view groups by. Pure functions of the item (and the app,
//! once read), shared by every front end.

use crate::dates::{DAY_MS, days_until};
use crate::model::{AppInfo, Item, KeyKind, Slot};

/// Within this many days an expiry may be "soon" (see [`expires_soon`]).
pub const SOON_DAYS: i64 = 30;

/// Within this many days an expiry is "soon" whatever the key's age.
pub const ALWAYS_SOON_DAYS: i64 = 3;

/// Does a key expiring at `expires_ms` expire soon? Under [`SOON_DAYS`] once less than
/// half its life is left, so that a key made today is never flagged, whatever its
/// lifetime; under [`ALWAYS_SOON_DAYS`] always. The portal keeps no key's birth: its
/// life counts from when arcgis-keys recorded making it ([`made`]), else from the item's
/// last change (`modified`), which generating a key makes (the expiry is written to the
/// item first). A later edit makes such a life look shorter, so that key is flagged
/// later, never under three days left. Unknown (0), the rule is the plain 30 days.
pub fn expires_soon(expires_ms: i64, item_modified_ms: i64, now_ms: i64) -> bool {
    let left = expires_ms - now_ms;
    let life = expires_ms - item_modified_ms.min(now_ms);
    left < ALWAYS_SOON_DAYS * DAY_MS || (left < SOON_DAYS * DAY_MS && 2 * left < life)
}

/// When `slot`'s key was made, as well as the item tells: the rotation record's date
/// (arcgis-keys made it), or else the item's last change.
pub fn made(item: &Item, slot: Slot) -> i64 {
    crate::rotation::KeysRecord::of(item).made(slot).unwrap_or(item.modified)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// A legacy API key: revoked on 2026-06-27, left to replace and delete.
    Retired,
    /// A slot's key has expired.
    Expired,
    /// A slot's key expires soon ([`expires_soon`]).
    ExpiresSoon,
    /// Neither slot holds a key.
    NoKey,
    /// Any web page may use the keys.
    NoReferrerRestriction,
    /// The keys act as their owner.
    PersonalPrivileges,
}

impl Badge {
    /// The badge in English, as data formats (the export, the command line) name it
    /// whatever the screen's language.
    pub const fn word(self) -> &'static str {
        match self {
            Badge::Retired => "Retired",
            Badge::Expired => "Expired",
            Badge::ExpiresSoon => "Expires within 30 days",
            Badge::NoKey => "No key generated",
            Badge::NoReferrerRestriction => "No referrer restriction",
            Badge::PersonalPrivileges => "Personal privileges",
        }
    }
}

/// What a front end keeps of a registered app: no client secret, so a list can keep one
/// per credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFacts {
    /// The app's client id: what usage is counted by.
    pub client_id: String,
    pub active: [bool; 2],
    pub referrers: Vec<String>,
    pub privileges: Vec<String>,
    /// The portal's verdict (`isPersonalAPIToken`): do the keys act as their owner?
    pub personal: bool,
}

impl From<&AppInfo> for AppFacts {
    fn from(app: &AppInfo) -> Self {
        Self {
            client_id: app.client_id.clone(),
            active: [app.api_token1_active, app.api_token2_active],
            referrers: app.http_referrers.clone(),
            privileges: app.privileges.clone(),
            personal: app.is_personal_api_token,
        }
    }
}

impl AppFacts {
    fn is_active(&self, slot: Slot) -> bool {
        self.active[usize::from(slot.number() - 1)]
    }
}

/// A slot as the list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotView {
    Empty,
    Active { expires_ms: i64 },
    Expired { expires_ms: i64 },
}

/// Slot `slot` of `item`. Without the app, an expiration stands for a key: the item is
/// all a search returns. With it, the app's active flag decides.
pub fn slot_view(item: &Item, app: Option<&AppFacts>, slot: Slot, now_ms: i64) -> SlotView {
    let active = app.is_none_or(|app| app.is_active(slot));
    match item.expiration(slot) {
        Some(expires_ms) if active && expires_ms <= now_ms => SlotView::Expired { expires_ms },
        Some(expires_ms) if active => SlotView::Active { expires_ms },
        _ => SlotView::Empty,
    }
}

/// The slots of `item` whose keys work now: what an action that stops "the keys" stops.
pub fn live_slots(item: &Item, app: Option<&AppFacts>, now_ms: i64) -> Vec<Slot> {
    [Slot::Primary, Slot::Secondary]
        .into_iter()
        .filter(|&slot| matches!(slot_view(item, app, slot, now_ms), SlotView::Active { .. }))
        .collect()
}

/// Every badge `item` earns, most urgent first. A legacy key earns one: it is retired,
/// and nothing else about a key that no longer works matters.
pub fn badges(item: &Item, app: Option<&AppFacts>, now_ms: i64) -> Vec<Badge> {
    if item.key_kind() == Some(KeyKind::Legacy) {
        return vec![Badge::Retired];
    }
    let mut out = Vec::new();
    if item.key_kind() == Some(KeyKind::Credential) {
        let slots = [Slot::Primary, Slot::Secondary].map(|slot| slot_view(item, app, slot, now_ms));
        if slots.iter().any(|s| matches!(s, SlotView::Expired { .. })) {
            out.push(Badge::Expired);
        }
        if slots.iter().zip([Slot::Primary, Slot::Secondary]).any(|(s, slot)| {
            matches!(s, SlotView::Active { expires_ms } if expires_soon(*expires_ms, made(item, slot), now_ms))
        })
        {
            out.push(Badge::ExpiresSoon);
        }
        if slots.iter().all(|s| *s == SlotView::Empty) {
            out.push(Badge::NoKey);
        }
    }
    if let Some(app) = app {
        if app.referrers.is_empty() {
            out.push(Badge::NoReferrerRestriction);
        }
        if app.personal {
            out.push(Badge::PersonalPrivileges);
        }
    }
    out
}

/// What the health view groups keys by, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Concern {
    /// Legacy API keys: they stopped working on 2026-06-27.
    Retired,
    Expired,
    ExpiresWithinWeek,
    ExpiresWithinMonth,
    NoKey,
    NoReferrerRestriction,
    PersonalPrivileges,
    /// Older than [`UNUSED_DAYS`] and not used in that time.
    Unused,
}

/// Within this many days an expiry is urgent.
pub const URGENT_DAYS: i64 = 7;

/// A key older than this with no use in this time is unused.
pub const UNUSED_DAYS: i64 = 90;

/// Every concern `item` raises. An expiring key counts once, in the nearer window.
/// `uses`: its requests in the last [`UNUSED_DAYS`], when known.
pub fn concerns(item: &Item, app: Option<&AppFacts>, uses: Option<u64>, now_ms: i64) -> Vec<Concern> {
    let soonest_active = [Slot::Primary, Slot::Secondary]
        .into_iter()
        .filter_map(|slot| match slot_view(item, app, slot, now_ms) {
            SlotView::Active { expires_ms } => Some(days_until(expires_ms, now_ms)),
            _ => None,
        })
        .min();
    badges(item, app, now_ms)
        .into_iter()
        .map(|badge| match badge {
            Badge::Retired => Concern::Retired,
            Badge::Expired => Concern::Expired,
            Badge::ExpiresSoon if soonest_active.is_some_and(|days| days < URGENT_DAYS) => Concern::ExpiresWithinWeek,
            Badge::ExpiresSoon => Concern::ExpiresWithinMonth,
            Badge::NoKey => Concern::NoKey,
            Badge::NoReferrerRestriction => Concern::NoReferrerRestriction,
            Badge::PersonalPrivileges => Concern::PersonalPrivileges,
        })
        .chain(
            (item.key_kind() == Some(KeyKind::Credential)
                && uses == Some(0)
                && days_until(item.created, now_ms) <= -UNUSED_DAYS)
                .then_some(Concern::Unused),
        )
        .collect()
}

/// The soonest expiry among active slots, for sorting by urgency.
pub fn next_expiry(item: &Item, now_ms: i64) -> Option<i64> {
    [Slot::Primary, Slot::Secondary]
        .into_iter()
        .filter_map(|slot| match slot_view(item, None, slot, now_ms) {
            SlotView::Active { expires_ms } | SlotView::Expired { expires_ms } => Some(expires_ms),
            SlotView::Empty => None,
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use crate::model::UNSET;
    use crate::privileges::any_personal;

    const NOW: i64 = 1_795_305_600_000;

    fn credential(expires: [i64; 2]) -> Item {
        Item {
            id: "0123456789abcdef0123456789abcdef".into(),
            owner: "jsmith".into(),
            title: "Maps".into(),
            item_type: "Application".into(),
            type_keywords: vec!["APIToken".into()],
            tags: vec![],
            description: None,
            snippet: None,
            created: 0,
            modified: 0,
            owner_folder: None,
            api_token1_expiration_date: expires[0],
            api_token2_expiration_date: expires[1],
            properties: None,
        }
    }

    fn app(referrers: &[&str], privileges: &[&str], active: [bool; 2]) -> AppInfo {
        AppInfo {
            item_id: "0123456789abcdef0123456789abcdef".into(),
            client_id: "client".into(),
            client_secret: Secret::new("secret"),
            app_type: "apikey".into(),
            http_referrers: referrers.iter().map(|r| r.to_string()).collect(),
            privileges: privileges.iter().map(|p| p.to_string()).collect(),
            registered: 0,
            modified: 0,
            api_token1_active: active[0],
            api_token2_active: active[1],
            // As the service answers: personal when a privilege acts as the owner.
            is_personal_api_token: any_personal(privileges),
        }
    }

    fn check(item: Item, app: Option<AppInfo>, expected: &[Badge]) {
        assert_eq!(badges(&item, app.as_ref().map(AppFacts::from).as_ref(), NOW), expected);
    }

    #[test]
    fn badges_from_the_item_alone() {
        check(credential([NOW + 90 * DAY_MS, UNSET]), None, &[]);
        check(credential([NOW + 29 * DAY_MS, UNSET]), None, &[Badge::ExpiresSoon]);
        check(credential([NOW - 1, NOW + 200 * DAY_MS]), None, &[Badge::Expired]);
        check(credential([UNSET, UNSET]), None, &[Badge::NoKey]);
    }

    #[test]
    fn a_key_made_today_is_never_flagged_whatever_its_lifetime() {
        for days in crate::validate::EXPIRATION_PRESET_DAYS {
            assert!(!expires_soon(NOW + days * DAY_MS - DAY_MS / 2, NOW, NOW), "a {days}-day key made today");
        }
        // A month-long key: flagged once half its life is gone.
        let made = NOW - 16 * DAY_MS;
        assert!(expires_soon(NOW + 14 * DAY_MS, made, NOW));
        assert!(!expires_soon(NOW + 14 * DAY_MS, NOW - 10 * DAY_MS, NOW));
        // A year-long key: from 30 days left, as before.
        assert!(expires_soon(NOW + 29 * DAY_MS, NOW - 336 * DAY_MS, NOW));
        assert!(!expires_soon(NOW + 31 * DAY_MS, NOW - 334 * DAY_MS, NOW));
        // An item edited today does not hide a key that is about to stop.
        assert!(expires_soon(NOW + 2 * DAY_MS, NOW, NOW));
        assert!(!expires_soon(NOW + 4 * DAY_MS, NOW, NOW));
    }

    #[test]
    fn a_key_made_by_arcgis_keys_counts_its_life_from_the_record_not_the_last_edit() {
        let mut edited_today = credential([NOW + 29 * DAY_MS, UNSET]);
        edited_today.modified = NOW;
        check(edited_today.clone(), None, &[]);
        let record = format!(r#"{{"arcgisKeys":{{"made":[{},null]}}}}"#, NOW - 336 * DAY_MS);
        edited_today.properties = Some(serde_json::from_str(&record).unwrap());
        assert_eq!(made(&edited_today, Slot::Primary), NOW - 336 * DAY_MS);
        check(edited_today, None, &[Badge::ExpiresSoon]);
    }

    #[test]
    fn the_app_decides_which_slots_hold_keys() {
        let inactive = app(&["https://example.com"], &["premium:user:basemaps"], [false, false]);
        check(credential([NOW - 1, UNSET]), Some(inactive), &[Badge::NoKey]);
    }

    #[test]
    fn live_slots_are_active_and_unexpired() {
        let facts = AppFacts::from(&app(&[], &["premium:user:basemaps"], [true, true]));
        assert_eq!(live_slots(&credential([NOW + DAY_MS, NOW - 1]), Some(&facts), NOW), [Slot::Primary]);
        assert_eq!(
            live_slots(&credential([NOW + DAY_MS, NOW + 2]), Some(&facts), NOW),
            [Slot::Primary, Slot::Secondary]
        );
        let one = AppFacts::from(&app(&[], &["premium:user:basemaps"], [false, true]));
        assert_eq!(live_slots(&credential([NOW + DAY_MS, NOW + 2]), Some(&one), NOW), [Slot::Secondary]);
        assert_eq!(live_slots(&credential([UNSET, UNSET]), None, NOW), []);
    }

    #[test]
    fn badges_from_the_app() {
        let open = app(&[], &["premium:user:basemaps", "portal:user:viewOrgItems"], [true, false]);
        check(
            credential([NOW + 90 * DAY_MS, UNSET]),
            Some(open),
            &[Badge::NoReferrerRestriction, Badge::PersonalPrivileges],
        );
    }

    #[test]
    fn a_legacy_key_is_retired_and_nothing_else() {
        let mut item = credential([UNSET, UNSET]);
        item.item_type = "API Key".into();
        item.type_keywords = vec!["API Key".into()];
        check(item.clone(), None, &[Badge::Retired]);
        // No referrers, personal privileges, no use: still only retired.
        let facts = AppFacts::from(&app(&[], &["portal:user:createItem"], [false, false]));
        assert_eq!(badges(&item, Some(&facts), NOW), [Badge::Retired]);
        assert_eq!(concerns(&item, Some(&facts), Some(0), NOW + 365 * 86_400_000), [Concern::Retired]);
    }

    #[test]
    fn next_expiry_is_the_soonest_slot() {
        assert_eq!(next_expiry(&credential([NOW + 5, NOW + 3]), NOW), Some(NOW + 3));
        assert_eq!(next_expiry(&credential([UNSET, UNSET]), NOW), None);
    }

    #[test]
    fn concerns_split_expiring_keys_by_week_and_month() {
        let facts = AppFacts::from(&app(&[], &["premium:user:basemaps"], [true, true]));
        let of = |expires: [i64; 2]| concerns(&credential(expires), Some(&facts), None, NOW);
        assert_eq!(
            of([NOW + 3 * DAY_MS, NOW + 20 * DAY_MS]),
            [Concern::ExpiresWithinWeek, Concern::NoReferrerRestriction]
        );
        assert_eq!(of([NOW + 20 * DAY_MS, UNSET]), [Concern::ExpiresWithinMonth, Concern::NoReferrerRestriction]);
        assert_eq!(of([NOW - DAY_MS, NOW + 90 * DAY_MS]), [Concern::Expired, Concern::NoReferrerRestriction]);
    }

    #[test]
    fn unused_means_old_enough_and_no_requests() {
        let facts = AppFacts::from(&app(&["https://example.com"], &["premium:user:basemaps"], [true, false]));
        let mut item = credential([NOW + 200 * DAY_MS, UNSET]);
        item.created = NOW - 91 * DAY_MS;
        assert_eq!(concerns(&item, Some(&facts), Some(0), NOW), [Concern::Unused]);
        assert_eq!(concerns(&item, Some(&facts), Some(3), NOW), []);
        assert_eq!(concerns(&item, Some(&facts), None, NOW), [], "unknown usage is not a concern");
        item.created = NOW - 10 * DAY_MS;
        assert_eq!(concerns(&item, Some(&facts), Some(0), NOW), [], "too young to call unused");
    }
}
