//! An organization's keys, for its administrators: every member's credentials (the org
//! search of contract section 6), and every live key by its expiration from
//! `portals/self/apiTokens`. That query is undocumented, so when the portal refuses it
//! the org search and the items' dates stand in, and the answer says which was used.

use crate::client::Client;
use crate::error::{Error, Field, InputError};
use crate::model::{Item, KeyKind, Slot};
use crate::ops::list::{ListOptions, MAX_PAGE};
use crate::request::ApiRequest;
use crate::response;
use crate::transport::Transport;

/// Why a member may not read the organization's keys.
pub const NOT_ADMIN: &str =
    "Only an administrator of the organization can see every member's keys, and this account is not one.";

/// A year and a day: no live key expires later (a key lives at most a year).
pub const EVERY_LIVE_KEY_MS: i64 = 366 * 86_400_000;

/// One live key as the organization's expiry query lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringKey {
    pub item_id: String,
    pub title: String,
    pub owner: String,
    pub slot: Slot,
    /// Epoch ms.
    pub expires_ms: i64,
}

/// Where [`Client::keys_by_expiration`] found its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpirySource {
    /// `portals/self/apiTokens`: the portal's own list of live keys.
    ApiTokens,
    /// The org search and each item's slot dates (the portal refused `apiTokens`). An
    /// item's date can outlive an invalidated key, so this may name a key that is gone.
    Search,
}

/// The keys expiring in a window, and how they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysByExpiration {
    pub keys: Vec<ExpiringKey>,
    pub source: ExpirySource,
}

/// Which of the organization's credentials to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgFilter {
    /// One member's only.
    pub owner: Option<String>,
    /// Search words, as the portal's search reads them, that each credential must match.
    pub query: Option<String>,
}

/// The search for the credentials of organization `org_id` that `filter` keeps, and
/// its members' retired legacy keys (which a member's own listing shows too).
pub fn org_query(org_id: &str, filter: &OrgFilter) -> String {
    let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    let mut q = format!(
        "orgid:\"{}\" AND ((type:\"Application\" AND typekeywords:\"APIToken\") OR type:\"API Key\")",
        quote(org_id)
    );
    if let Some(owner) = &filter.owner {
        q.push_str(&format!(" AND owner:\"{}\"", quote(owner)));
    }
    if let Some(words) = &filter.query {
        // In parentheses: an OR in the words cannot widen the search past the organization.
        q.push_str(&format!(" AND ({words})"));
    }
    q
}

/// The window's bounds, checked: whole epoch ms, `from` before `to`.
fn window(from_ms: i64, to_ms: i64) -> Result<(), InputError> {
    if from_ms >= to_ms {
        return Err(InputError::new(Field::Option("to"), "Choose an end after the start."));
    }
    Ok(())
}

/// The keys of `items` whose slot dates fall in `from_ms..=to_ms`: the fallback's answer.
pub fn keys_from_items(items: &[Item], from_ms: i64, to_ms: i64) -> Vec<ExpiringKey> {
    let mut keys: Vec<ExpiringKey> = items
        .iter()
        .filter(|item| item.key_kind() == Some(KeyKind::Credential))
        .flat_map(|item| {
            [Slot::Primary, Slot::Secondary].into_iter().filter_map(move |slot| {
                let expires_ms = item.expiration(slot).filter(|at| (from_ms..=to_ms).contains(at))?;
                Some(ExpiringKey {
                    item_id: item.id.clone(),
                    title: item.title.clone(),
                    owner: item.owner.clone(),
                    slot,
                    expires_ms,
                })
            })
        })
        .collect();
    keys.sort_by(|a, b| a.expires_ms.cmp(&b.expires_ms).then_with(|| a.item_id.cmp(&b.item_id)));
    keys
}

/// The expiry query's answer by item, to lay each key's own expiration over an item's
/// slot dates. An item's date can differ from its key's (moved after the key was made),
/// and the query speaks for the key. A slot the query does not name keeps the item's
/// date: the query may lag, or leave out expired keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyExpiries {
    /// Sorted by item id and searched, rather than a map: one hash map type fewer in the wasm.
    by_item: Vec<ExpiringKey>,
}

impl KeyExpiries {
    pub fn new(mut keys: Vec<ExpiringKey>) -> Self {
        keys.sort_unstable_by(|a, b| a.item_id.cmp(&b.item_id));
        Self { by_item: keys }
    }

    pub fn is_empty(&self) -> bool {
        self.by_item.is_empty()
    }

