//! The names JavaScript sees for the steps of multi-step operations (an error's `step`,
//! a warning's `step`): one table per workflow, read by the errors and the answers.

use arcgis_keys::ops::create::Step;
use arcgis_keys::ops::keys::KeyStep;
use arcgis_keys::ops::update::UpdateStep;

pub(crate) fn create(step: Step) -> &'static str {
    match step {
        Step::CreateFolder => "createFolder",
        Step::AddItem => "addItem",
        Step::RegisterApp => "registerApp",
        Step::SetExpiration => "setExpiration",
        Step::GenerateKey(slot) if slot.number() == 1 => "generateKey1",
        Step::GenerateKey(_) => "generateKey2",
        Step::RemoveMarker => "removeMarker",
    }
}

pub(crate) fn key(step: KeyStep) -> &'static str {
    match step {
        KeyStep::ReadApp => "readApp",
        KeyStep::SetExpiration => "setExpiration",
        KeyStep::Generate => "generateKey",
        KeyStep::Invalidate => "invalidateKey",
    }
}

pub(crate) fn update(step: UpdateStep) -> &'static str {
    match step {
        UpdateStep::App => "updateApp",
        UpdateStep::Item => "updateItem",
    }
}
