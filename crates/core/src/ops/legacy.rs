//! Retiring legacy API keys. They could not be created or changed after June 2024 and
//! stopped working on 2026-06-27: what is left of them is items to replace and delete.
//! A replacement is an API key credential made from the legacy item (title, tags,
//! description, referrers), with the legacy scopes mapped to current privileges by
//! [`LEGACY_PRIVILEGE_MAP`], the one table of that mapping. The new credential records
//! the item it replaces in a type keyword ([`replaces_keyword`]), so the link survives.
//! It is created by the ordinary create transaction ([`crate::Client::create_credential`]);
//! the legacy item is left alone, to be deleted once the new key is deployed.

use crate::error::{Field, InputError};
use crate::model::{Credential, KeyKind, Slot};
use crate::ops::create::{CredentialInput, NewCredential};
use crate::privileges::{self, Category};

/// Each legacy scope and the current privileges that do the same, as the migration
/// tutorial lists them. A scope missing here has no safe equivalent: the user chooses.
/// Routing scopes (`premium:user:networkanalysis:*`) are current privileges already.
pub const LEGACY_PRIVILEGE_MAP: &[(&str, &[&str])] = &[
    ("portal:apikey:basemaps", &["premium:user:basemaps"]),
    // Stored results need `premium:user:geocode:stored` too; whether the app stored
    // them is not recorded anywhere, so the mapping notes it instead of guessing.
    ("premium:user:geocode", &["premium:user:geocode:temporary"]),
    ("premium:user:demographics", &["premium:user:geoenrichment"]),
];

/// The type keyword that records which legacy item a credential replaced.
pub fn replaces_keyword(legacy_id: &str) -> String {
    format!("replaces:{legacy_id}")
}

/// The legacy item a credential replaced, if it records one.
pub fn replaced_by(type_keywords: &[String]) -> Option<&str> {
    type_keywords.iter().find_map(|k| k.strip_prefix("replaces:"))
}

/// How a legacy key's scopes become current privileges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrivilegeMapping {
    /// Each scope that has an equivalent, with the privileges it became.
    pub mapped: Vec<(String, Vec<String>)>,
    /// Scopes with no safe equivalent, left for the user to choose.
    pub unmapped: Vec<String>,
    /// The privileges the mapped scopes give, each once, in order.
    pub privileges: Vec<String>,
}

/// Maps `scopes` through [`LEGACY_PRIVILEGE_MAP`]; a scope that is a current location
/// privilege already is kept as it is.
pub fn map_privileges(scopes: &[String]) -> PrivilegeMapping {
    let mut mapping = PrivilegeMapping::default();
    for scope in scopes {
        let current: Option<Vec<String>> = match LEGACY_PRIVILEGE_MAP.iter().find(|(legacy, _)| legacy == scope) {
            Some((_, current)) => Some(current.iter().map(|p| p.to_string()).collect()),
            None => privileges::lookup(scope)
                .filter(|p| p.category != Category::Legacy && !p.personal)
                .map(|p| vec![p.id.to_owned()]),
        };
        match current {
            Some(current) => {
                for privilege in &current {
                    if !mapping.privileges.contains(privilege) {
                        mapping.privileges.push(privilege.clone());
                    }
                }
                mapping.mapped.push((scope.clone(), current));
            }
            None => mapping.unmapped.push(scope.clone()),
        }
    }
    mapping
}

/// What a replacement of one legacy key is made of: the create input (without keys)
/// and how its scopes were mapped.
#[derive(Debug, Clone)]
pub struct Replacement {
    pub legacy_id: String,
    pub input: CredentialInput,
    pub mapping: PrivilegeMapping,
}

impl Replacement {
    /// The replacement of `legacy` (a legacy key's item and app).
    pub fn of(legacy: &Credential) -> Result<Self, InputError> {
        if legacy.item.key_kind() != Some(KeyKind::Legacy) {
            return Err(InputError::new(Field::Id, "Only a legacy API key can be replaced this way."));
        }
        let mapping = map_privileges(&legacy.app.privileges);
        let input = CredentialInput {
            title: legacy.item.title.clone(),
            snippet: legacy.item.snippet.clone(),
            description: legacy.item.description.clone(),
            tags: legacy.item.tags.clone(),
            privileges: mapping.privileges.clone(),
            referrers: legacy.app.http_referrers.clone(),
            type_keywords: vec![replaces_keyword(&legacy.item.id)],
            ..CredentialInput::default()
        };
        Ok(Self { legacy_id: legacy.item.id.clone(), input, mapping })
    }

    /// The credential to create: the mapped privileges unless `privileges` chooses them,
    /// one key expiring at `expires`. A scope left unmapped needs the caller's choice.
    pub fn new_credential(
        &self,
        title: Option<String>,
        privileges: Option<Vec<String>>,
        expires: i64,
        now_ms: i64,
    ) -> Result<NewCredential, InputError> {
        if privileges.is_none() && !self.mapping.unmapped.is_empty() {
            return Err(InputError::new(
                Field::Privileges,
                format!(
                    "These legacy scopes have no safe equivalent: {}. Choose the privileges the new key needs.",
                    self.mapping.unmapped.join(", ")
                ),
            ));
        }
        let mut input = self.input.clone();
        if let Some(title) = title {
            input.title = title;
        }
        if let Some(privileges) = privileges {
            input.privileges = privileges;
        }
        input.keys = vec![(Slot::Primary, expires)];
        NewCredential::new(input, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scopes_map_by_the_table_and_the_rest_is_named() {
        let mapping = map_privileges(&strings(&[
            "portal:apikey:basemaps",
            "premium:user:geocode",
            "premium:user:networkanalysis:routing",
            "premium:user:spatialanalysis",
            "premium:user:demographics",
            "premium:user:featurereport",
        ]));
        assert_eq!(
            mapping.privileges,
            strings(&[
                "premium:user:basemaps",
                "premium:user:geocode:temporary",
                "premium:user:networkanalysis:routing",
                "premium:user:geoenrichment",
            ])
        );
        assert_eq!(mapping.unmapped, strings(&["premium:user:spatialanalysis", "premium:user:featurereport"]));
        assert_eq!(mapping.mapped.len(), 4);
    }

    #[test]
    fn every_legacy_catalog_scope_is_mapped_or_named() {
        for privilege in privileges::CATALOG.iter().filter(|p| p.category == Category::Legacy) {
            let mapping = map_privileges(&[privilege.id.to_owned()]);
            assert_eq!(mapping.mapped.len() + mapping.unmapped.len(), 1, "{}", privilege.id);
        }
        for (_, current) in LEGACY_PRIVILEGE_MAP {
            for privilege in *current {
                let known = privileges::lookup(privilege).expect("maps to a catalog privilege");
                assert!(known.category != Category::Legacy && !known.personal, "{privilege}");
            }
        }
    }

    #[test]
    fn the_replaced_item_is_recorded_and_read_back() {
        let keywords = vec!["APIToken".to_owned(), replaces_keyword("da7720eff87c4f5b9504f526ad6f0c6e")];
        assert_eq!(replaced_by(&keywords), Some("da7720eff87c4f5b9504f526ad6f0c6e"));
        assert_eq!(replaced_by(&["APIToken".to_owned()]), None);
    }
}
