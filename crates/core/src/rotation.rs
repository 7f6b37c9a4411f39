//! Rotation without downtime, as one rule for every front end: which slot a rotation
//! fills, when it must refuse, what a retry does, and what `retire` may stop.
//!
//! A rotation in progress is recorded on the credential itself, in the item's
//! `properties` under [`RECORD_KEY`] (contract section 13): the slot generated, the slot
//! to retire, when, by what, and whether the key was delivered. No secret is in it. The
//! command line, the JS API and the manager read it, so the next CI job knows what the
//! last one did: a delivered key is never replaced by a retry, an undelivered one is the
//! only key a retry stops, and `retire` never stops the only key that was delivered.
//!
//! The record is advice the portal's own state outranks: it counts only while its slot
//! holds a live key (`apiToken{N}Active`), so a stale record (its key invalidated
//! elsewhere, a finished rotation whose record was not cleared) changes nothing.

use crate::dates::format_date;
use crate::error::{Field, InputError};
use crate::json::Json;
use crate::model::{Credential, Item, KeyKind, Slot};

/// The key of `properties` that holds arcgis-keys' record.
pub const RECORD_KEY: &str = "arcgisKeys";

/// What arcgis-keys keeps on a credential: a rotation in progress, and when each slot's
/// key was made (the portal keeps no such date).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeysRecord {
    pub rotation: Option<RotationRecord>,
    /// When slot 1's and slot 2's keys were made by arcgis-keys; `None` if unknown.
    pub made: [Option<i64>; 2],
}

/// A rotation between its generate and its retire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationRecord {
    /// The slot whose new key the rotation made.
    pub slot: Slot,
    /// The slot to retire once the new key is deployed; `None` when no other key lived.
    pub retire: Option<Slot>,
    pub started_ms: i64,
    /// What made it: "arcgis-keys command line", "arcgis-keys manager", …
    pub by: String,
    /// The key reached its destination (a file, stdout, the screen).
    pub delivered: bool,
}

impl KeysRecord {
    /// The record on `item`; anything missing or malformed reads as no record.
    pub fn of(item: &Item) -> KeysRecord {
        let Some(record) = item.properties.as_ref().and_then(|p| p.get(RECORD_KEY)) else {
            return KeysRecord::default();
        };
        let slot = |value: Option<&Json>| {
            value.and_then(Json::as_i64).and_then(|n| u8::try_from(n).ok()).and_then(Slot::from_number)
        };
        let made = |n: usize| match record.get("made") {
            Some(Json::Array(dates)) => dates.get(n).and_then(Json::as_i64),
            _ => None,
        };
        let rotation = record.get("rotation").and_then(|r| {
            Some(RotationRecord {
                slot: slot(r.get("slot"))?,
                retire: slot(r.get("retire")),
                started_ms: r.get("started").and_then(Json::as_i64)?,
                by: r.get("by").and_then(Json::as_str).unwrap_or_default().to_owned(),
                delivered: r.get("delivered").and_then(Json::as_bool)?,
            })
        });
        KeysRecord { rotation, made: [made(0), made(1)] }
    }

    /// `properties` as `item` holds them with this record in place of arcgis-keys' own,
    /// as the JSON text an item update sends: everything else is kept as it was
    /// (`number` writes a number that is not an integer: [`crate::Transport::json_number`]).
    pub fn merged_into(&self, item: &Item, number: &dyn Fn(f64) -> String) -> String {
        let mut properties = item.properties.clone().unwrap_or(Json::Object(Vec::new()));
        properties.set(RECORD_KEY, self.to_json());
        properties.to_text(number)
    }

    fn to_json(&self) -> Json {
        let number = |n: Option<i64>| n.map_or(Json::Null, |n| Json::Number(n as f64));
        let rotation = self.rotation.as_ref().map_or(Json::Null, |r| {
            Json::Object(vec![
                ("slot".into(), Json::Number(f64::from(r.slot.number()))),
                ("retire".into(), number(r.retire.map(|s| i64::from(s.number())))),
                ("started".into(), Json::Number(r.started_ms as f64)),
                ("by".into(), Json::String(r.by.clone())),
                ("delivered".into(), Json::Bool(r.delivered)),
            ])
        });
        Json::Object(vec![
            ("version".into(), Json::Number(1.0)),
            ("rotation".into(), rotation),
            ("made".into(), Json::Array(self.made.iter().map(|m| number(*m)).collect())),
        ])
    }

