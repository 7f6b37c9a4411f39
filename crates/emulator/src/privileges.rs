//! Which privilege strings the portal accepts (contract section 7).
//!
//! The emulator's own reading of the contract; it shares nothing with the client's
//! catalog, so that a disagreement between the two fails a test.

/// Location-service privileges of API key credentials.
pub const LOCATION_SERVICES: &[&str] = &[
    "premium:user:basemaps",
    "premium:user:staticbasemaptiles",
    "premium:user:geoenrichment",
    "premium:user:elevation",
    "premium:user:geocode:stored",
    "premium:user:geocode:temporary",
    "premium:user:places",
    "premium:user:networkanalysis:routing",
    "premium:user:networkanalysis:closestfacility",
    "premium:user:networkanalysis:locationallocation",
    "premium:user:networkanalysis:optimizedrouting",
    "premium:user:networkanalysis:origindestinationcostmatrix",
    "premium:user:networkanalysis:servicearea",
    "premium:user:networkanalysis:vehiclerouting",
    "premium:user:networkanalysis:lastmiledelivery",
];

/// Privileges only legacy API keys use.
pub const LEGACY: &[&str] = &[
    "portal:apikey:basemaps",
    "premium:user:geocode",
    "premium:user:demographics",
    "premium:user:featurereport",
    "premium:user:spatialanalysis",
    "premium:publisher:geoanalytics",
    "premium:publisher:rasteranalysis",
];

/// The prefix of an item-access privilege; a 32-hex item id follows.
pub const ITEM_ACCESS_PREFIX: &str = "portal:app:access:item:";

/// At most this many item-access privileges per credential.
pub const MAX_ITEM_ACCESS: usize = 100;

const USER_ROLE: &[&str] = &[
    "portal:user:createItem",
    "portal:user:joinGroup",
    "portal:user:shareToGroup",
    "portal:user:shareToOrg",
    "portal:user:viewOrgGroups",
    "portal:user:viewOrgItems",
    "portal:user:viewOrgUsers",
    "features:user:edit",
];

const PUBLISHER_ROLE: &[&str] = &[
    "portal:publisher:publishFeatures",
    "portal:publisher:publishTiles",
    "portal:publisher:publishScenes",
    "portal:user:shareToPublic",
];

const ADMIN_ROLE: &[&str] = &[
    "portal:admin:viewUsers",
    "portal:admin:viewItems",
    "portal:admin:updateItems",
    "portal:admin:deleteItems",
    "portal:admin:manageCredits",
    "portal:admin:viewUsage",
];

/// The portal privileges a role grants; location services come with every role here.
pub fn for_role(role: &str) -> Vec<String> {
    let mut out: Vec<&str> = USER_ROLE.to_vec();
    if matches!(role, "org_publisher" | "org_admin") {
        out.extend(PUBLISHER_ROLE);
    }
    if role == "org_admin" {
        out.extend(ADMIN_ROLE);
    }
    out.extend(LOCATION_SERVICES);
    out.extend(LEGACY);
    out.into_iter().map(str::to_owned).collect()
}

/// The item id of an item-access privilege, if `privilege` is one.
pub fn item_access_id(privilege: &str) -> Option<&str> {
    privilege.strip_prefix(ITEM_ACCESS_PREFIX)
}

/// Does `privilege` act as the key's owner (a portal or content privilege, not a location
/// service or item access)? Such keys need `isPersonalAPIToken=true` [Python].
pub fn is_personal(privilege: &str) -> bool {
    !LOCATION_SERVICES.contains(&privilege) && !LEGACY.contains(&privilege) && item_access_id(privilege).is_none()
}

pub fn is_item_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a privilege list for a registered app whose owner holds `owner_privileges`.
pub fn validate(privileges: &[String], owner_privileges: &[String]) -> Result<(), String> {
    let mut item_access = 0;
    for privilege in privileges {
        if let Some(id) = item_access_id(privilege) {
            if !is_item_id(id) {
                return Err(format!("Invalid privilege '{privilege}': item access needs a 32-character hex item id."));
            }
            item_access += 1;
            continue;
        }
        let known = LOCATION_SERVICES.contains(&privilege.as_str())
            || LEGACY.contains(&privilege.as_str())
            || owner_privileges.iter().any(|p| p == privilege);
        if !known {
            return Err(format!("Invalid privilege '{privilege}'."));
        }
    }
    if item_access > MAX_ITEM_ACCESS {
        return Err(format!(
            "At most {MAX_ITEM_ACCESS} items can be accessed by one credential; {item_access} were given."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(privileges: &[&str], expect_ok: bool) {
        let privileges: Vec<String> = privileges.iter().map(|p| p.to_string()).collect();
        let result = validate(&privileges, &for_role("org_user"));
        assert_eq!(result.is_ok(), expect_ok, "{privileges:?}: {result:?}");
    }

    #[test]
    fn accepts_catalog_owner_and_item_access_privileges() {
        check(&["premium:user:geocode:temporary", "premium:user:basemaps"], true);
        check(&["portal:apikey:basemaps"], true);
        check(&["portal:user:createItem"], true);
        check(&["portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e"], true);
        check(&[], true);
    }

    #[test]
    fn rejects_unknown_unheld_and_malformed_privileges() {
        check(&["premium:user:teleport"], false);
        check(&["portal:publisher:publishFeatures"], false); // org_user does not hold it
        check(&["portal:app:access:item:XYZ"], false);
    }

    #[test]
    fn personal_privileges_act_as_the_owner() {
        assert!(is_personal("portal:user:createItem") && is_personal("features:user:edit"));
        assert!(!is_personal("premium:user:basemaps") && !is_personal("portal:apikey:basemaps"));
        assert!(!is_personal("portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e"));
    }

    #[test]
    fn caps_item_access_at_one_hundred() {
        let ids: Vec<String> = (0..101).map(|i| format!("{ITEM_ACCESS_PREFIX}{i:032x}")).collect();
        assert!(validate(&ids[..100], &[]).is_ok());
        assert!(validate(&ids, &[]).unwrap_err().contains("101"));
    }
}
