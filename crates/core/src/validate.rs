//! The rules a client enforces before sending: every input that reaches a request has
//! been through one of these types, so a request can never carry a value the portal
//! would reject for a reason we could have told the user first.

use crate::dates::{self, DAY_MS};
use crate::error::{Field, InputError};
use crate::privileges::ITEM_ACCESS_PREFIX;

/// The expiration a new key gets unless the user picks one.
pub const DEFAULT_EXPIRATION_MS: i64 = 30 * DAY_MS;

/// The lifetimes, in days, every front end offers beside a custom date.
pub const EXPIRATION_PRESET_DAYS: [i64; 6] = [7, 30, 60, 90, 180, 365];
/// At most this many items per credential.
pub const MAX_ITEM_ACCESS: usize = 100;
/// The portal's limit on item titles.
pub const MAX_TITLE_CHARS: usize = 250;

/// The portal's limit on an item's snippet (its summary).
pub const MAX_SNIPPET_CHARS: usize = 2048;

/// Characters no title, tag or summary should hold: control characters (line breaks
/// too, unless `multiline`), and the bidirectional embeddings, overrides and isolates
/// that make text read differently from how it is stored.
fn hidden_character(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks `text` for characters that would hide what it says.
pub fn plain_text(field: Field, text: &str, multiline: bool) -> Result<(), InputError> {
    if text.chars().any(|c| hidden_character(c, multiline)) {
        return Err(InputError::new(
            field,
            "Remove the control or text-direction characters: they hide what the text says.",
        ));
    }
    Ok(())
}

/// Tags as the portal stores them: trimmed, empty ones dropped, none holding a comma
/// (the portal splits tags at commas, so `a,b` would become two).
pub fn tags(list: &[String]) -> Result<Vec<String>, InputError> {
    let mut out = Vec::new();
    for tag in list {
        let tag = tag.trim();
        if tag.contains(',') {
            return Err(InputError::new(
                Field::Tags,
                format!("'{tag}' holds a comma; the portal would split it into two tags."),
            ));
        }
        plain_text(Field::Tags, tag, false)?;
        if !tag.is_empty() {
            out.push(tag.to_owned());
        }
    }
    Ok(out)
}

/// A summary (snippet) or description: plain text, the summary at most 2048 characters.
pub fn summary(field: Field, text: &str) -> Result<(), InputError> {
    let multiline = field == Field::Description;
    plain_text(field, text, multiline)?;
    if field == Field::Snippet && text.chars().count() > MAX_SNIPPET_CHARS {
        return Err(InputError::new(field, format!("Use at most {MAX_SNIPPET_CHARS} characters.")));
    }
    Ok(())
}

/// Is `host` this machine (`localhost`, `127.0.0.0/8`, `[::1]`)? Plain `http://` is
/// allowed only for these: anywhere else a password or key would cross the network
/// in the clear.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        })
}