    /// When `slot`'s key was made, if arcgis-keys made it.
    pub fn made(&self, slot: Slot) -> Option<i64> {
        self.made[usize::from(slot.number() - 1)]
    }

    pub(crate) fn set_made(&mut self, slot: Slot, at: Option<i64>) {
        self.made[usize::from(slot.number() - 1)] = at;
    }
}

/// What a rotation's generate step does now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RotationPlan {
    /// A new rotation: a key in `slot`. `replaces_live` only when the user named that
    /// slot's live key to stop.
    Generate { slot: Slot, retire: Option<Slot>, replaces_live: bool },
    /// The recorded rotation's key was never delivered: make `slot`'s key again. The only
    /// key this stops is one nobody holds.
    Redo { slot: Slot, retire: Option<Slot> },
    /// The recorded rotation's key was delivered: nothing to generate; deploy it, then
    /// retire `retire`.
    Deploy { slot: Slot, retire: Slot },
}

impl RotationPlan {
    /// The slot whose key the rotation makes (or made).
    pub fn slot(&self) -> Slot {
        match self {
            RotationPlan::Generate { slot, .. }
            | RotationPlan::Redo { slot, .. }
            | RotationPlan::Deploy { slot, .. } => *slot,
        }
    }

    /// The slot to retire once the new key is deployed.
    pub fn retire(&self) -> Option<Slot> {
        match self {
            RotationPlan::Generate { retire, .. } | RotationPlan::Redo { retire, .. } => *retire,
            RotationPlan::Deploy { retire, .. } => Some(*retire),
        }
    }

    /// Whether carrying it out asks the portal for a key (so the key needs somewhere to go).
    pub fn issues_key(&self) -> bool {
        !matches!(self, RotationPlan::Deploy { .. })
    }
}

/// What `retire` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retirement {
    pub keep: Slot,
    pub retire: Slot,
    /// `retire` holds a live key to invalidate; otherwise there is nothing to stop.
    pub stops_key: bool,
}

fn other(slot: Slot) -> Slot {
    match slot {
        Slot::Primary => Slot::Secondary,
        Slot::Secondary => Slot::Primary,
    }
}

impl Credential {
    fn refuse_legacy(&self) -> Result<(), InputError> {
        if self.item.key_kind() == Some(KeyKind::Legacy) {
            return Err(InputError::new(
                Field::Id,
                format!(
                    "{} is a legacy API key, retired on 2026-06-27, which has no key slots to rotate: replace it \
                     with an API key credential.",
                    self.item.id
                ),
            ));
        }
        Ok(())
    }

    /// arcgis-keys' record on this credential.
    pub fn keys_record(&self) -> KeysRecord {
        KeysRecord::of(&self.item)
    }

    /// The rotation in progress, if the record names one the portal's state still bears
    /// out: its key is live, and either it was never delivered or the key it replaces is
    /// still live too.
    pub fn rotation_in_progress(&self) -> Option<RotationRecord> {
        let record = self.keys_record().rotation?;
        let retire_live = record.retire.is_some_and(|s| self.app.is_active(s));
        (self.app.is_active(record.slot) && (!record.delivered || retire_live)).then_some(record)
    }

