//! Reading one credential: its item and its registered app.

use crate::client::Client;
use crate::error::Error;
use crate::model::{AppInfo, Credential, Item};
use crate::paths;
use crate::request::ApiRequest;
use crate::transport::Transport;

pub(crate) fn item_request(id: &str) -> ApiRequest {
    ApiRequest::read(paths::item(id))
}

/// The app behind item `id` of `owner` (a POST, as REST JS sends it).
pub(crate) fn app_request(owner: &str, id: &str) -> ApiRequest {
    ApiRequest::write(paths::item_action(owner, id, "registeredAppInfo"))
}

impl<T: Transport> Client<T> {
    /// An item by id (one round trip): a credential's, or one it may access.
    pub async fn item(&self, id: &str) -> Result<Item, Error> {
        self.call(&item_request(id)).await
    }

    /// The app behind an item the caller already has (one round trip).
    pub async fn credential_of(&self, item: Item) -> Result<Credential, Error> {
        let app: AppInfo = self.call(&app_request(&item.owner, &item.id)).await?;
        Ok(Credential { item, app })
    }

    /// A credential by item id. The item and the app are fetched at once, assuming the
    /// signed-in user owns the item; for someone else's item (an admin's view) the app
    /// is fetched again under its owner.
    pub async fn credential(&self, id: &str) -> Result<Credential, Error> {
        let me = self.username()?;
        let (item, app) = futures_util::future::join(self.item(id), self.call::<AppInfo>(&app_request(&me, id))).await;
        let item = item?;
        if item.owner != me {
            return self.credential_of(item).await;
        }
        Ok(Credential { item, app: app? })
    }
}
