//! Listing the user's keys: one search page first, then, with `total` known, the
//! remaining pages concurrently (bounded), assembled in order.

use futures_util::StreamExt;

use crate::client::Client;
use crate::error::Error;
use crate::model::{Item, KeyKind, SearchPage};
use crate::request::ApiRequest;
use crate::response;
use crate::transport::Transport;

/// The service's largest page.
pub const MAX_PAGE: usize = 100;
/// The portal serves at most this many results of one search; a larger `total` is
/// not trusted to plan pages.
pub const MAX_RESULTS: usize = 10_000;

/// The order keys are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortField {
    #[default]
    Created,
    Modified,
    Title,
}

/// How to list. `ListOptions::default()`: oldest first, pages of 100, 10 in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListOptions {
    pub sort: SortField,
    pub descending: bool,
    /// Items per page, 1 to 100.
    pub page_size: usize,
    /// Pages fetched at once after the first. ArcGIS Online speaks HTTP/2, which carries
    /// them all at once; over HTTP/1.1 a browser queues what exceeds its 6 connections
    /// per host, which costs nothing over a bound of 6.
    pub concurrency: usize,
}

impl Default for ListOptions {
    fn default() -> Self {
        Self { sort: SortField::Created, descending: false, page_size: MAX_PAGE, concurrency: 10 }
    }
}

/// The search query for `username`'s keys of `kind` (contract section 6): credentials
/// as the Python API finds them, an `Application` that is both a registered app and an
/// API token.
pub fn query(username: &str, kind: KeyKind) -> String {
    let owner = username.replace('\\', "\\\\").replace('"', "\\\"");
    match kind {
        KeyKind::Credential => format!(
            "owner:\"{owner}\" AND type:\"Application\" AND typekeywords:\"Registered App\" AND typekeywords:\"APIToken\""
        ),
        KeyKind::Legacy => format!("owner:\"{owner}\" AND type:\"API Key\""),
    }
}

/// The `start` of every page after the first, for `total` results (at most
/// [`MAX_RESULTS`]).
pub fn remaining_starts(total: usize, page_size: usize) -> Vec<usize> {
    let page_size = page_size.max(1);
    (1..total.min(MAX_RESULTS).div_ceil(page_size)).map(|page| page * page_size + 1).collect()
}

impl<T: Transport> Client<T> {
    /// Every key of `kind` the signed-in user owns, in the order `options` asks for.
    pub async fn list_keys(&self, kind: KeyKind, options: ListOptions) -> Result<Vec<Item>, Error> {
        self.list_keys_showing_first(kind, options, &mut |_| {}).await
    }

    /// [`Client::list_keys`], handing the first page to `first_page` as soon as it
    /// arrives, so a screen can show it while the rest are read.
    pub async fn list_keys_showing_first(
        &self,
        kind: KeyKind,
        options: ListOptions,
        first_page: &mut dyn FnMut(&[Item]),
    ) -> Result<Vec<Item>, Error> {
        let q = query(&self.username()?, kind);
        self.search_all(q, options, first_page).await
    }

    /// Every result of search `q`: the first page (handed to `first_page` at once), then
    /// the rest concurrently, in order.
    pub(crate) async fn search_all(
        &self,
        q: String,
        options: ListOptions,
        first_page: &mut dyn FnMut(&[Item]),
    ) -> Result<Vec<Item>, Error> {
        let page_size = options.page_size.clamp(1, MAX_PAGE);
        let sort_field = match options.sort {
            SortField::Created => "created",
            SortField::Modified => "modified",
            SortField::Title => "title",
        };
        let page = |start: usize| {
            ApiRequest::read("/search")
                .param("q", q.clone())
                .param("num", page_size.to_string())
                .param("start", start.to_string())
                .param("sortField", sort_field)
                .param("sortOrder", if options.descending { "desc" } else { "asc" })
        };
        let mut items = Vec::new();
        let mut decode_page = |json: &T::Json, first: bool| -> Result<(), Error> {
            let page: SearchPage = response::decode(self.transport(), json)?;
            if first {
                first_page(&page.results);
            }
            items.extend(page.results);
            Ok(())
        };
        self.pages(&page, page_size, options.concurrency, &mut decode_page).await?;
        // Pages can overlap when keys are added while listing: keep each id once.
        let mut seen = std::collections::HashSet::new();
        items.retain(|item| seen.insert(item.id.clone()));
        Ok(items)
    }
}

/// Takes one page's parsed answer, and whether it is the first.
pub(crate) type PageReader<'a, J> = dyn FnMut(&J, bool) -> Result<(), Error> + 'a;

/// What every paged answer (a search, the expiry query) says of its size.
#[derive(serde::Deserialize)]
struct Total {
    #[serde(default)]
    total: usize,
}

impl<T: Transport> Client<T> {
    /// Reads a paged answer: page 1, then, with its `total` known, every other page
    /// `concurrency` at a time, each handed to `each` in order (`true` for the first).
    /// Not generic over the page's type: one copy of the paging serves every paged read.
    pub(crate) async fn pages(
        &self,
        request: &dyn Fn(usize) -> ApiRequest,
        page_size: usize,
        concurrency: usize,
        each: &mut PageReader<'_, T::Json>,
    ) -> Result<(), Error> {
        let first = self.call_json(&request(1)).await?;
        let Total { total } = response::decode(self.transport(), &first)?;
        each(&first, true)?;
        let mut rest = futures_util::stream::iter(remaining_starts(total, page_size))
            .map(|start| {
                let request = request(start);
                async move { self.call_json(&request).await }
            })
            .buffered(concurrency.max(1));
        while let Some(next) = rest.next().await {
            each(&next?, false)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_after_the_first() {
        let cases: &[(usize, usize, &[usize])] = &[
            (0, 100, &[]),
            (100, 100, &[]),
            (101, 100, &[101]),
            (1000, 100, &[101, 201, 301, 401, 501, 601, 701, 801, 901]),
            (25, 10, &[11, 21]),
        ];
        for (total, size, expected) in cases {
            assert_eq!(remaining_starts(*total, *size), *expected, "{total}/{size}");
        }
        let capped = remaining_starts(usize::MAX, 100);
        assert_eq!((capped.len(), capped.last().copied()), (99, Some(9_901)), "a hostile total is capped");
    }

    #[test]
    fn queries_quote_the_owner() {
        assert_eq!(
            query("jsmith", KeyKind::Credential),
            r#"owner:"jsmith" AND type:"Application" AND typekeywords:"Registered App" AND typekeywords:"APIToken""#
        );
        assert_eq!(query("a\"b", KeyKind::Legacy), r#"owner:"a\"b" AND type:"API Key""#);
    }
}
