//! Doctor: which reading of each open point the user's portal follows.

use arcgis_keys::ops::doctor::{DoctorReport as CoreReport, Outcome};
use arcgis_keys::transcript::Exchange as CoreExchange;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `doctor`.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
pub struct DoctorOptions {
    /// Only the probes that change nothing.
    #[serde(default)]
    #[tsify(optional)]
    pub read_only: Option<bool>,
    /// One host that serves every location service (the emulator); default ArcGIS's.
    #[serde(default)]
    #[tsify(optional)]
    pub service_base: Option<String>,
    /// Keep every request and answer, secrets redacted, in the report's `transcript`.
    #[serde(default)]
    #[tsify(optional)]
    pub transcript: Option<bool>,
}

/// One open point and what the portal showed.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct DoctorFinding {
    /// The point's name (the emulator's behaviour switch, where it has one).
    pub point: &'static str,
    pub question: &'static str,
    /// The reading observed; `null` when not tested.
    pub reading: Option<&'static str>,
    /// What showed it.
    pub evidence: Option<String>,
    /// `"observed"` (the portal's answer to one request), `"measured"` (a figure, in
    /// `measuredMs`), or `null` when not tested.
    pub certainty: Option<&'static str>,
    pub measured_ms: Option<u64>,
    /// Why the probe did not run, or settled nothing.
    pub not_tested: Option<String>,
}

/// One request and its answer, secrets redacted.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct Exchange {
    pub method: &'static str,
    pub url: String,
    pub body: String,
    pub status: Option<u16>,
    pub answer: Option<String>,
    pub error: Option<String>,
}

impl From<CoreExchange> for Exchange {
    fn from(e: CoreExchange) -> Self {
        Exchange { method: e.method, url: e.url, body: e.body, status: e.status, answer: e.answer, error: e.error }
    }
}

/// `doctor`'s answer.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct DoctorReport {
    /// "ArcGIS Online", or "ArcGIS Enterprise" with its portal version.
    pub portal: String,
    pub findings: Vec<DoctorFinding>,
    /// Throwaway credentials an earlier run left, deleted by this one.
    pub swept: u32,
    /// What this run could not delete (id first, then why).
    pub left_behind: Vec<String>,
    /// When asked for.
    pub transcript: Option<Vec<Exchange>>,
}

impl DoctorReport {
    pub fn new(report: CoreReport, transcript: Option<Vec<CoreExchange>>) -> Self {
        let findings = report
            .findings
            .into_iter()
            .map(|finding| {
                let (point, question) = (finding.point.name(), finding.point.question());
                match finding.outcome {
                    Outcome::Observed { reading, evidence, measured_ms } => DoctorFinding {
                        point,
                        question,
                        reading: Some(reading),
                        evidence: Some(evidence),
                        certainty: Some(if measured_ms.is_some() { "measured" } else { "observed" }),
                        measured_ms,
                        not_tested: None,
                    },
                    Outcome::NotTested { reason } => DoctorFinding {
                        point,
                        question,
                        reading: None,
                        evidence: None,
                        certainty: None,
                        measured_ms: None,
                        not_tested: Some(reason),
                    },
                }
            })
            .collect();
        DoctorReport {
            portal: report.portal,
            findings,
            swept: report.swept as u32,
            left_behind: report.left_behind,
            transcript: transcript.map(|t| t.into_iter().map(Exchange::from).collect()),
        }
    }
}
