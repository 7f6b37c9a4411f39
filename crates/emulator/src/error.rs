//! Errors as the sharing API sends them: HTTP 200 with an `{"error":{…}}` body.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One error body of the contract (section 1). OAuth endpoints add `error` and
/// `error_description` inside the same object.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub message_code: Option<&'static str>,
    pub message: String,
    pub details: Vec<String>,
    pub oauth: Option<(&'static str, String)>,
}

impl ApiError {
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self { code, message_code: None, message: message.into(), details: Vec::new(), oauth: None }
    }

    pub fn with_message_code(mut self, message_code: &'static str) -> Self {
        self.message_code = Some(message_code);
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    /// 400 with the detail naming what to fix.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// 400 for a missing required parameter, worded as the service words it.
    pub fn missing(field: &str) -> Self {
        Self::new(400, format!("'{field}' must be specified."))
    }

    /// 499: the call needs a token and none came.
    pub fn token_required() -> Self {
        Self::new(499, "Token Required").with_message_code("GWM_0003").with_detail("Token Required")
    }

    /// 498: the token is unknown, revoked or expired.
    pub fn invalid_token() -> Self {
        Self::new(498, "Invalid token.")
    }

    /// 403: the caller may not touch this.
    pub fn forbidden() -> Self {
        Self::new(403, "You do not have permissions to access this resource or perform this operation.")
            .with_message_code("GWM_0003")
    }

    /// 400 `CONT_0001`: no such item, or not the caller's to see.
    pub fn item_not_found() -> Self {
        Self::new(400, "Item does not exist or is inaccessible.").with_message_code("CONT_0001")
    }

    /// 400 `GWM_0007`: the request itself makes no sense (unknown path, GET on a write).
    pub fn invalid_request(detail: impl Into<String>) -> Self {
        Self::new(400, "Invalid request").with_message_code("GWM_0007").with_detail(detail)
    }

    /// An OAuth failure: `error`/`error_description` beside the usual fields.
    pub fn oauth(error: &'static str, description: impl Into<String>) -> Self {
        let description = description.into();
        Self { oauth: Some((error, description.clone())), ..Self::new(400, description) }
    }

    pub fn to_json(&self) -> Value {
        let mut body = json!({ "code": self.code, "message": self.message, "details": self.details });
        if let Some(message_code) = self.message_code {
            body["messageCode"] = json!(message_code);
        }
        if let Some((error, description)) = &self.oauth {
            body["error"] = json!(error);
            body["error_description"] = json!(description);
        }
        json!({ "error": body })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Json(self.to_json()).into_response()
    }
}

pub type ApiResult<T = Response> = Result<T, ApiError>;
