//! How the core's badges look in the manager: their words in the screen's language,
//! their colour, and the one-line summary of a credential's privileges.

use arcgis_keys::attention::{AppFacts, Badge};
use arcgis_keys::privileges;

use crate::text::{BadgeText, Text};

pub fn label(badge: Badge, t: &BadgeText) -> &'static str {
    match badge {
        Badge::Retired => t.retired,
        Badge::Expired => t.expired,
        Badge::ExpiresSoon => t.expires_soon,
        Badge::NoKey => t.no_key,
        Badge::NoReferrerRestriction => t.no_referrer_restriction,
        Badge::PersonalPrivileges => t.personal_privileges,
    }
}

/// A class for its colour: warnings and dangers look different.
pub fn class(badge: Badge) -> &'static str {
    match badge {
        Badge::Retired | Badge::Expired | Badge::PersonalPrivileges => "badge danger",
        _ => "badge warning",
    }
}

/// "Basemaps, Geocoding, 2 items": the categories of the privileges in picker order,
/// then item access.
pub fn summary(app: &AppFacts, text: &Text) -> String {
    let (services, items) = privileges::split(&app.privileges);
    let items = items.len();
    let mut categories = Vec::new();
    let mut other = false;
    for id in &services {
        match privileges::lookup(id) {
            Some(privilege) => categories.push(privilege.category),
            None => other = true,
        }
    }
    categories.sort();
    categories.dedup();
    let mut parts: Vec<String> = categories.into_iter().map(|c| (text.category)(c).to_owned()).collect();
    if other {
        parts.push(text.badges.other_privileges.into());
    }
    if items > 0 {
        parts.push((text.badges.items)(items));
    }
    if parts.is_empty() { text.common.none.into() } else { parts.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::ENGLISH;

    #[test]
    fn the_privileges_summary_names_categories_once_then_items() {
        let facts = |privileges: &[&str]| AppFacts {
            client_id: "client".into(),
            active: [false, false],
            referrers: Vec::new(),
            privileges: privileges.iter().map(|p| p.to_string()).collect(),
            personal: false,
        };
        assert_eq!(summary(&facts(&[]), &ENGLISH), "None");
        assert_eq!(
            summary(
                &facts(&[
                    "premium:user:geocode:temporary",
                    "premium:user:basemaps",
                    "premium:user:staticbasemaptiles",
                    "portal:app:access:item:0123456789abcdef0123456789abcdef",
                ]),
                &ENGLISH
            ),
            "Basemaps, Geocoding, 1 item"
        );
    }

    #[test]
    fn english_badges_are_the_export_words() {
        let every = [
            Badge::Retired,
            Badge::Expired,
            Badge::ExpiresSoon,
            Badge::NoKey,
            Badge::NoReferrerRestriction,
            Badge::PersonalPrivileges,
        ];
        for badge in every {
            assert_eq!(label(badge, &ENGLISH.badges), badge.word());
        }
    }
}