    /// What a rotation's generate step does, or why it must not run. `replace` names a
    /// live key the user chose to stop; without it, a live key is never replaced.
    pub fn rotation(&self, replace: Option<Slot>) -> Result<RotationPlan, InputError> {
        self.refuse_legacy()?;
        let live = |slot| self.app.is_active(slot);
        if let Some(record) = self.rotation_in_progress() {
            let redo = RotationPlan::Redo { slot: record.slot, retire: record.retire };
            match (replace, record.delivered, record.retire) {
                (None, false, _) => return Ok(redo),
                (Some(named), false, _) if named == record.slot => return Ok(redo),
                (None, true, Some(retire)) => return Ok(RotationPlan::Deploy { slot: record.slot, retire }),
                _ => {}
            }
        }
        let retire_of = |slot: Slot| live(other(slot)).then_some(other(slot));
        match replace {
            Some(slot) => Ok(RotationPlan::Generate { slot, retire: retire_of(slot), replaces_live: live(slot) }),
            None => match (live(Slot::Primary), live(Slot::Secondary)) {
                (true, true) => {
                    let until = |slot| {
                        self.item
                            .expiration(slot)
                            .map_or_else(|| "no known expiry".to_owned(), |at| format!("until {}", format_date(at)))
                    };
                    Err(InputError::new(
                        Field::Option("replace"),
                        format!(
                            "Both keys of \"{}\" are live (key 1 {}, key 2 {}), and either may be deployed: name \
                             the one to stop and replace (replace 1 or 2), or retire one first.",
                            self.item.title,
                            until(Slot::Primary),
                            until(Slot::Secondary)
                        ),
                    ))
                }
                (true, false) => Ok(RotationPlan::Generate {
                    slot: Slot::Secondary,
                    retire: Some(Slot::Primary),
                    replaces_live: false,
                }),
                (false, true) => Ok(RotationPlan::Generate {
                    slot: Slot::Primary,
                    retire: Some(Slot::Secondary),
                    replaces_live: false,
                }),
                (false, false) => {
                    Ok(RotationPlan::Generate { slot: Slot::Primary, retire: None, replaces_live: false })
                }
            },
        }
    }

