//! A credential's use of location services over time (`/portals/{id}/usage`, an
//! undocumented call the Python API makes).

use crate::client::Client;
use crate::error::Error;
use crate::model::Credential;
use crate::paths;
use crate::request::ApiRequest;
use crate::transport::Transport;

/// The length of one point of a usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Hour,
    Day,
    Week,
    Month,
}

impl Period {
    fn param(self) -> &'static str {
        match self {
            Period::Hour => "1h",
            Period::Day => "1d",
            Period::Week => "1w",
            Period::Month => "1m",
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

/// One series. Each point is `[epoch ms, value]`, both as text or as numbers: the
/// service has sent both, so both are read.
#[derive(serde::Deserialize)]
struct UsageData {
    #[serde(default, rename = "appId")]
    app_id: String,
    #[serde(default)]
    stype: String,
    #[serde(default)]
    etype: String,
    #[serde(default)]
    num: NumberPairs,
    #[serde(default)]
    credits: NumberPairs,
}

/// A series' `[[epoch ms, value], …]`, named [`crate::NUMBER_PAIRS`] so that the browser's
/// decoder can read a million points in one crossing of the JS boundary.
#[derive(Default)]
struct NumberPairs(Vec<(Number, Number)>);

impl<'de> serde::Deserialize<'de> for NumberPairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = NumberPairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of [time, value] pairs")
            }
            fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, inner: D) -> Result<NumberPairs, D::Error> {
                serde::Deserialize::deserialize(inner).map(NumberPairs)
            }
        }
        deserializer.deserialize_newtype_struct(crate::NUMBER_PAIRS, Visit)
    }
}

/// A usage timestamp or value, sent as a number or as its text. Read by a visitor of
/// its own, not an untagged enum: that would buffer each of a million points first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Number(f64);

impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, or a number as text")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
                // NaN for text that is no number: `value` refuses it with the error.
                Ok(Number(v.trim().parse().unwrap_or(f64::NAN)))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

impl Number {
    fn value(&self) -> Result<f64, Error> {
        if self.0.is_finite() { Ok(self.0) } else { Err(Error::Malformed("a usage value is not a number".into())) }
    }

    /// A timestamp or a count: a whole number, saturated into range.
    fn whole(&self) -> Result<i64, Error> {
        Ok(self.value()? as i64)
    }
}

/// The most points read from one answer; a larger answer is refused rather than read
/// (a day per point for 30 days is 30 per series).
pub const MAX_POINTS: usize = 1_000_000;

/// Usage is for administrators on some portals: a refusal (403) means "ask an
/// administrator", not that something broke. The one place that rule lives.
pub fn needs_administrator(error: &Error) -> bool {
    error.code() == Some(403)
}

/// When any of `series` was last used: the start of the latest period with a request,
/// `None` when there was none. Usage is counted per credential, not per key, so this is
/// when any of the credential's keys was last used.
pub fn last_use_ms(series: &[UsageSeries]) -> Option<i64> {
    series.iter().flat_map(|s| &s.points).filter(|p| p.count > 0).map(|p| p.at_ms).max()
}

/// The series of an answer, each point's credits matched to its count by timestamp in
/// linear time.
fn series(response: UsageResponse) -> Result<Vec<UsageSeries>, Error> {
    let points: usize = response.data.iter().map(|d| d.num.0.len().saturating_add(d.credits.0.len())).sum();
    if points > MAX_POINTS {
        return Err(Error::Malformed(format!("the usage answer holds more than {MAX_POINTS} points")));
    }
    response
        .data
        .into_iter()
        .map(|data| {
            let mut credits = std::collections::HashMap::with_capacity(data.credits.0.len());
            for (at, value) in &data.credits.0 {
                credits.insert(at.whole()?, value.value()?);
            }
            let points = data
                .num
                .0
                .iter()
                .map(|(at, count)| {
                    let at_ms = at.whole()?;
                    let count = count.whole()?.max(0) as u64;
                    Ok(UsagePoint { at_ms, count, credits: credits.get(&at_ms).copied().unwrap_or(0.0) })
                })
                .collect::<Result<_, Error>>()?;
            Ok(UsageSeries { stype: data.stype, etype: data.etype, points })
        })
        .collect()
}

impl<T: Transport> Client<T> {
    /// `portals/{id}/usage` as the Python API asks it, with the org's id when the user
    /// has been read; a portal that does not know that path (400) is asked at
    /// `portals/self/usage`, as older scripts do.
    async fn usage_call(&self, request: impl Fn(String) -> ApiRequest) -> Result<UsageResponse, Error> {
        let Some(org) = self.user().and_then(|u| u.org_id) else {
            return self.call(&request("/portals/self/usage".into())).await;
        };
        match self.call(&request(paths::usage(&org))).await {
            Err(error) if error.code() == Some(400) => self.call(&request("/portals/self/usage".into())).await,
            other => other,
        }
    }

