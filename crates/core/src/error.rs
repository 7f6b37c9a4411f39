//! Errors the core reports before anything is sent.

/// Input that breaks a rule a client enforces before sending. It names the field and
/// the rule, so a form can show the message beside the field that needs fixing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {rule}")]
pub struct InputError {
    /// The input's name as the API and the forms call it (`httpReferrers`, `title`, …).
    pub field: &'static str,
    /// What to fix, as a sentence.
    pub rule: String,
}

impl InputError {
    pub fn new(field: &'static str, rule: impl Into<String>) -> Self {
        Self { field, rule: rule.into() }
    }
}
