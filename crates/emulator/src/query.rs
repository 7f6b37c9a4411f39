//! The Lucene-like item query language of `/search` (contract section 6), the subset
//! clients use: `field:value`, quoted phrases, `AND`/`OR`/`NOT` (upper case), `+`/`-`,
//! parentheses (also after a field: `tags:(a OR b)`), trailing `*` wildcards and
//! `[a TO b]`/`{a TO b}` ranges on dates. Adjacent terms must all match, as the
//! current portal docs describe. Bare words search the default fields.

use crate::state::Item;

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Term { field: Option<String>, value: Value },
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Word(String),
    /// A word ending in `*`.
    Prefix(String),
    /// A quoted phrase, as written (exact fields compare it whole; text fields word by word).
    Phrase(String),
    Range {
        low: Option<i64>,
        high: Option<i64>,
        inclusive: bool,
    },
}

/// The deepest a query may nest (parentheses, `NOT`, `-`, `+`): parsing, matching and
/// dropping a query recurse once per level, so an unbounded query from any web page
/// (search is a simple GET) could overflow the stack and end the process.
pub const MAX_DEPTH: usize = 64;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 16_384;

/// Fields searched by a bare word.
const DEFAULT_FIELDS: &[&str] = &["title", "tags", "snippet", "description", "type", "typekeywords"];

pub fn parse(text: &str) -> Result<Query, String> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("the query is longer than {MAX_QUERY_CHARS} characters"));
    }
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, depth: 0 };
    let query = parser.or_expr(None)?;
    parser.skip_space();
    if parser.pos < parser.chars.len() {
        return Err(format!("unexpected '{}' at position {}", parser.chars[parser.pos], parser.pos + 1));
    }
    Ok(query)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// How many levels deep the parser is now (see [`MAX_DEPTH`]).
    depth: usize,
}