    /// Usage of `credential` between `start_ms` and `end_ms`, one series per operation.
    pub async fn usage(
        &self,
        credential: &Credential,
        start_ms: i64,
        end_ms: i64,
        period: Period,
    ) -> Result<Vec<UsageSeries>, Error> {
        let response = self
            .usage_call(|path| {
                ApiRequest::read(path)
                    .param("startTime", start_ms.to_string())
                    .param("endTime", end_ms.to_string())
                    .param("period", period.param())
                    .param("vars", "num,credits")
                    .param("groupby", "appId,stype,etype")
                    .param("appId", credential.app.client_id.clone())
            })
            .await?;
        series(response)
    }

    /// Uses between `start_ms` and `end_ms` of every app the user may see, summed per
    /// app (by client id), in one request: how the health view finds unused keys. Apps
    /// with no use are absent.
    pub async fn usage_by_app(&self, start_ms: i64, end_ms: i64) -> Result<Vec<(String, u64)>, Error> {
        let response = self
            .usage_call(|path| {
                ApiRequest::read(path)
                    .param("startTime", start_ms.to_string())
                    .param("endTime", end_ms.to_string())
                    .param("period", Period::Week.param())
                    .param("vars", "num")
                    .param("groupby", "appId")
            })
            .await?;
        let app_ids: Vec<String> = response.data.iter().map(|d| d.app_id.clone()).collect();
        let totals = series(response)?
            .into_iter()
            .zip(app_ids)
            .map(|(series, app)| (app, series.points.iter().fold(0u64, |sum, p| sum.saturating_add(p.count))))
            .filter(|(_, total)| *total > 0)
            .collect();
        Ok(totals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(num: Vec<(Number, Number)>, credits: Vec<(Number, Number)>) -> UsageResponse {
        UsageResponse {
            data: vec![UsageData {
                app_id: "a".into(),
                stype: "geocode".into(),
                etype: "g".into(),
                num: NumberPairs(num),
                credits: NumberPairs(credits),
            }],
        }
    }

    #[test]
    fn last_use_is_the_latest_period_with_a_request() {
        let point = |at_ms, count| UsagePoint { at_ms, count, credits: 0.0 };
        let series = |points| UsageSeries { stype: "geocode".into(), etype: "g".into(), points };
        assert_eq!(last_use_ms(&[]), None);
        assert_eq!(last_use_ms(&[series(vec![point(5, 0), point(9, 0)])]), None, "periods without a request");
        let read = [series(vec![point(1, 2), point(7, 0)]), series(vec![point(4, 1), point(3, 5)])];
        assert_eq!(last_use_ms(&read), Some(4));
    }

    #[test]
    fn points_as_text_or_numbers_and_credits_matched_by_time() {
        let text = |s: &str| Number(s.parse().unwrap_or(f64::NAN));
        let response =
            data(vec![(text("1000"), text("3")), (Number(2000.0), Number(4.0))], vec![(Number(2000.0), text("0.5"))]);
        let series = series(response).unwrap();
        let points: Vec<(i64, u64, f64)> = series[0].points.iter().map(|p| (p.at_ms, p.count, p.credits)).collect();
        assert_eq!(points, [(1000, 3, 0.0), (2000, 4, 0.5)]);
        assert!(series_of(vec![(text("x"), text("1"))]).is_err(), "not a number");
        assert!(series_of(vec![(text("1"), text("inf"))]).is_err(), "not finite");
    }

    #[test]
    fn the_wire_may_send_text_or_numbers() {
        let answer = r#"{"data":[{"appId":"a","num":[["1000","3"],[2000,4]],"credits":[[2000,"0.5"]]}]}"#;
        let series = series(serde_json::from_str(answer).unwrap()).unwrap();
        let points: Vec<(i64, u64, f64)> = series[0].points.iter().map(|p| (p.at_ms, p.count, p.credits)).collect();
        assert_eq!(points, [(1000, 3, 0.0), (2000, 4, 0.5)]);
        assert!(serde_json::from_str::<UsageResponse>(r#"{"data":[{"num":[[true,1]]}]}"#).is_err(), "not a number");
    }

    fn series_of(num: Vec<(Number, Number)>) -> Result<Vec<UsageSeries>, Error> {
        series(data(num, Vec::new()))
    }

    #[test]
    fn huge_counts_saturate_and_too_many_points_are_refused() {
        let big = series_of(vec![(Number(0.0), Number(1e300))]).unwrap();
        assert_eq!(big[0].points[0].count, i64::MAX as u64);
        let many = (0..=MAX_POINTS).map(|i| (Number(i as f64), Number(1.0))).collect();
        assert!(series_of(many).unwrap_err().to_string().contains("more than"));
    }
}
