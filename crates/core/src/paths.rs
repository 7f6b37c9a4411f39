//! Every path the client builds from user data or from the portal's answers, in one
//! place: each such segment is percent-encoded ([`segment`]), so an Enterprise username
//! such as `DOMAIN\jsmith` works and an id can never add steps to a path.

use crate::request::segment;

/// `/content/users/{owner}[/{folder}]`: a user's root folder or one of their folders.
pub(crate) fn content(owner: &str, folder: Option<&str>) -> String {
    match folder {
        Some(folder) => format!("/content/users/{}/{}", segment(owner), segment(folder)),
        None => format!("/content/users/{}", segment(owner)),
    }
}

/// `/content/users/{owner}[/{folder}]/addItem`
pub(crate) fn add_item(owner: &str, folder: Option<&str>) -> String {
    format!("{}/addItem", content(owner, folder))
}

/// `/content/users/{owner}/createFolder`
pub(crate) fn create_folder(owner: &str) -> String {
    format!("{}/createFolder", content(owner, None))
}

/// `/content/users/{owner}/items/{id}/{action}` (`update`, `delete`, `registeredAppInfo`).
pub(crate) fn item_action(owner: &str, id: &str, action: &str) -> String {
    format!("{}/items/{}/{action}", content(owner, None), segment(id))
}

/// `/content/items/{id}`
pub(crate) fn item(id: &str) -> String {
    format!("/content/items/{}", segment(id))
}

/// `/oauth2/apps/{client_id}/{action}` (`update`).
pub(crate) fn app_action(client_id: &str, action: &str) -> String {
    format!("/oauth2/apps/{}/{action}", segment(client_id))
}

/// `/community/users/{username}`
pub(crate) fn user(username: &str) -> String {
    format!("/community/users/{}", segment(username))
}

/// `/portals/{id}/usage`
pub(crate) fn usage(portal_id: &str) -> String {
    format!("/portals/{}/usage", segment(portal_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_cannot_escape_its_segment() {
        assert_eq!(item_action("DOMAIN\\jsmith", "abc", "update"), "/content/users/DOMAIN%5Cjsmith/items/abc/update");
        assert_eq!(item("../../portals/self"), "/content/items/..%2F..%2Fportals%2Fself");
        assert_eq!(content("jsmith", Some("..")), "/content/users/jsmith/%2E%2E");
        assert_eq!(app_action("a/b", "update"), "/oauth2/apps/a%2Fb/update");
    }
}
