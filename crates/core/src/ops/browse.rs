//! Browsing the user's own items and folders, to choose a credential's item access.

use serde::Deserialize;

use crate::client::Client;
use crate::error::Error;
use crate::model::Item;
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

impl<T: Transport> Client<T> {
    /// Items of the root (`folder: None`) or one folder, from `start` (1-based), 100 at a time.
    pub async fn browse(&self, folder: Option<&str>, start: usize) -> Result<ContentPage, Error> {
        let me = self.username()?;
        let request = ApiRequest::read(paths::content(&me, folder))
            .param("num", MAX_PAGE.to_string())
            .param("start", start.max(1).to_string());
        self.call(&request).await
    }
}