/// An item title: not empty after trimming, at most 250 characters, plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn new(text: &str) -> Result<Self, InputError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(InputError::new(Field::Title, "Enter a title."));
        }
        plain_text(Field::Title, text, false)?;
        if text.chars().count() > MAX_TITLE_CHARS {
            return Err(InputError::new(Field::Title, format!("Use at most {MAX_TITLE_CHARS} characters.")));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key's expiration, epoch milliseconds: the end of a day (UTC), as the service rounds
/// it, after today's now and at most a year ahead (the same calendar day next year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expiration(i64);

impl Expiration {
    /// The end of the day `at_ms` falls on, if that is allowed. The one rule for every
    /// date a front end takes: a date, an instant that day, and `30d` mean the same.
    pub fn new(at_ms: i64, now_ms: i64) -> Result<Self, InputError> {
        let at = dates::end_of_day(at_ms);
        if at <= now_ms {
            return Err(InputError::new(Field::Expires, "Choose a date in the future."));
        }
        if at > Self::latest(now_ms) {
            return Err(InputError::new(Field::Expires, "Choose a date at most one year from today."));
        }
        Ok(Self(at))
    }

    /// `--expires` and the like: a number of days from now (`90d`) or a date
    /// (`2027-03-31`), each meaning the end of that day, UTC.
    pub fn parse(text: &str, now_ms: i64) -> Result<Self, InputError> {
        let at = match dates::parse_days(text) {
            Some(days) => Some(now_ms.saturating_add(days.saturating_mul(DAY_MS))),
            None => dates::parse_date(text),
        };
        let Some(at) = at.filter(|_| !text.trim().is_empty() && text.trim() == text) else {
            return Err(InputError::new(
                Field::Expires,
                format!(
                    "Use a number of days such as 90d or a date such as 2027-03-31, not \"{}\".",
                    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>()
                ),
            ));
        };
        Self::new(at, now_ms)
    }

    /// The latest expiration allowed now: the end of the same day next year.
    pub fn latest(now_ms: i64) -> i64 {
        dates::one_year_after(now_ms)
    }

    /// One month from `now_ms`, the default for a new key.
    pub fn default_from(now_ms: i64) -> Self {
        Self(dates::end_of_day(now_ms + DEFAULT_EXPIRATION_MS))
    }

    /// The default for a key that replaces the one expiring at `replaced_ms`: never
    /// sooner than the key it replaces (regenerating must not shorten a key's life by
    /// accident), never sooner than the default month, never past the year allowed.
    pub fn for_regeneration(replaced_ms: Option<i64>, now_ms: i64) -> Self {
        let floor = Self::default_from(now_ms).0;
        Self(dates::end_of_day(replaced_ms.map_or(floor, |at| at.max(floor))).min(Self::latest(now_ms)))
    }

    pub fn epoch_ms(self) -> i64 {
        self.0
    }
}

/// A referrer restriction: `https://host[:port][/path]`, with `*.` allowed only as the
/// first label of the host (`https://*.example.com`). `http://` is accepted for local
/// development origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer(String);

/// The rule, worded for people; forms show it beside the field.
pub const REFERRER_RULE: &str = "Use https://host[:port][/path], for example https://app.example.com or https://*.example.com:8443/maps; \
     * may only stand for the first part of the host.";

impl Referrer {
    pub fn new(text: &str) -> Result<Self, InputError> {
        let fail = |why: &str| {
            Err(InputError::new(Field::Referrers, format!("'{text}' is not a valid referrer: {why}. {REFERRER_RULE}")))
        };
        let text_trimmed = text.trim();
        if text_trimmed.is_empty() {
            return fail("it is empty");
        }
        if text_trimmed.contains(char::is_whitespace) {
            return fail("it contains a space");
        }
        let Some((scheme, rest)) = text_trimmed.split_once("://") else { return fail("it has no https:// scheme") };
        if scheme != "https" && scheme != "http" {
            return fail("the scheme must be https or http");
        }
        if rest.contains(['?', '#']) {
            return fail("it has a query or fragment");
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if let Some(port) = port
            && !port.parse::<u16>().is_ok_and(|p| p > 0)
        {
            return fail("the port must be a number from 1 to 65535");
        }
        if scheme == "http" && !is_loopback_host(host) {
            return fail("http:// is only for this machine (localhost, 127.0.0.1); use https://");
        }
        let labels: Vec<&str> = host.split('.').collect();
        for (i, label) in labels.iter().enumerate() {
            if *label == "*" && i == 0 && labels.len() > 2 {
                continue;
            }
            if label.contains('*') {
                return fail("* may only be the whole first part of a host with at least two parts after it");
            }
            let valid = !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-');
            if !valid {
                return fail("the host name is not valid");
            }
        }
        if path.contains('*') {
            return fail("* may not appear in the path");
        }
        let normalized = format!("{scheme}://{}{}", authority.to_ascii_lowercase(), path.trim_end_matches('/'));
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A credential's referrer list: each valid, none twice.
pub fn referrers<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Vec<Referrer>, InputError> {
    let mut out: Vec<Referrer> = Vec::new();
    for text in texts {
        let referrer = Referrer::new(text)?;
        if out.contains(&referrer) {
            return Err(InputError::new(Field::Referrers, format!("'{}' is listed twice.", referrer.as_str())));
        }
        out.push(referrer);
    }
    Ok(out)
}

/// A credential's privileges (item access apart): each well formed (`word:word[:word…]`,
/// letters, digits, `_` and `-`), none twice. Privileges the catalog does not know are
/// allowed: the portal grants any privilege its user holds and is the judge of the rest.
pub fn privileges<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>, InputError> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        if id.starts_with(ITEM_ACCESS_PREFIX) {
            return Err(InputError::new(Field::Privileges, "Choose items under item access, not as privileges."));
        }
        let words: Vec<&str> = id.split(':').collect();
        let well_formed = words.len() >= 2
            && words
                .iter()
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
        if !well_formed {
            return Err(InputError::new(
                Field::Privileges,
                format!("'{id}' is not a privilege: use words joined by colons, such as premium:user:basemaps."),
            ));
        }
        if out.iter().any(|p| p == id) {
            return Err(InputError::new(Field::Privileges, format!("'{id}' is listed twice.")));
        }
        out.push(id.to_owned());
    }
    Ok(out)
}

/// A credential must grant something: at least one privilege or one item. The wizard
/// asks this at its privileges step, before the item step can add an item.
pub fn some_access<P, I>(privileges: &[P], items: &[I]) -> Result<(), InputError> {
    if privileges.is_empty() && items.is_empty() {
        return Err(InputError::new(Field::Privileges, "Choose at least one privilege or one item."));
    }
    Ok(())
}

/// The items a credential may access: at most 100 distinct 32-hex item ids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemAccess(Vec<String>);

impl ItemAccess {
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Self, InputError> {
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            let id = id.trim().to_ascii_lowercase();
            if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(InputError::new(
                    Field::ItemAccess,
                    format!("'{id}' is not an item id (32 hexadecimal characters)."),
                ));
            }
            if !out.contains(&id) {
                out.push(id);
            }
        }
        if out.len() > MAX_ITEM_ACCESS {
            return Err(InputError::new(
                Field::ItemAccess,
                format!("A credential can access at most {MAX_ITEM_ACCESS} items; {} are selected.", out.len()),
            ));
        }
        Ok(Self(out))
    }

    pub fn ids(&self) -> &[String] {
        &self.0
    }

    /// The privileges that grant this access (`portal:app:access:item:{id}`).
    pub fn privileges(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|id| format!("{ITEM_ACCESS_PREFIX}{id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referrers_data_driven() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://app.example.com", Some("https://app.example.com")),
            ("https://App.Example.com/", Some("https://app.example.com")),
            ("https://*.example.com", Some("https://*.example.com")),
            ("https://*.example.com:8443/maps/", Some("https://*.example.com:8443/maps")),
            ("http://localhost:5173", Some("http://localhost:5173")),
            ("  https://a.b.c  ", Some("https://a.b.c")),
            ("app.example.com", None),
            ("ftp://app.example.com", None),
            ("https://", None),
            ("https://a b.com", None),
            ("https://a.*.example.com", None),
            ("https://*.com", None),
            ("https://ex*ample.com", None),
            ("https://example.com/*", None),
            ("https://example.com:0", None),
            ("https://example.com:99999", None),
            ("https://example.com?x=1", None),
            ("https://-bad.example.com", None),
            ("", None),
        ];
        for (text, expected) in cases {
            let result = Referrer::new(text);
            assert_eq!(result.as_ref().ok().map(Referrer::as_str), *expected, "{text}: {result:?}");
            if let Err(error) = result {
                assert_eq!(error.field.name(), "referrers");
                assert!(error.rule.contains("https://host"), "the rule is shown: {error}");
            }
        }
    }

    #[test]
    fn hidden_characters_commas_in_tags_and_http_off_this_machine_are_refused() {
        assert_eq!(Title::new("Store\u{202E}finder").unwrap_err().field.name(), "title");
        assert_eq!(Title::new("Store\nfinder").unwrap_err().field.name(), "title");
        assert!(Title::new("Café – stores").is_ok());
        assert!(summary(Field::Description, "two\nlines").is_ok());
        assert_eq!(summary(Field::Snippet, "one\nline").unwrap_err().field.name(), "snippet");
        assert_eq!(summary(Field::Snippet, &"x".repeat(2049)).unwrap_err().field.name(), "snippet");
        assert_eq!(tags(&["a,b".into()]).unwrap_err().field.name(), "tags");
        assert_eq!(tags(&[" a ".into(), "".into(), "b".into()]).unwrap(), ["a", "b"]);
        assert!(Referrer::new("http://localhost:5173").is_ok() && Referrer::new("http://127.0.0.1:8080/app").is_ok());
        assert!(Referrer::new("http://shop.example.com").unwrap_err().rule.contains("only for this machine"));
        for (host, local) in
            [("localhost", true), ("127.0.0.1", true), ("[::1]", true), ("127.1", false), ("10.0.0.1", false)]
        {
            assert_eq!(is_loopback_host(host), local, "{host}");
        }
    }

    #[test]
    fn privileges_are_well_formed_and_unknown_ones_pass() {
        assert_eq!(privileges(["premium:user:basemaps", "portal:user:brandNew"]).unwrap().len(), 2);
        for (bad, rule) in [
            ("basemaps", "not a privilege"),
            ("premium::basemaps", "not a privilege"),
            ("premium:user:geo code", "not a privilege"),
            ("portal:app:access:item:da7720eff87c4f5b9504f526ad6f0c6e", "item access"),
        ] {
            let error = privileges([bad]).unwrap_err();
            assert_eq!(error.field.name(), "privileges");
            assert!(error.rule.contains(rule), "{bad}: {error}");
        }
        assert!(privileges(["premium:user:basemaps", "premium:user:basemaps"]).unwrap_err().rule.contains("twice"));
    }

    #[test]
    fn referrer_lists_refuse_duplicates() {
        assert!(referrers(["https://a.example.com", "https://b.example.com"]).is_ok());
        let error = referrers(["https://a.example.com", "https://A.example.com/"]).unwrap_err();
        assert!(error.rule.contains("listed twice"), "{error}");
    }

    #[test]
    fn expirations_are_the_end_of_a_day_in_the_future_and_within_a_year() {
        let now = dates::parse_date("2026-12-07").unwrap() - 3 * 3_600_000; // 21:00 UTC
        let end = |text| dates::parse_date(text).unwrap();
        let at = |ms| Expiration::new(ms, now).map(Expiration::epoch_ms);
        assert_eq!(at(now + 1), Ok(end("2026-12-07")), "later today is the end of today");
        assert_eq!(at(end("2027-03-31") - DAY_MS + 1), Ok(end("2027-03-31")), "any instant of a day is its end");
        assert_eq!(at(end("2027-12-07")), Ok(end("2027-12-07")), "the same day next year");
        assert!(at(end("2027-12-08")).unwrap_err().rule.contains("one year"));
        assert!(at(now - DAY_MS).unwrap_err().rule.contains("future"));
        let parsed = |text| Expiration::parse(text, now).map(Expiration::epoch_ms);
        assert_eq!(parsed("2027-03-31"), at(end("2027-03-31") - 5), "a date and an instant of it agree");
        assert_eq!(parsed("90d"), Ok(end("2027-03-07")));
        assert_eq!(parsed("365d"), Ok(end("2027-12-07")), "the one-year limit is the same whatever the form");
        assert!(parsed("366d").is_err());
        for bad in ["", "soon", "2027-02-30", " 90d", "90 d", "-3d"] {
            let error = parsed(bad).unwrap_err();
            assert_eq!(error.field.name(), "expires", "{bad}");
        }
        let regenerated = |replaced: Option<i64>| Expiration::for_regeneration(replaced, now).epoch_ms();
        assert_eq!(regenerated(None), end("2027-01-06"), "an empty slot: the default month");
        assert_eq!(Expiration::default_from(now).epoch_ms(), end("2027-01-06"));
        assert_eq!(regenerated(Some(end("2027-06-25"))), end("2027-06-25"), "a live key's life is kept");
        assert_eq!(regenerated(Some(now + 3 * DAY_MS)), end("2027-01-06"), "never under a month");
        assert_eq!(regenerated(Some(now - DAY_MS)), end("2027-01-06"), "an expired key");
        assert_eq!(regenerated(Some(now + 800 * DAY_MS)), end("2027-12-07"), "at most a year");
    }

    #[test]
    fn titles_and_item_access() {
        assert_eq!(Title::new("  Store finder ").unwrap().as_str(), "Store finder");
        assert_eq!(Title::new("   ").unwrap_err().field.name(), "title");
        assert!(Title::new(&"x".repeat(251)).is_err());
        let ids: Vec<String> = (0..101).map(|i| format!("{i:032x}")).collect();
        let hundred = ItemAccess::new(ids[..100].iter().map(String::as_str)).unwrap();
        assert_eq!(hundred.privileges().next().unwrap(), format!("portal:app:access:item:{:032x}", 0));
        assert!(ItemAccess::new(ids.iter().map(String::as_str)).unwrap_err().rule.contains("101"));
        let deduplicated =
            ItemAccess::new(["DA7720EFF87C4F5B9504F526AD6F0C6E", "da7720eff87c4f5b9504f526ad6f0c6e"]).unwrap();
        assert_eq!(deduplicated.ids().len(), 1);
        assert!(ItemAccess::new(["not-an-id"]).is_err());
    }
}
