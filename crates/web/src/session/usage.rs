//! Usage of location services, and the key tester.

use arcgis_keys::Secret;
use arcgis_keys::ops::test_key::{KeyVerdict as CoreVerdict, ServiceHosts};
use arcgis_keys::ops::usage::Period;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::{Session, WebClient};
use crate::errors::Failure;
use crate::types::{self, from_js, to_js};

#[wasm_bindgen]
impl Session {
    /// A credential's use of location services, one series per operation.
    #[wasm_bindgen(unchecked_return_type = "Promise<UsageSeries[]>")]
    pub fn usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "UsageOptions")] options: JsValue,
    ) -> Promise {
        self.run(|inner| async move {
            let id = types::item_id(&id)?;
            let options: types::UsageOptions = from_js(options, "options")?;
            let period = match options.period.unwrap_or_default() {
                types::UsagePeriod::Hour => Period::Hour,
                types::UsagePeriod::Day => Period::Day,
                types::UsagePeriod::Week => Period::Week,
                types::UsagePeriod::Month => Period::Month,
            };
            let credential = inner.credential(&id).await?;
            let series = inner.client.usage(&credential, options.start, options.end, period).await?;
            let series: Vec<types::UsageSeries> = series
                .into_iter()
                .map(|s| {
                    let at: Vec<f64> = s.points.iter().map(|p| p.at_ms as f64).collect();
                    let count: Vec<f64> = s.points.iter().map(|p| p.count as f64).collect();
                    let credits: Vec<f64> = s.points.iter().map(|p| p.credits).collect();
                    types::UsageSeries {
                        service: s.stype,
                        operation: s.etype,
                        points: types::usage_points(&at, &count, &credits),
                    }
                })
                .collect();
            Ok(to_js(&series))
        })
    }

    /// Asks the location service a privilege unlocks whether it accepts `key`. No user
    /// token is sent; the service sees this page's origin as the referrer.
    #[wasm_bindgen(js_name = testKey, unchecked_return_type = "Promise<KeyVerdict>")]
    pub fn test_key(&self, #[wasm_bindgen(unchecked_param_type = "TestKeyOptions")] options: JsValue) -> Promise {
        self.run(|inner| async move { test_key(&inner.client, options).await })
    }
}

/// `testKey`, with or without a session: the service sees only the key.
pub(crate) async fn test_key(client: &WebClient, options: JsValue) -> Result<JsValue, Failure> {
    let options: types::TestKeyOptions = from_js(options, "options")?;
    let hosts = options.service_base.map_or(ServiceHosts::ArcGis, ServiceHosts::Base);
    let verdict = client.test_key(&Secret::new(options.key), &options.privilege, &hosts).await?;
    Ok(to_js(&match verdict {
        CoreVerdict::Accepted => types::KeyVerdict { accepted: true, judged: true, code: None, message: None },
        CoreVerdict::Rejected(e) => {
            types::KeyVerdict { accepted: false, judged: true, code: Some(e.code), message: Some(e.message) }
        }
        CoreVerdict::Inconclusive(e) => {
            types::KeyVerdict { accepted: false, judged: false, code: Some(e.code), message: Some(e.message) }
        }
    }))
}
