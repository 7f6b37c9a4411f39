//! Legacy API keys (`type: "API Key"`): create, and reset their one key. Updating and
//! deleting share the credential operations.

use crate::client::Client;
use crate::error::{Error, InputError};
use crate::model::{AppInfo, Credential, Item, UNSET};
use crate::ops::create::{CreateError, Rollback, Step};
use crate::request::ApiRequest;
use crate::secret::Secret;
use crate::transport::Transport;
use crate::validate::{Referrer, Title};

#[derive(serde::Deserialize)]
struct AddItemResponse {
    id: String,
}

#[derive(serde::Deserialize)]
struct Success {}

impl<T: Transport> Client<T> {
    /// Creates a legacy API key (addItem → registerApp `apikey`); returns it with its key.
    /// If registering fails, the new item is deleted.
    pub async fn create_legacy_key(
        &self,
        title: &Title,
        privileges: &[String],
        referrers: &[Referrer],
    ) -> Result<(Credential, Secret), CreateError> {
        let fail = |step, error, rollback| CreateError { step, error, rollback };
        if privileges.is_empty() {
            let error = InputError::new("privileges", "Choose at least one privilege.").into();
            return Err(fail(Step::AddItem, error, Rollback::NothingCreated));
        }
        let me = self.username().map_err(|e| fail(Step::AddItem, e, Rollback::NothingCreated))?;
        let add = ApiRequest::write(format!("/content/users/{me}/addItem"))
            .param("title", title.as_str())
            .param("type", "API Key");
        let added: AddItemResponse =
            self.call(&add).await.map_err(|e| fail(Step::AddItem, e, Rollback::NothingCreated))?;
        let referrers: Vec<String> = referrers.iter().map(|r| r.as_str().to_owned()).collect();
        let register = ApiRequest::write("/oauth2/registerApp")
            .param("itemId", added.id.clone())
            .param("appType", "apikey")
            .json_list("redirect_uris", &[])
            .json_list("httpReferrers", &referrers)
            .json_list("privileges", privileges);
        let app: AppInfo = match self.call(&register).await {
            Ok(app) => app,
            Err(error) => {
                let delete = ApiRequest::write(format!("/content/users/{me}/items/{}/delete", added.id));
                let rollback = match self.call::<Success>(&delete).await {
                    Ok(_) => Rollback::Deleted,
                    Err(e) => Rollback::Failed { item_id: added.id.clone(), error: e },
                };
                return Err(fail(Step::RegisterApp, error, rollback));
            }
        };
        let key = app.api_key.clone().ok_or_else(|| {
            fail(Step::RegisterApp, Error::Malformed("registerApp returned no apiKey".into()), Rollback::NothingCreated)
        })?;
        let now = self.transport().now_ms();
        let item = Item {
            id: added.id,
            owner: me,
            title: title.as_str().to_owned(),
            item_type: "API Key".into(),
            type_keywords: vec!["API Key".into(), "Registered App".into()],
            tags: Vec::new(),
            description: None,
            snippet: None,
            created: now,
            modified: now,
            owner_folder: None,
            api_token1_expiration_date: UNSET,
            api_token2_expiration_date: UNSET,
        };
        Ok((Credential { item, app }, key))
    }

    /// Replaces a legacy key's key; the old one stops working at once.
    pub async fn reset_legacy_key(&self, credential: &mut Credential) -> Result<Secret, Error> {
        let request = ApiRequest::write(format!("/oauth2/apps/{}/resetApiKey", credential.app.client_id));
        let app: AppInfo = self.call(&request).await?;
        let key = app.api_key.clone().ok_or_else(|| Error::Malformed("resetApiKey returned no apiKey".into()))?;
        credential.app = app;
        Ok(key)
    }
}
