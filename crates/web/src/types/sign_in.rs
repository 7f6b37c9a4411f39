//! Sign-in: the options of `signIn`, `fromToken`, `fromApiKey`, `fromRefreshToken` and the
//! OAuth functions, what keeps a sign-in, and the user.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `signIn`: a username and password (`generateToken`).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SignInOptions {
    /// The portal's sharing REST URL. Default: ArcGIS Online, `https://www.arcgis.com/sharing/rest`.
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub username: String,
    pub password: String,
    /// The origin the token is bound to. Default: the page's origin (`http://localhost` in Node).
    #[serde(default)]
    #[tsify(optional)]
    pub referer: Option<String>,
}

/// `fromToken`: a token the caller already holds.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TokenOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub token: String,
    /// When the token expires (epoch ms), if known.
    #[serde(default)]
    #[tsify(optional)]
    pub expires: Option<i64>,
}

/// `fromApiKey`: an API key whose credential holds personal privileges (an
/// administrator's automation key), which acts as the credential's owner.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub key: String,
    /// The credential's owner. Needed only where the portal does not say whose key it
    /// is; when given, it must be the owner the portal names.
    #[serde(default)]
    #[tsify(optional)]
    pub username: Option<String>,
}

/// `beginNativeOAuth`: "Sign in with ArcGIS" for a program outside the browser (a
/// command line), with PKCE: a loopback redirect (`http://127.0.0.1:PORT/…`) or the
/// out-of-band one (`urn:ietf:wg:oauth:2.0:oob`, the portal shows a code to paste).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct NativeOAuthOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub client_id: String,
    pub redirect_uri: String,
    /// How long the sign-in may renew itself, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// `fromRefreshToken`: a sign-in kept as its refresh token (`Session.keptSignIn()`).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RefreshOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    pub client_id: String,
    pub refresh_token: String,
    /// When the refresh token expires (epoch ms), if known.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_expires: Option<i64>,
}

/// `Session.renewSignIn`: trading a refresh token for a new one.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RenewOptions {
    /// One registered for the app (the one the sign-in used).
    pub redirect_uri: String,
    /// How long the new refresh token may live, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// What keeps an OAuth sign-in for later (a command line's profile): never a password.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct KeptSignIn {
    pub portal: String,
    pub username: String,
    pub client_id: String,
    pub refresh_token: String,
    /// Epoch ms.
    pub refresh_expires: i64,
}

/// `beginOAuth`: "Sign in with ArcGIS" (OAuth 2 with PKCE).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OAuthOptions {
    #[serde(default)]
    #[tsify(optional)]
    pub portal: Option<String>,
    /// The OAuth app's client id.
    pub client_id: String,
    /// Registered for the app, exactly; its page calls `completeOAuth()`.
    pub redirect_uri: String,
    /// `true` (default): sign in in a popup and resolve with the session. `false`: this
    /// page navigates to the portal, and the redirect page's `completeOAuth()` resolves.
    #[serde(default)]
    #[tsify(optional)]
    pub popup: Option<bool>,
    /// How long the session may renew itself, in minutes. Default: two weeks.
    #[serde(default)]
    #[tsify(optional)]
    pub refresh_minutes: Option<u32>,
}

/// The signed-in user.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub username: String,
    pub full_name: String,
    pub org_id: Option<String>,
    pub role: Option<String>,
    pub privileges: Vec<String>,
}

impl From<arcgis_keys::model::User> for User {
    fn from(user: arcgis_keys::model::User) -> Self {
        Self {
            username: user.username,
            full_name: user.full_name,
            org_id: user.org_id,
            role: user.role,
            privileges: user.privileges,
        }
    }
}
