//! Browsing the user's own items and folders, or searching them by words, to choose a
//! credential's item access.

use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::model::{Item, SearchPage};
use crate::ops::list::MAX_PAGE;
use crate::paths;
use crate::request::ApiRequest;
use crate::transport::Transport;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FolderInfo {
    pub id: String,
    pub title: String,
}

/// One page of a folder (or the root) and the user's folders.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentPage {
    pub total: usize,
    /// `-1` on the last page.
    pub next_start: i64,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub folders: Vec<FolderInfo>,
}

/// The search for `username`'s items holding every word of `words` (title, tags,
/// description or snippet), each word quoted so that none is read as query syntax.
pub fn content_query(username: &str, words: &str) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    let mut query = format!("owner:{}", quote(username));
    for word in words.split_whitespace() {
        query.push_str(" AND ");
        query.push_str(&quote(word));
    }
    query
}

impl<T: Transport> Client<T> {
    /// One page (100 from `start`, 1-based) of the signed-in user's items matching
    /// `words`, across every folder.
    pub async fn search_content(&self, words: &str, start: usize) -> Result<SearchPage, Error> {
        let request = ApiRequest::read("/search")
            .param("q", content_query(&self.username()?, words))
            .param("num", MAX_PAGE.to_string())
            .param("start", start.max(1).to_string())
            .param("sortField", "title")
            .param("sortOrder", "asc");
        self.call(&request).await
    }

    /// Items of the root (`folder: None`) or one folder, from `start` (1-based), 100 at a time.
    pub async fn browse(&self, folder: Option<&str>, start: usize) -> Result<ContentPage, Error> {
        let me = self.username()?;
        let request = ApiRequest::read(paths::content(&me, folder))
            .param("num", MAX_PAGE.to_string())
            .param("start", start.max(1).to_string());
        self.call(&request).await
    }
}

#[cfg(test)]
mod tests {
    use super::content_query;

    #[test]
    fn every_word_is_quoted_and_required() {
        assert_eq!(content_query("jsmith", "  store  locations "), r#"owner:"jsmith" AND "store" AND "locations""#);
        assert_eq!(content_query("jsmith", ""), r#"owner:"jsmith""#);
        assert_eq!(
            content_query(r"DOMAIN\j", r#"a"b OR"#),
            r#"owner:"DOMAIN\\j" AND "a\"b" AND "OR""#,
            "quotes and backslashes are escaped; OR is a word"
        );
    }
}
