//! A credential's use of location services over the last 30 days, per day, from the
//! portal's usage endpoint.

use arcgis_keys::model::Credential;
use arcgis_keys::ops::usage::{Period, UsageSeries, needs_administrator};
use leptos::prelude::*;

use crate::chart::{Bar, BarChart};
use crate::icon::{Icon, icon};
use crate::manager::Manager;
use arcgis_keys::dates::{DAY_MS, format_date};

/// Days the chart covers, today included.
const DAYS: usize = 30;

/// Uses per day, oldest first, for the `DAYS` days ending with `today_start`'s day.
fn per_day(series: &[UsageSeries], today_start: i64) -> [u64; DAYS] {
    let first = today_start - (DAYS as i64 - 1) * DAY_MS;
    let mut days = [0; DAYS];
    for point in series.iter().flat_map(|s| &s.points) {
        if let Some(day) = usize::try_from((point.at_ms - first).div_euclid(DAY_MS)).ok().and_then(|d| days.get_mut(d))
        {
            *day += point.count;
        }
    }
    days
}

/// A credential's usage for the chart's days: `None` while reading; then the answer with
/// the start of the day it was read on (which the chart ends with), or why not (`None`:
/// the portal shows usage to administrators only).
pub type UsageRead = Option<Result<(i64, Vec<UsageSeries>), Option<String>>>;

/// The chart of `credential`'s usage, read into `series` (which the page shares).
#[component]
pub fn UsagePanel(credential: Credential, series: RwSignal<UsageRead>) -> impl IntoView {
    let manager = expect_context::<Manager>();
    let t = &manager.text.usage;
    let credential = StoredValue::new(credential);
    let load = move || {
        series.set(None);
        let now = manager.now();
        let today_start = now - now.rem_euclid(DAY_MS);
        crate::manager::spawn_read(async move {
            let start = today_start - (DAYS as i64 - 1) * DAY_MS;
            let answer = manager.client().usage(&credential.get_value(), start, now, Period::Day).await;
            let answer = match answer {
                Ok(series) => Ok((today_start, series)),
                Err(e) if needs_administrator(&e) => Err(None),
                Err(e) => Err(Some(manager.explain(&e))),
            };
            series.try_set(Some(answer));
        });
    };
    load();
    view! {
        <section class="usage" aria-labelledby="usage-heading">
            <div class="heading">
                <h2 id="usage-heading">{t.heading}</h2>
                <button type="button" class="secondary" on:click=move |_| load()>{icon(Icon::Refresh)}{t.refresh}</button>
            </div>
            {move || match series.get() {
                None => view! { <p role="status">{t.reading}</p> }.into_any(),
                Some(Err(None)) => view! { <p role="status">{t.needs_administrator}</p> }.into_any(),
                Some(Err(Some(why))) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
                Some(Ok((today_start, series))) => {
                    let days = per_day(&series, today_start);
                    let total: u64 = days.iter().sum();
                    let first = today_start - (DAYS as i64 - 1) * DAY_MS;
                    // Each bar is labelled with its day of the month; the caption gives the range.
                    let bars = days.iter().enumerate().map(|(i, &count)| {
                        let date = format_date(first + i as i64 * DAY_MS);
                        Bar { label: [date[8..].to_owned(), String::new()], count, alarm: false }
                    }).collect::<Vec<_>>();
                    let caption = (t.caption)(&format_date(first), &format_date(today_start));
                    let described = days.iter().enumerate().filter(|(_, n)| **n > 0)
                        .map(|(i, n)| (t.day)(&format_date(first + i as i64 * DAY_MS), *n))
                        .collect::<Vec<_>>();
                    let described = if described.is_empty() { t.no_requests_any_day.to_owned() } else { (t.by_day)(&described.join(", ")) };
                    let operations = series.iter().map(|s| {
                        let count: u64 = s.points.iter().map(|p| p.count).sum();
                        view! { <li>{(t.operation)(&s.stype, &s.etype, count)}</li> }
                    }).collect::<Vec<_>>();
                    view! {
                        <p role="status">{(t.total)(total)}</p>
                        <BarChart id="usage" caption=caption bars=bars described=described />
                        <ul class="operations" aria-label=t.by_operation>{operations}</ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use arcgis_keys::ops::usage::UsagePoint;

    use super::*;

    #[test]
    fn points_add_up_per_day_and_old_ones_drop() {
        let today = 1_795_305_600_000;
        let point =
            |days_ago: i64, count| UsagePoint { at_ms: today - days_ago * DAY_MS + 3_600_000, count, credits: 0.0 };
        let series = |points| UsageSeries { stype: "geocode".into(), etype: "geocodecnt".into(), points };
        let days = per_day(&[series(vec![point(0, 2), point(29, 1), point(30, 9)]), series(vec![point(0, 3)])], today);
        assert_eq!(days[DAYS - 1], 5);
        assert_eq!(days[0], 1);
        assert_eq!(days.iter().sum::<u64>(), 6, "a point older than 30 days is not shown");
    }
}
