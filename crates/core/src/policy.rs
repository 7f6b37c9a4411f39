//! An organization's rules for its keys, checked per credential with the reason. The
//! command line's `check`, the JS API's `checkPolicy` and the manager ask here, so a key
//! breaks a rule in one place only.

use crate::attention::{AppFacts, SlotView, expires_soon, made, slot_view};
use crate::dates::{DAY_MS, format_date};
use crate::model::{Item, KeyKind, Slot};

/// What the keys must hold to. Expired and legacy keys always break it; the default
/// adds nothing else, and warns of a key expiring as the manager's badge does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// A live key expiring within this many days is a warning. `None`: when the
    /// manager's badge flags it ([`expires_soon`]: within 30 days once half its life is
    /// gone, so a key made today is never flagged).
    pub expiring_days: Option<i64>,
    /// A live key may have at most this many days still to live.
    pub max_lifetime_days: Option<i64>,
    /// A credential with live keys must restrict them to referrers.
    pub referrers_required: bool,
    /// A credential's keys must not act as their owner (personal privileges).
    pub no_personal: bool,
    /// The two live keys must expire at least this many days apart, so that one can be
    /// rotated while the other still works.
    pub slot_gap_days: Option<i64>,
}

impl Policy {
    /// The policy as one line of `name=value` pairs, to keep where a browser keeps a
    /// setting (it holds no secret); [`Policy::decode`] reads it back.
    pub fn encode(&self) -> String {
        let days = |d: Option<i64>| d.map_or_else(String::new, |d| d.to_string());
        format!(
            "expiring={}&max-lifetime={}&require-referrers={}&no-personal={}&slot-gap={}",
            days(self.expiring_days),
            days(self.max_lifetime_days),
            u8::from(self.referrers_required),
            u8::from(self.no_personal),
            days(self.slot_gap_days),
        )
    }

    /// A policy [`Policy::encode`] wrote; what it cannot read keeps the default.
    pub fn decode(text: &str) -> Self {
        let mut policy = Policy::default();
        for (name, value) in text.split('&').filter_map(|pair| pair.split_once('=')) {
            let days = value.parse::<i64>().ok().filter(|d| (1..=MAX_DAYS).contains(d));
            match name {
                "expiring" => policy.expiring_days = days,
                "max-lifetime" => policy.max_lifetime_days = days,
                "require-referrers" => policy.referrers_required = value == "1",
                "no-personal" => policy.no_personal = value == "1",
                "slot-gap" => policy.slot_gap_days = days,
                _ => {}
            }
        }
        policy
    }
}

/// The most days a policy's rule may name: ten years, far past a key's year of life.
pub const MAX_DAYS: i64 = 3650;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Legacy,
    Expired,
    Expiring,
    MaxLifetime,
    RequireReferrers,
    NoPersonal,
    SlotGap,
}

impl Rule {
    /// The rule's name in data formats and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Rule::Legacy => "legacy",
            Rule::Expired => "expired",
            Rule::Expiring => "expiring",
            Rule::MaxLifetime => "max-lifetime",
            Rule::RequireReferrers => "require-referrers",
            Rule::NoPersonal => "no-personal",
            Rule::SlotGap => "slot-gap",
        }
    }

    /// A warning asks for care soon; an error breaks the policy now.
    pub const fn is_error(self) -> bool {
        !matches!(self, Rule::Expiring)
    }
}

/// One rule a credential breaks, and why, in English (data formats and the command line
/// use these words whatever a screen's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    /// The key the finding is about, when it is about one.
    pub slot: Option<Slot>,
    pub message: String,
}

