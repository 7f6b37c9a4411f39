//! Doctor: the user's portal settles the open points. In the Node entry only (the
//! `doctor` feature, which the command line runs); the browser entry leaves it out.

use arcgis_keys::ops::doctor::DoctorOptions as CoreOptions;
use arcgis_keys::ops::test_key::ServiceHosts;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::Session;
use crate::types::{self, from_js, to_js};

#[wasm_bindgen]
impl Session {
    /// Runs one probe per open point of the contract on throwaway credentials, and
    /// deletes them for good at the end (also after a failed probe). A probe this
    /// session cannot run is reported as not tested, with the reason. Node only: the
    /// browser entry leaves it out.
    #[wasm_bindgen(unchecked_return_type = "Promise<DoctorReport>")]
    pub fn doctor(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "DoctorOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.run(|inner| async move {
            let options: types::DoctorOptions = from_js(options.unwrap_or(JsValue::UNDEFINED), "options")?;
            let service_hosts = options.service_base.map_or(ServiceHosts::ArcGis, ServiceHosts::Base);
            let core = CoreOptions { read_only: options.read_only.unwrap_or(false), service_hosts };
            let keep = options.transcript == Some(true);
            if keep {
                inner.client.record();
            }
            let report = inner.client.doctor(&core).await;
            let transcript = keep.then(|| inner.client.take_transcript());
            Ok(to_js(&types::DoctorReport::new(report?, transcript)))
        })
    }

    /// Asks a `doctor` run in progress to stop at its next step: it deletes what it made,
    /// and its report says which probes did not run.
    pub fn interrupt(&self) {
        self.inner.client.interrupt();
    }

    /// Deletes for good every throwaway credential `doctor` left (a run that was
    /// interrupted): how many.
    #[wasm_bindgen(js_name = doctorSweep, unchecked_return_type = "Promise<number>")]
    pub fn doctor_sweep(&self) -> Promise {
        self.run(|inner| async move { Ok(JsValue::from(inner.client.doctor_sweep().await? as f64)) })
    }
}