impl Parser {
    fn skip_space(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Consumes `word` if it comes next as a whole operator word.
    fn keyword(&mut self, word: &str) -> bool {
        self.skip_space();
        let end = self.pos + word.len();
        let matches = end <= self.chars.len()
            && self.chars[self.pos..end].iter().copied().eq(word.chars())
            && self.chars.get(end).is_none_or(|c| c.is_whitespace() || *c == '(' || *c == '"');
        if matches {
            self.pos = end;
        }
        matches
    }

    fn symbol(&mut self, symbol: &str) -> bool {
        self.skip_space();
        let end = self.pos + symbol.len();
        let matches = end <= self.chars.len() && self.chars[self.pos..end].iter().copied().eq(symbol.chars());
        if matches {
            self.pos = end;
        }
        matches
    }

    fn at_end_of_group(&mut self) -> bool {
        self.skip_space();
        self.peek().is_none_or(|c| c == ')')
    }

    fn or_expr(&mut self, field: Option<&str>) -> Result<Query, String> {
        let mut any = vec![self.and_expr(field)?];
        while self.keyword("OR") || self.symbol("||") {
            any.push(self.and_expr(field)?);
        }
        Ok(if any.len() == 1 { any.remove(0) } else { Query::Or(any) })
    }

    fn and_expr(&mut self, field: Option<&str>) -> Result<Query, String> {
        let mut all = vec![self.unary(field)?];
        loop {
            if self.keyword("AND") || self.symbol("&&") {
                all.push(self.unary(field)?);
            } else if self.keyword("NOT") {
                all.push(Query::Not(Box::new(self.unary(field)?)));
            } else if self.at_end_of_group() || self.next_is_or() {
                break;
            } else {
                all.push(self.unary(field)?);
            }
        }
        Ok(if all.len() == 1 { all.remove(0) } else { Query::And(all) })
    }

    fn next_is_or(&mut self) -> bool {
        let saved = self.pos;
        let is_or = self.keyword("OR") || self.symbol("||");
        self.pos = saved;
        is_or
    }

    /// One level deeper for `inner`, refused past [`MAX_DEPTH`].
    fn nested<T>(&mut self, inner: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("the query nests deeper than {MAX_DEPTH} levels of parentheses and NOT"));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn unary(&mut self, field: Option<&str>) -> Result<Query, String> {
        self.skip_space();
        if self.keyword("NOT") || self.symbol("-") || self.symbol("!") {
            return self.nested(|p| Ok(Query::Not(Box::new(p.unary(field)?))));
        }
        if self.symbol("+") {
            return self.nested(|p| p.unary(field));
        }
        self.primary(field)
    }

    fn primary(&mut self, field: Option<&str>) -> Result<Query, String> {
        self.skip_space();
        match self.peek() {
            None => Err("the query ends where a term was expected".into()),
            Some('(') => {
                self.pos += 1;
                let inner = self.nested(|p| p.or_expr(field))?;
                if !self.symbol(")") {
                    return Err("a '(' is never closed".into());
                }
                Ok(inner)
            }
            Some(')') => Err(format!("unexpected ')' at position {}", self.pos + 1)),
            Some('"') => Ok(Query::Term { field: field.map(str::to_owned), value: self.phrase()? }),
            Some(_) => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    self.pos += 1;
                }
                if field.is_none() && self.pos > start && self.peek() == Some(':') {
                    let name: String = self.chars[start..self.pos].iter().collect::<String>().to_lowercase();
                    self.pos += 1;
                    return match self.peek() {
                        Some('(') => self.primary(Some(&name)),
                        Some('"') => Ok(Query::Term { field: Some(name), value: self.phrase()? }),
                        Some('[' | '{') => Ok(Query::Term { field: Some(name), value: self.range()? }),
                        _ => Ok(Query::Term { field: Some(name), value: self.word()? }),
                    };
                }
                self.pos = start;
                Ok(Query::Term { field: field.map(str::to_owned), value: self.word()? })
            }
        }
    }

    fn word(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| !c.is_whitespace() && c != '(' && c != ')' && c != '"') {
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        if word.is_empty() {
            return Err(format!("a value is missing at position {}", start + 1));
        }
        Ok(match word.strip_suffix('*') {
            Some(prefix) => Value::Prefix(prefix.to_lowercase()),
            None => Value::Word(word),
        })
    }

    /// A quoted phrase; `\` escapes the next character, as in Lucene (`"DOMAIN\\jsmith"`).
    fn phrase(&mut self) -> Result<Value, String> {
        self.pos += 1; // opening quote
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err("a '\"' is never closed".into()),
                Some('"') => break,
                Some('\\') => {
                    self.pos += 1;
                    let escaped = self.peek().ok_or("a '\\' ends the query")?;
                    text.push(escaped);
                }
                Some(c) => text.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        Ok(Value::Phrase(text))
    }

    fn range(&mut self) -> Result<Value, String> {
        let inclusive = self.peek() == Some('[');
        self.pos += 1;
        let start = self.pos;
        while self.peek().is_some_and(|c| c != ']' && c != '}') {
            self.pos += 1;
        }
        if self.peek().is_none() {
            return Err("a range is never closed".into());
        }
        let body: String = self.chars[start..self.pos].iter().collect();
        self.pos += 1;
        let (low, high) =
            body.split_once(" TO ").ok_or_else(|| format!("a range needs 'low TO high', got '{body}'"))?;
        let bound = |s: &str| -> Result<Option<i64>, String> {
            let s = s.trim();
            if s == "*" {
                Ok(None)
            } else {
                s.parse().map(Some).map_err(|_| format!("'{s}' is not a number in a range"))
            }
        };
        Ok(Value::Range { low: bound(low)?, high: bound(high)?, inclusive })
    }
}

/// The words of a text: what lies between characters that are not letters or digits.
/// Searches compare them ignoring case, without allocating: a search tests every item.
fn words(text: &str) -> impl Iterator<Item = &str> + Clone {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty())
}

