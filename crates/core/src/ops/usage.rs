//! A credential's use of location services over time (`/portals/self/usage`).

use crate::client::Client;
use crate::error::Error;
use crate::model::Credential;
use crate::request::ApiRequest;
use crate::transport::Transport;

/// The length of one point of a usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
    Week,
}

impl Period {
    fn param(self) -> &'static str {
        match self {
            Period::Hour => "1h",
            Period::Day => "1d",
            Period::Week => "1w",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UsagePoint {
    /// Start of the period, epoch ms.
    pub at_ms: i64,
    pub count: u64,
    pub credits: f64,
}

/// Uses of one service operation (`stype`/`etype`, e.g. `geocode`/`geocodecnt`).
#[derive(Debug, Clone, PartialEq)]
pub struct UsageSeries {
    pub stype: String,
    pub etype: String,
    pub points: Vec<UsagePoint>,
}

#[derive(serde::Deserialize)]
struct UsageResponse {
    #[serde(default)]
    data: Vec<UsageData>,
}

/// The service sends each point as `[epoch ms, "value as text"]`.
#[derive(serde::Deserialize)]
struct UsageData {
    #[serde(default, rename = "appId")]
    app_id: String,
    #[serde(default)]
    stype: String,
    #[serde(default)]
    etype: String,
    #[serde(default)]
    num: Vec<(i64, String)>,
    #[serde(default)]
    credits: Vec<(i64, String)>,
}

fn number<N: std::str::FromStr>(text: &str) -> Result<N, Error> {
    text.trim().parse().map_err(|_| Error::Malformed(format!("usage value '{text}' is not a number")))
}

impl<T: Transport> Client<T> {
    /// Usage of `credential` between `start_ms` and `end_ms`, one series per operation.
    pub async fn usage(
        &self,
        credential: &Credential,
        start_ms: i64,
        end_ms: i64,
        period: Period,
    ) -> Result<Vec<UsageSeries>, Error> {
        let request = ApiRequest::read("/portals/self/usage")
            .param("startTime", start_ms.to_string())
            .param("endTime", end_ms.to_string())
            .param("period", period.param())
            .param("vars", "num,credits")
            .param("groupby", "appId,stype,etype")
            .param("appId", credential.app.client_id.clone());
        let response: UsageResponse = self.call(&request).await?;
        response
            .data
            .into_iter()
            .map(|data| {
                let credits: Vec<(i64, String)> = data.credits;
                let points = data
                    .num
                    .iter()
                    .map(|(at_ms, count)| {
                        let credits = credits.iter().find(|(at, _)| at == at_ms).map_or(Ok(0.0), |(_, c)| number(c))?;
                        Ok(UsagePoint { at_ms: *at_ms, count: number(count)?, credits })
                    })
                    .collect::<Result<_, Error>>()?;
                Ok(UsageSeries { stype: data.stype, etype: data.etype, points })
            })
            .collect()
    }
}

impl<T: Transport> Client<T> {
    /// Uses between `start_ms` and `end_ms` of every app the user may see, summed per
    /// app (by client id), in one request: how the health view finds unused keys. Apps
    /// with no use are absent.
    pub async fn usage_by_app(&self, start_ms: i64, end_ms: i64) -> Result<Vec<(String, u64)>, Error> {
        let request = ApiRequest::read("/portals/self/usage")
            .param("startTime", start_ms.to_string())
            .param("endTime", end_ms.to_string())
            .param("period", Period::Week.param())
            .param("vars", "num")
            .param("groupby", "appId");
        let response: UsageResponse = self.call(&request).await?;
        response
            .data
            .into_iter()
            .map(|data| {
                let total = data.num.iter().map(|(_, count)| number::<u64>(count)).sum::<Result<u64, Error>>()?;
                Ok((data.app_id, total))
            })
            .filter(|used| !matches!(used, Ok((_, 0))))
            .collect()
    }
}