    /// Sets `item`'s slot dates to its keys' own; whether any date moved. In place, so a
    /// caller holding thousands of items copies none of them.
    pub fn apply(&self, item: &mut Item) -> bool {
        let from = self.by_item.partition_point(|key| key.item_id < item.id);
        let to = from + self.by_item[from..].iter().take_while(|key| key.item_id == item.id).count();
        let mut moved = false;
        for key in &self.by_item[from..to] {
            if item.expiration(key.slot) != Some(key.expires_ms) {
                item.set_expiration(key.slot, key.expires_ms);
                moved = true;
            }
        }
        moved
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiTokensPage {
    #[serde(default)]
    items: Vec<ApiTokenEntry>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiTokenEntry {
    item_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner: String,
    api_token: u8,
    expiration_date: i64,
}

impl<T: Transport> Client<T> {
    /// The signed-in administrator's organization, from `community/self`. A member is
    /// refused before anything is searched: the portal would show them their own keys
    /// alone, which would read as the whole organization's.
    async fn admin_org_id(&self) -> Result<String, Error> {
        let user = match self.user() {
            Some(user) => user,
            None => self.me().await?,
        };
        let field = Field::Option("organization");
        if !user.is_admin() {
            return Err(Error::Input(InputError::new(field, NOT_ADMIN)));
        }
        user.org_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| Error::Input(InputError::new(field, "This account belongs to no organization.")))
    }

    /// Every credential of the signed-in administrator's organization that `filter`
    /// keeps, each with its owner.
    pub async fn list_org_credentials(&self, filter: &OrgFilter, options: ListOptions) -> Result<Vec<Item>, Error> {
        self.list_org_credentials_showing_first(filter, options, &mut |_| {}).await
    }

    /// [`Client::list_org_credentials`], handing the first page to `first_page` as soon
    /// as it arrives, so that a screen can show it while the rest are read.
    pub async fn list_org_credentials_showing_first(
        &self,
        filter: &OrgFilter,
        options: ListOptions,
        first_page: &mut dyn FnMut(&[Item]),
    ) -> Result<Vec<Item>, Error> {
        let q = org_query(&self.admin_org_id().await?, filter);
        self.search_all(q, options, first_page).await
    }

    /// Every live key of the organization expiring in `from_ms..=to_ms`, from
    /// `portals/self/apiTokens`: the first page, then the rest concurrently.
    pub async fn api_tokens(&self, from_ms: i64, to_ms: i64) -> Result<Vec<ExpiringKey>, Error> {
        window(from_ms, to_ms)?;
        self.admin_org_id().await?;
        let page = |start: usize| {
            ApiRequest::read("/portals/self/apiTokens")
                .param("num", MAX_PAGE.to_string())
                .param("start", start.to_string())
                .param("startExpirationDate", from_ms.to_string())
                .param("endExpirationDate", to_ms.to_string())
        };
        let mut entries = Vec::new();
        let mut decode_page = |json: &T::Json, _first: bool| -> Result<(), Error> {
            let page: ApiTokensPage = response::decode(self.transport(), json)?;
            entries.extend(page.items);
            Ok(())
        };
        self.pages(&page, MAX_PAGE, ListOptions::default().concurrency, &mut decode_page).await?;
        let mut seen = std::collections::HashSet::new();
        Ok(entries
            .into_iter()
            .filter_map(|entry| {
                let slot = Slot::from_number(entry.api_token)?;
                seen.insert((entry.item_id.clone(), entry.api_token)).then_some(ExpiringKey {
                    item_id: entry.item_id,
                    title: entry.title,
                    owner: entry.owner,
                    slot,
                    expires_ms: entry.expiration_date,
                })
            })
            .collect())
    }

    /// [`Client::api_tokens`], or, when the portal refuses that query, the org search
    /// and the items' dates; the answer says which.
    pub async fn keys_by_expiration(&self, from_ms: i64, to_ms: i64) -> Result<KeysByExpiration, Error> {
        window(from_ms, to_ms)?;
        match self.api_tokens(from_ms, to_ms).await {
            Ok(keys) => Ok(KeysByExpiration { keys, source: ExpirySource::ApiTokens }),
            // Refused or unknown here; a dropped connection or an ended session is not a refusal.
            Err(Error::Portal(_) | Error::Http { .. } | Error::Malformed(_)) => {
                let items = self.list_org_credentials(&OrgFilter::default(), ListOptions::default()).await?;
                Ok(KeysByExpiration { keys: keys_from_items(&items, from_ms, to_ms), source: ExpirySource::Search })
            }
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_org_query_quotes_its_values() {
        let base = r#"orgid:"Org1" AND ((type:"Application" AND typekeywords:"APIToken") OR type:"API Key")"#;
        assert_eq!(org_query("Org1", &OrgFilter::default()), base);
        let filter = OrgFilter { owner: Some("DOMAIN\\j\"s".into()), query: Some("maps OR routing".into()) };
        assert_eq!(org_query("Org1", &filter), format!(r#"{base} AND owner:"DOMAIN\\j\"s" AND (maps OR routing)"#));
    }

    #[test]
    fn the_keys_own_expiry_wins_and_unnamed_slots_keep_the_items_date() {
        let item = |id: &str, one: i64, two: i64| -> Item {
            serde_json::from_value(serde_json::json!({
                "id": id, "owner": "jsmith", "title": id, "type": "Application",
                "typeKeywords": ["Registered App", "APIToken"], "created": 0, "modified": 0,
                "apiToken1ExpirationDate": one, "apiToken2ExpirationDate": two,
            }))
            .unwrap()
        };
        let mut items = [item("a", 100, -1), item("b", 200, 300), item("c", 400, -1)];
        let key = |id: &str, slot, expires_ms| ExpiringKey {
            item_id: id.into(),
            title: String::new(),
            owner: String::new(),
            slot,
            expires_ms,
        };
        let keys = KeyExpiries::new(vec![
            key("x", Slot::Primary, 1),
            key("b", Slot::Primary, 200),
            key("a", Slot::Primary, 150),
        ]);
        let moved: Vec<bool> = items.iter_mut().map(|item| keys.apply(item)).collect();
        assert_eq!(moved, [true, false, false], "only the item whose date differs changes");
        assert_eq!(items[0].expiration(Slot::Primary), Some(150));
        assert_eq!(items[1].expiration(Slot::Secondary), Some(300), "a slot not named keeps its date");
        assert_eq!(items[2].expiration(Slot::Primary), Some(400));
    }

    #[test]
    fn a_window_must_end_after_it_starts() {
        assert!(window(1, 2).is_ok());
        assert_eq!(window(2, 2).unwrap_err().field, Field::Option("to"));
    }
}
