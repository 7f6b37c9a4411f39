//! The inventory: one row per key, as CSV or JSON, with no secret in it (the client
//! secret is never in [`AppFacts`], and no key is kept). The manager's export and the
//! command line's `export` are this text.

use crate::attention::{AppFacts, SlotView, badges, slot_view};
use crate::dates::format_date;
use crate::model::{Item, KeyKind, Slot};
use crate::policy::Finding;
use crate::request::json_string;

/// One key as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryRow {
    pub id: String,
    pub title: String,
    /// "credential" or "legacy".
    pub kind: &'static str,
    pub owner: String,
    pub folder: Option<String>,
    pub tags: Vec<String>,
    pub created: String,
    pub modified: String,
    /// Each slot's state: "none", "active until YYYY-MM-DD", "expired YYYY-MM-DD".
    pub slots: [String; 2],
    /// `None` until the app is read.
    pub referrers: Option<Vec<String>>,
    pub privileges: Option<Vec<String>>,
    pub attention: Vec<&'static str>,
    /// The rules of a policy the key breaks, as `rule: reason`; `None` when no policy was
    /// applied (then the export has no policy column).
    pub policy: Option<Vec<String>>,
}

impl InventoryRow {
    pub fn new(item: &Item, app: Option<&AppFacts>, now_ms: i64) -> Self {
        let legacy = item.key_kind() == Some(KeyKind::Legacy);
        let slot = |slot| match slot_view(item, app, slot, now_ms) {
            _ if legacy => "retired".to_owned(),
            SlotView::Empty => "none".to_owned(),
            SlotView::Active { expires_ms } => format!("active until {}", format_date(expires_ms)),
            SlotView::Expired { expires_ms } => format!("expired {}", format_date(expires_ms)),
        };
        Self {
            id: item.id.clone(),
            title: item.title.clone(),
            kind: if legacy { "legacy" } else { "credential" },
            owner: item.owner.clone(),
            folder: item.owner_folder.clone(),
            tags: item.tags.clone(),
            created: format_date(item.created),
            modified: format_date(item.modified),
            slots: [slot(Slot::Primary), slot(Slot::Secondary)],
            referrers: app.map(|a| a.referrers.clone()),
            privileges: app.map(|a| a.privileges.clone()),
            // A data format: the same words whatever the screen's language.
            attention: badges(item, app, now_ms).into_iter().map(|b| b.word()).collect(),
            policy: None,
        }
    }

    /// The row with what `policy` finds, as [`crate::policy::check`] found it.
    pub fn with_policy(mut self, findings: &[Finding]) -> Self {
        self.policy = Some(findings.iter().map(|f| format!("{}: {}", f.rule.name(), f.message)).collect());
        self
    }
}

const COLUMNS: [&str; 12] = [
    "id",
    "title",
    "kind",
    "owner",
    "folder",
    "tags",
    "created",
    "modified",
    "key1",
    "key2",
    "referrers",
    "privileges",
];

