//! Errors: what the user typed wrong, what the portal said, and what went wrong between.

use std::fmt;

use serde::Deserialize;

/// Input that breaks a rule a client enforces before sending. It names the field and
/// the rule, so a form can show the message beside the field that needs fixing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {rule}")]
pub struct InputError {
    pub field: Field,
    /// What to fix, as a sentence.
    pub rule: String,
}

impl InputError {
    pub fn new(field: Field, rule: impl Into<String>) -> Self {
        Self { field, rule: rule.into() }
    }
}

/// The input a rule is about. Its [`Field::name`] is the one name every front end uses:
/// the JS API's option (`referrers`, `expires`), which the widget maps to its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Snippet,
    Description,
    Tags,
    Referrers,
    Privileges,
    /// One privilege named on its own (the key tester's).
    Privilege,
    ItemAccess,
    Expires,
    Slot,
    Folder,
    NewFolder,
    Portal,
    TypeKeywords,
    /// A JS API option of the wrong shape, by the name the caller gave it (`pageSize`,
    /// `start`), or the whole argument (`options`).
    Option(&'static str),
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Snippet => "snippet",
            Field::Description => "description",
            Field::Tags => "tags",
            Field::Referrers => "referrers",
            Field::Privileges => "privileges",
            Field::Privilege => "privilege",
            Field::ItemAccess => "itemAccess",
            Field::Expires => "expires",
            Field::Slot => "slot",
            Field::Folder => "folder",
            Field::NewFolder => "newFolder",
            Field::Portal => "portal",
            Field::TypeKeywords => "typeKeywords",
            Field::Option(name) => name,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The portal's own error body, kept whole: `{"error":{"code":…,"messageCode":…,…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerError {
    #[serde(deserialize_with = "code_number")]
    pub code: u16,
    #[serde(default)]
    pub message_code: Option<String>,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub details: Vec<String>,
    /// OAuth endpoints add `error` (`invalid_client_id`, …).
    #[serde(default, rename = "error")]
    pub oauth_error: Option<String>,
    /// Not the portal's: the personal privilege an API key needs for the refused call,
    /// added by the client to a 403 of a key session.
    #[serde(skip)]
    pub privilege: Option<&'static str>,
}

/// Codes arrive as numbers, and from some servers as strings.
fn code_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Number(u16),
        Text(String),
    }
    match Code::deserialize(deserializer)? {
        Code::Number(n) => Ok(n),
        Code::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

impl ServerError {
    /// An error the client words itself, in the portal's shape (a session that is over,
    /// an answer that did not confirm what it should have).
    pub fn from_client(code: u16, message: impl Into<String>, details: Vec<String>) -> Self {
        Self { code, message_code: None, message: message.into(), details, oauth_error: None, privilege: None }
    }
}

impl ServerError {
    /// Takes `secret` out of the portal's words wherever it stands (a secret shorter
    /// than six characters is no secret a portal would echo, and replacing it would
    /// mangle the message).
    pub fn redact(&mut self, secret: &str) {
        if secret.len() < 6 {
            return;
        }
        for text in std::iter::once(&mut self.message).chain(self.details.iter_mut()) {
            if text.contains(secret) {
                *text = text.replace(secret, "[redacted]");
            }
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {}", self.message, self.code)?;
        if let Some(message_code) = &self.message_code {
            write!(f, ", {message_code}")?;
        }
        f.write_str(")")?;
        let details: Vec<&str> = self.details.iter().map(String::as_str).filter(|d| *d != self.message).collect();
        if !details.is_empty() {
            write!(f, ": {}", details.join("; "))?;
        }
        Ok(())
    }
}

/// Everything a call to the portal can end in, other than success.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// 498 or 499: the session is over; sign in again (a refresh was tried if possible).
    #[error("Sign in again: {0}")]
    SignInRequired(ServerError),
    /// The portal refused the call and said why.
    #[error("The portal refused: {0}")]
    Portal(ServerError),
    /// An OAuth sign-in did not complete (denied, or an answer that does not match).
    #[error("Sign-in did not complete: {0}")]
    SignIn(String),
    /// The user stopped an OAuth sign-in (cancelled at the portal, or closed its window):
    /// nothing is wrong, and nothing changed.
    #[error("Sign-in was cancelled: {0}")]
    SignInCancelled(String),
    /// The input breaks a rule; nothing was sent.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The portal could not be reached, or the connection failed.
    #[error("The portal could not be reached: {0}")]
    Transport(String),
    /// A non-2xx answer without an error body (a gateway or outage).
    #[error("The portal answered HTTP {status}.")]
    Http { status: u16 },
    /// An answer that is not the JSON the contract describes.
    #[error("The portal's answer could not be read: {0}")]
    Malformed(String),
}

impl Error {
    /// Sorts a server error body: 498 and 499 mean "sign in again", nothing else does.
    pub fn from_server(error: ServerError) -> Self {
        match error.code {
            498 | 499 => Error::SignInRequired(error),
            _ => Error::Portal(error),
        }
    }

    /// Whether the portal may have done what was asked although the call failed: its
    /// answer was lost (no connection, a timeout, a gateway's status, an answer cut
    /// short) or was a server error (5xx). A refusal in the portal's words (4xx) means it
    /// did nothing, as does input refused before sending.
    pub fn may_have_acted(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Http { .. } | Error::Malformed(_) => true,
            Error::Portal(error) => error.code >= 500,
            Error::SignInRequired(_) | Error::SignIn(_) | Error::SignInCancelled(_) | Error::Input(_) => false,
        }
    }

    /// The server's code, if the portal answered with one.
    pub fn code(&self) -> Option<u16> {
        match self {
            Error::SignInRequired(e) | Error::Portal(e) => Some(e.code),
            Error::Http { status } => Some(*status),
            _ => None,
        }
    }
}