fn lowercase(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

/// Orders two texts as their lowercase forms order.
pub fn cmp_ignoring_case(a: &str, b: &str) -> std::cmp::Ordering {
    lowercase(a).cmp(lowercase(b))
}

/// Whether `text` has the words of `wanted`, in order and adjacent.
fn has_words(text: &str, wanted: &str) -> bool {
    if words(wanted).next().is_none() {
        return false;
    }
    // The common case, a keyword searched for whole (`typekeywords:"APIToken"`).
    if text.eq_ignore_ascii_case(wanted) {
        return true;
    }
    let mut rest = words(text);
    loop {
        let mut candidate = rest.clone();
        if words(wanted).all(|w| candidate.next().is_some_and(|t| lowercase(t).eq(lowercase(w)))) {
            return true;
        }
        if rest.next().is_none() {
            return false;
        }
    }
}

fn text_matches(text: &str, value: &Value) -> bool {
    match value {
        Value::Word(wanted) | Value::Phrase(wanted) => has_words(text, wanted),
        // The prefix is lowercase already (see `Parser::word`).
        Value::Prefix(prefix) => words(text).any(|w| {
            let mut word = lowercase(w);
            prefix.chars().all(|p| word.next() == Some(p))
        }),
        Value::Range { .. } => false,
    }
}

fn exact_matches(actual: &str, value: &Value, case_sensitive: bool) -> bool {
    let eq = |wanted: &str| {
        if case_sensitive { actual == wanted } else { actual.eq_ignore_ascii_case(wanted) }
    };
    match value {
        Value::Word(word) => eq(word),
        Value::Phrase(text) => eq(text),
        Value::Prefix(prefix) => actual.to_lowercase().starts_with(prefix.as_str()),
        Value::Range { .. } => false,
    }
}

fn number_matches(actual: i64, value: &Value) -> bool {
    match value {
        Value::Range { low, high, inclusive } => {
            let above = low.is_none_or(|l| if *inclusive { actual >= l } else { actual > l });
            let below = high.is_none_or(|h| if *inclusive { actual <= h } else { actual < h });
            above && below
        }
        Value::Word(word) => word.parse::<i64>().is_ok_and(|n| n == actual),
        _ => false,
    }
}

fn field_matches(item: &Item, field: &str, value: &Value) -> bool {
    let optional = |text: &Option<String>| text.as_deref().is_some_and(|t| text_matches(t, value));
    match field {
        "id" => exact_matches(&item.id, value, false),
        // Owner values are case-sensitive, as the portal documents.
        "owner" => exact_matches(&item.owner, value, true),
        "orgid" => exact_matches(&item.org_id, value, false),
        "access" => exact_matches(&item.access, value, false),
        "title" => text_matches(&item.title, value),
        "type" => text_matches(&item.item_type, value),
        "typekeywords" => item.type_keywords.iter().any(|k| text_matches(k, value)),
        "tags" => item.tags.iter().any(|t| text_matches(t, value)),
        "snippet" => optional(&item.snippet),
        "description" => optional(&item.description),
        "created" | "uploaded" => number_matches(item.created, value),
        "modified" => number_matches(item.modified, value),
        _ => false,
    }
}

impl Query {
    pub fn matches(&self, item: &Item) -> bool {
        match self {
            Query::Term { field: Some(field), value } => field_matches(item, field, value),
            Query::Term { field: None, value } => DEFAULT_FIELDS.iter().any(|f| field_matches(item, f, value)),
            Query::And(all) => all.iter().all(|q| q.matches(item)),
            Query::Or(any) => any.iter().any(|q| q.matches(item)),
            Query::Not(inner) => !inner.matches(item),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn item(title: &str, item_type: &str, keywords: &[&str], tags: &[&str], owner: &str) -> Item {
        Item {
            id: "da7720eff87c4f5b9504f526ad6f0c6e".into(),
            owner: owner.into(),
            org_id: "org".into(),
            title: title.into(),
            item_type: item_type.into(),
            type_keywords: keywords.iter().map(|s| s.to_string()).collect(),
            description: Some("Keys for the <b>store</b> finder".into()),
            snippet: None,
            tags: tags.iter().map(|s| s.to_string()).collect(),
            created: 1_000,
            modified: 2_000,
            access: "private".into(),
            owner_folder: None,
            num_views: 0,
            api_token1_expiration_date: -1,
            api_token2_expiration_date: -1,
            extra: BTreeMap::new(),
            properties: None,
            seq: 1,
        }
    }

    #[test]
    fn sorting_ignores_case() {
        use std::cmp::Ordering;
        assert_eq!(cmp_ignoring_case("apple", "Banana"), Ordering::Less);
        assert_eq!(cmp_ignoring_case("Äpfel", "äpfel"), Ordering::Equal);
        assert_eq!(cmp_ignoring_case("key 10", "Key 9"), Ordering::Less);
    }

    /// One row per case: query, whether it matches the credential, whether it matches the legacy key.
    #[test]
    fn data_driven() {
        let credential = item(
            "Storefront locator",
            "Application",
            &["Registered App", "APIToken"],
            &["production", "store front"],
            "jsmith",
        );
        let legacy = item("Legacy basemap key", "API Key", &["API Key", "Registered App"], &["legacy"], "jsmith");
        let cases: &[(&str, bool, bool)] = &[
            (r#"owner:jsmith AND typekeywords:"APIToken""#, true, false),
            (r#"owner:jsmith AND type:"API Key""#, false, true),
            (r#"owner:jsmith AND type:"Application" AND typekeywords:"Registered App""#, true, false),
            ("owner:JSMITH", false, false),
            ("owner:jsmith", true, true),
            (r#"owner:"jsmith""#, true, true),
            (r#"owner:"j.smith""#, false, false),
            ("storefront", true, false),
            ("storef*", true, false),
            ("basemap key", false, true),
            (r#""basemap key""#, false, true),
            (r#""key basemap""#, false, false),
            ("storefront OR legacy", true, true),
            ("owner:jsmith -legacy", true, false),
            ("owner:jsmith NOT tags:legacy", true, false),
            ("NOT owner:jsmith", false, false),
            ("(storefront OR legacy) AND type:application", true, false),
            ("tags:(legacy OR production)", true, true),
            (r#"tags:"store front""#, true, false),
            ("created:[0 TO 1000]", true, true),
            ("created:{0 TO 1000}", false, false),
            ("modified:[1500 TO *]", true, true),
            ("id:da7720eff87c4f5b9504f526ad6f0c6e", true, true),
            ("description:store", true, true),
            ("+owner:jsmith +legacy", false, true),
            ("owner:jsmith && tags:legacy || title:storefront", true, true),
            // Words match whole, ignoring case, anywhere in the field.
            ("STOREFRONT", true, false),
            ("title:locator", true, false),
            ("title:front", false, false),
            (r#"title:"STOREFRONT locator""#, true, false),
            (r#"title:"locator storefront""#, false, false),
            ("typekeywords:apitoken", true, false),
            ("typekeywords:registered", true, true),
            ("tags:front", true, false),
            ("title:LOC*", true, false),
            ("title:cator*", false, false),
        ];
        for (text, want_credential, want_legacy) in cases {
            let query = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(query.matches(&credential), *want_credential, "{text} vs credential: {query:?}");
            assert_eq!(query.matches(&legacy), *want_legacy, "{text} vs legacy: {query:?}");
        }
    }

    #[test]
    fn quoted_owners_match_whole_even_with_punctuation() {
        let dotted = item("t", "Application", &[], &[], "j.smith@org");
        assert!(parse(r#"owner:"j.smith@org""#).unwrap().matches(&dotted));
        assert!(!parse(r#"owner:"j.smith""#).unwrap().matches(&dotted));
        let domain = item("t", "Application", &[], &[], "DOMAIN\\j\"s");
        assert!(parse(r#"owner:"DOMAIN\\j\"s""#).unwrap().matches(&domain), "escapes are read");
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        for (text, expected) in [
            ("(a OR b", "never closed"),
            ("title:\"x", "never closed"),
            ("a)", "unexpected ')'"),
            ("created:[1 2]", "low TO high"),
            ("created:[a TO 2]", "not a number"),
            ("owner:", "value is missing"),
            (&"(".repeat(400), "deeper than 64 levels"),
            (&"NOT ".repeat(400), "deeper than 64 levels"),
            (&"-".repeat(65), "deeper than 64 levels"),
            (&"a ".repeat(9_000), "longer than 16384 characters"),
        ] {
            let err = parse(text).expect_err(&text[..text.len().min(40)]);
            assert!(err.contains(expected), "{}: {err}", &text[..text.len().min(40)]);
        }
    }
}