    /// What retiring does, keeping `keep` (by default the recorded rotation's new key),
    /// or why it must not: it never leaves no live key, and never keeps a key that was
    /// never delivered in place of one that may be in use.
    pub fn retirement(&self, keep: Option<Slot>) -> Result<Retirement, InputError> {
        self.refuse_legacy()?;
        let record = self.rotation_in_progress();
        let Some(keep) = keep.or(record.as_ref().map(|r| r.slot)) else {
            return Err(InputError::new(
                Field::Option("keep"),
                "No rotation is recorded on this credential: name the key to keep (keep 1 or 2).",
            ));
        };
        let retire = other(keep);
        if record.is_some_and(|r| r.slot == keep && !r.delivered) {
            return Err(InputError::new(
                Field::Option("keep"),
                format!(
                    "Key {} was never delivered, so no app can be using it: generate it again (the rotation's \
                     generate step does), deploy it, then retire.",
                    keep.number()
                ),
            ));
        }
        if !self.app.is_active(keep) {
            return Err(InputError::new(
                Field::Option("keep"),
                format!(
                    "Key {} is not live: retiring key {} would leave no live key. Generate the new key first.",
                    keep.number(),
                    retire.number()
                ),
            ));
        }
        Ok(Retirement { keep, retire, stops_key: self.app.is_active(retire) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential(active: [bool; 2], expires: [i64; 2], properties: &str) -> Credential {
        let item = format!(
            r#"{{"id":"i","owner":"o","title":"Maps","type":"Application","apiToken1ExpirationDate":{},"apiToken2ExpirationDate":{},"properties":{properties}}}"#,
            expires[0], expires[1]
        );
        let app = format!(
            r#"{{"itemId":"i","client_id":"c","client_secret":"s","appType":"multiple","apiToken1Active":{},"apiToken2Active":{}}}"#,
            active[0], active[1]
        );
        Credential { item: serde_json::from_str(&item).unwrap(), app: serde_json::from_str(&app).unwrap() }
    }

    fn recorded(slot: u8, retire: u8, delivered: bool) -> String {
        format!(
            r#"{{"other":{{"kept":true}},"arcgisKeys":{{"version":1,"rotation":{{"slot":{slot},"retire":{retire},"started":5,"by":"test","delivered":{delivered}}},"made":[1,null]}}}}"#
        )
    }

    fn plan(active: [bool; 2], properties: &str, replace: Option<u8>) -> Result<(String, u8, Option<u8>), String> {
        let replace = replace.and_then(Slot::from_number);
        credential(active, [1_800_000_000_000, 1_810_000_000_000], properties)
            .rotation(replace)
            .map(|p| {
                let kind = match p {
                    RotationPlan::Generate { replaces_live: true, .. } => "replace",
                    RotationPlan::Generate { .. } => "generate",
                    RotationPlan::Redo { .. } => "redo",
                    RotationPlan::Deploy { .. } => "deploy",
                };
                (kind.to_owned(), p.slot().number(), p.retire().map(Slot::number))
            })
            .map_err(|e| e.rule)
    }

    #[test]
    fn a_new_rotation_fills_the_free_slot_and_never_replaces_a_live_key_unnamed() {
        assert_eq!(plan([true, false], "null", None), Ok(("generate".into(), 2, Some(1))));
        assert_eq!(plan([false, true], "null", None), Ok(("generate".into(), 1, Some(2))));
        assert_eq!(plan([false, false], "null", None), Ok(("generate".into(), 1, None)));
        let refused = plan([true, true], "null", None).unwrap_err();
        assert!(refused.contains("key 1 until 2027-01-15, key 2 until 2027-05-11"), "{refused}");
        assert_eq!(plan([true, true], "null", Some(1)), Ok(("replace".into(), 1, Some(2))));
        assert_eq!(plan([true, false], "null", Some(2)), Ok(("generate".into(), 2, Some(1))), "naming an empty slot");
    }

    #[test]
    fn a_recorded_rotation_is_resumed_never_repeated() {
        // Delivered, the old key still live: generating again changes nothing.
        assert_eq!(plan([true, true], &recorded(2, 1, true), None), Ok(("deploy".into(), 2, Some(1))));
        // Never delivered: only that key is made again.
        assert_eq!(plan([true, true], &recorded(2, 1, false), None), Ok(("redo".into(), 2, Some(1))));
        assert_eq!(plan([true, true], &recorded(2, 1, false), Some(2)), Ok(("redo".into(), 2, Some(1))));
        // Delivered and retired (the record not cleared): a new rotation.
        assert_eq!(plan([false, true], &recorded(2, 1, true), None), Ok(("generate".into(), 1, Some(2))));
        // The record's key is gone (invalidated elsewhere): the record counts for nothing.
        assert_eq!(plan([true, false], &recorded(2, 1, false), None), Ok(("generate".into(), 2, Some(1))));
        // Malformed records read as none.
        assert_eq!(plan([true, false], r#"{"arcgisKeys":{"rotation":{"slot":"2"}}}"#, None).unwrap().0, "generate");
        assert_eq!(plan([true, false], r#""text""#, None).unwrap().0, "generate");
        let wrapped = r#"{"arcgisKeys":{"rotation":{"slot":257,"started":5,"delivered":false}}}"#;
        assert_eq!(plan([true, true], wrapped, Some(1)).unwrap().0, "replace", "257 is no slot, not slot 1");
    }

    #[test]
    fn retire_keeps_a_delivered_live_key_only() {
        let retire = |active, properties: &str, keep: Option<u8>| {
            credential(active, [1, 1], properties)
                .retirement(keep.and_then(Slot::from_number))
                .map(|r| (r.keep.number(), r.retire.number(), r.stops_key))
                .map_err(|e| e.rule)
        };
        assert_eq!(retire([true, true], &recorded(2, 1, true), None), Ok((2, 1, true)), "the record says which");
        assert_eq!(retire([true, true], "null", Some(2)), Ok((2, 1, true)));
        assert_eq!(retire([false, true], "null", Some(2)), Ok((2, 1, false)), "nothing left to stop");
        assert!(retire([true, false], "null", Some(2)).unwrap_err().contains("would leave no live key"));
        assert!(retire([true, true], "null", None).unwrap_err().contains("name the key to keep"));
        assert!(retire([true, true], &recorded(2, 1, false), Some(2)).unwrap_err().contains("never delivered"));
    }

    #[test]
    fn the_record_is_merged_into_properties_keeping_the_rest() {
        let credential = credential([true, true], [1, 1], &recorded(2, 1, false));
        let mut record = credential.keys_record();
        assert_eq!(record.made(Slot::Primary), Some(1));
        if let Some(rotation) = record.rotation.as_mut() {
            rotation.delivered = true;
        }
        let text = record.merged_into(&credential.item, &|n: f64| n.to_string());
        let written: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(written["other"]["kept"], true, "another tool's property is kept");
        assert_eq!(written["arcgisKeys"]["rotation"]["delivered"], true);
        assert_eq!(written["arcgisKeys"]["rotation"]["slot"], 2);
        assert_eq!(written["arcgisKeys"]["made"], serde_json::json!([1, null]));
    }
}