/// Every rule of `policy` that `item` breaks. Without its app (`None`), only the item's
/// dates are judged: an expiration stands for a key, and the referrer and personal rules
/// cannot be told.
pub fn check(item: &Item, app: Option<&AppFacts>, policy: &Policy, now_ms: i64) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add = |rule, slot, message: String| found.push(Finding { rule, slot, message });
    if item.key_kind() == Some(KeyKind::Legacy) {
        add(
            Rule::Legacy,
            None,
            "a legacy API key, retired on 2026-06-27: replace it with a credential and delete it".into(),
        );
        return found;
    }
    let mut live = Vec::new();
    for slot in [Slot::Primary, Slot::Secondary] {
        let n = slot.number();
        match slot_view(item, app, slot, now_ms) {
            SlotView::Expired { expires_ms } => {
                add(Rule::Expired, Some(slot), format!("key {n} expired on {}", format_date(expires_ms)));
            }
            SlotView::Active { expires_ms } => {
                live.push(expires_ms);
                let left = expires_ms.saturating_sub(now_ms);
                let soon = match policy.expiring_days {
                    Some(days) => left < days.saturating_mul(DAY_MS),
                    None => expires_soon(expires_ms, made(item, slot), now_ms),
                };
                if soon {
                    add(Rule::Expiring, Some(slot), format!("key {n} expires on {}", format_date(expires_ms)));
                }
                if let Some(max) = policy.max_lifetime_days
                    && left > max.saturating_mul(DAY_MS)
                {
                    let until = format_date(expires_ms);
                    add(
                        Rule::MaxLifetime,
                        Some(slot),
                        format!("key {n} lives until {until}, longer than {max}d from today"),
                    );
                }
            }
            SlotView::Empty => {}
        }
    }
    if let (Some(gap), &[one, two]) = (policy.slot_gap_days, live.as_slice()) {
        let apart = (one - two).abs();
        if apart < gap.saturating_mul(DAY_MS) {
            let days = apart / DAY_MS;
            add(
                Rule::SlotGap,
                None,
                format!(
                    "its two keys expire {days} days apart, less than {gap}d: no time to rotate one while the other works"
                ),
            );
        }
    }
    if let Some(app) = app {
        if policy.referrers_required && !live.is_empty() && app.referrers.is_empty() {
            add(Rule::RequireReferrers, None, "its keys work from any site: no referrer restriction".into());
        }
        if policy.no_personal && app.personal {
            add(Rule::NoPersonal, None, "its keys act as their owner (personal privileges)".into());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_305_600_000;

    fn credential(expires: [i64; 2]) -> Item {
        serde_json::from_value(serde_json::json!({
            "id": "0123456789abcdef0123456789abcdef", "owner": "jsmith", "title": "Maps",
            "type": "Application", "typeKeywords": ["Registered App", "APIToken"],
            "created": 0, "modified": 0,
            "apiToken1ExpirationDate": expires[0], "apiToken2ExpirationDate": expires[1],
        }))
        .unwrap()
    }

    fn app(referrers: &[&str], personal: bool) -> AppFacts {
        AppFacts {
            client_id: "c".into(),
            active: [true, true],
            referrers: referrers.iter().map(|r| (*r).to_owned()).collect(),
            privileges: vec![],
            personal,
        }
    }

    fn rules(findings: &[Finding]) -> Vec<(&'static str, Option<u8>)> {
        findings.iter().map(|f| (f.rule.name(), f.slot.map(Slot::number))).collect()
    }

    #[test]
    fn the_default_policy_flags_expired_and_expiring_keys_only() {
        let item = credential([NOW - DAY_MS, NOW + 10 * DAY_MS]);
        let found = check(&item, Some(&app(&[], true)), &Policy::default(), NOW);
        assert_eq!(rules(&found), [("expired", Some(1)), ("expiring", Some(2))]);
        assert!(found[0].message.starts_with("key 1 expired on "), "{}", found[0].message);
        assert!(!Rule::Expiring.is_error() && Rule::Expired.is_error());
        // A month's key made today has most of its life left: no warning by default, as
        // no badge; a policy of 30 days warns of it all the same.
        let mut fresh = credential([NOW + 29 * DAY_MS, -1]);
        fresh.modified = NOW;
        assert_eq!(check(&fresh, Some(&app(&[], false)), &Policy::default(), NOW), []);
        let thirty = Policy { expiring_days: Some(30), ..Policy::default() };
        assert_eq!(rules(&check(&fresh, Some(&app(&[], false)), &thirty, NOW)), [("expiring", Some(1))]);
    }

    #[test]
    fn each_rule_of_a_strict_policy_names_what_breaks_it() {
        let policy = Policy {
            expiring_days: Some(30),
            max_lifetime_days: Some(90),
            referrers_required: true,
            no_personal: true,
            slot_gap_days: Some(14),
        };
        // Key 1 lives 200 days; key 2, 195: too long, and too close together.
        let item = credential([NOW + 200 * DAY_MS, NOW + 195 * DAY_MS]);
        let found = check(&item, Some(&app(&[], true)), &policy, NOW);
        assert_eq!(
            rules(&found),
            [
                ("max-lifetime", Some(1)),
                ("max-lifetime", Some(2)),
                ("slot-gap", None),
                ("require-referrers", None),
                ("no-personal", None)
            ]
        );
        assert!(found[2].message.contains("5 days apart, less than 14d"), "{}", found[2].message);
        // Restricted, not personal, 80 and 40 days: within every rule.
        let item = credential([NOW + 80 * DAY_MS, NOW + 40 * DAY_MS]);
        assert_eq!(check(&item, Some(&app(&["https://maps.example.com"], false)), &policy, NOW), []);
    }

    #[test]
    fn a_credential_without_live_keys_needs_no_referrers_and_has_no_gap() {
        let policy = Policy { referrers_required: true, slot_gap_days: Some(14), ..Policy::default() };
        let item = credential([-1, -1]);
        assert_eq!(check(&item, Some(&app(&[], false)), &policy, NOW), []);
        // One live key alone has no gap to keep.
        let item = credential([NOW + 100 * DAY_MS, -1]);
        assert_eq!(rules(&check(&item, Some(&app(&[], false)), &policy, NOW)), [("require-referrers", None)]);
    }

    #[test]
    fn a_policy_reads_back_what_it_wrote_and_defaults_what_it_cannot_read() {
        let policy = Policy {
            expiring_days: Some(14),
            max_lifetime_days: Some(90),
            referrers_required: true,
            no_personal: false,
            slot_gap_days: None,
        };
        assert_eq!(Policy::decode(&policy.encode()), policy);
        assert_eq!(Policy::decode(""), Policy::default());
        let odd = Policy::decode("expiring=-3&max-lifetime=x&slot-gap=99999&unknown=1&no-personal=1");
        assert_eq!(odd, Policy { no_personal: true, ..Policy::default() });
    }

    #[test]
    fn an_invalidated_key_breaks_no_rule_and_a_legacy_key_only_one() {
        // The item keeps the date of an invalidated key; the app says it is gone.
        let item = credential([NOW - DAY_MS, NOW + 400 * DAY_MS]);
        let gone = AppFacts { active: [false, false], ..app(&["https://a.example"], false) };
        let policy = Policy { max_lifetime_days: Some(90), ..Policy::default() };
        assert_eq!(check(&item, Some(&gone), &policy, NOW), []);
        let mut legacy = credential([-1, -1]);
        legacy.item_type = "API Key".into();
        legacy.type_keywords = vec!["API Key".into()];
        assert_eq!(rules(&check(&legacy, None, &policy, NOW)), [("legacy", None)]);
    }
}