/// RFC 4180 CSV with a header row; lists are joined with `; `. A cell that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
pub fn to_csv(rows: &[InventoryRow]) -> String {
    let with_policy = rows.iter().any(|row| row.policy.is_some());
    let mut out = COLUMNS.join(",");
    out.push_str(if with_policy { ",attention,policy\r\n" } else { ",attention\r\n" });
    for row in rows {
        let list = |v: &Option<Vec<String>>| v.as_ref().map(|v| v.join("; ")).unwrap_or_default();
        let cells = [
            row.id.clone(),
            row.title.clone(),
            row.kind.to_owned(),
            row.owner.clone(),
            row.folder.clone().unwrap_or_default(),
            row.tags.join("; "),
            row.created.clone(),
            row.modified.clone(),
            row.slots[0].clone(),
            row.slots[1].clone(),
            list(&row.referrers),
            list(&row.privileges),
            row.attention.join("; "),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        if with_policy {
            out.push(',');
            out.push_str(&csv_cell(&list(&row.policy)));
        }
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\r', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// A JSON array of objects with the CSV's columns; lists stay arrays, unknown ones `null`.
pub fn to_json(rows: &[InventoryRow]) -> String {
    let list = |v: &[String]| format!("[{}]", v.iter().map(|s| json_string(s)).collect::<Vec<_>>().join(","));
    let optional_list = |v: &Option<Vec<String>>| v.as_deref().map_or_else(|| "null".to_owned(), list);
    let objects: Vec<String> = rows
        .iter()
        .map(|row| {
            let attention: Vec<String> = row.attention.iter().map(|s| (*s).to_owned()).collect();
            let fields = [
                ("id", json_string(&row.id)),
                ("title", json_string(&row.title)),
                ("kind", json_string(row.kind)),
                ("owner", json_string(&row.owner)),
                ("folder", row.folder.as_deref().map_or_else(|| "null".to_owned(), json_string)),
                ("tags", list(&row.tags)),
                ("created", json_string(&row.created)),
                ("modified", json_string(&row.modified)),
                ("key1", json_string(&row.slots[0])),
                ("key2", json_string(&row.slots[1])),
                ("referrers", optional_list(&row.referrers)),
                ("privileges", optional_list(&row.privileges)),
                ("attention", list(&attention)),
            ];
            let mut body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            if let Some(findings) = &row.policy {
                body.push(format!("\"policy\":{}", list(findings)));
            }
            format!("{{{}}}", body.join(","))
        })
        .collect();
    format!("[\n{}\n]\n", objects.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Rule;

    fn row(title: &str) -> InventoryRow {
        InventoryRow {
            id: "0123456789abcdef0123456789abcdef".into(),
            title: title.into(),
            kind: "credential",
            owner: "jsmith".into(),
            folder: None,
            tags: vec!["a".into(), "b".into()],
            created: "2026-01-02".into(),
            modified: "2026-03-04".into(),
            slots: ["active until 2026-12-01".into(), "none".into()],
            referrers: Some(vec!["https://example.com".into()]),
            privileges: None,
            attention: vec!["No key generated"],
            policy: None,
        }
    }

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        let csv = to_csv(&[row("Maps, \"prod\""), row("=HYPERLINK(\"x\")"), row("\t=1+1"), row("\r@SUM(A1)")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "id,title,kind,owner,folder,tags,created,modified,key1,key2,referrers,privileges,attention"
        );
        assert_eq!(
            lines[1],
            "0123456789abcdef0123456789abcdef,\"Maps, \"\"prod\"\"\",credential,jsmith,,a; b,2026-01-02,2026-03-04,\
             active until 2026-12-01,none,https://example.com,,No key generated"
        );
        assert!(lines[2].contains(",\"'=HYPERLINK(\"\"x\"\")\","), "{}", lines[2]);
        assert!(lines[3].contains(",'\t=1+1,"), "a leading tab is defused too: {}", lines[3]);
        assert!(csv.contains(",\"'\r@SUM(A1)\","), "and a leading carriage return: {csv:?}");
    }

    #[test]
    fn a_policy_adds_its_column_with_each_reason() {
        let finding = Finding { rule: Rule::RequireReferrers, slot: None, message: "no referrers".into() };
        let checked = [row("Maps").with_policy(&[finding.clone(), finding]), row("Routes").with_policy(&[])];
        let csv = to_csv(&checked);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].ends_with(",attention,policy"), "{}", lines[0]);
        assert!(
            lines[1].ends_with(",require-referrers: no referrers; require-referrers: no referrers"),
            "{}",
            lines[1]
        );
        assert!(lines[2].ends_with(",No key generated,"), "a key within the policy: {}", lines[2]);
        let json = to_json(&checked);
        assert!(json.contains(r#""policy":["require-referrers: no referrers","#), "{json}");
        assert!(json.contains(r#""policy":[]"#), "{json}");
        assert!(!to_json(&[row("Maps")]).contains("policy"), "no policy, no column");
    }

    #[test]
    fn json_escapes_and_keeps_unknowns_null() {
        let json = to_json(&[row("Line\nbreak \"quoted\" </script>")]);
        assert!(json.contains(r#""title":"Line\nbreak \"quoted\" \u003c/script>""#), "{json}");
        assert!(json.contains(r#""privileges":null"#));
        assert!(json.contains(r#""tags":["a","b"]"#));
        assert!(json.contains(r#""folder":null"#));
    }
}
