//! Dates as every front end shows and reads them: `YYYY-MM-DD` in UTC, the form of
//! `<input type="date">`. A date means the end of that day, UTC, as the service rounds
//! a key's expiration: the manager's field, the JS API and `--expires` all store that
//! one instant, and the date shown is the date the portal stores whatever the viewer's
//! time zone.

/// A day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// `2026-12-22` for an epoch-ms instant.
pub fn format_date(epoch_ms: i64) -> String {
    let (year, month, day) = civil_from_days(epoch_ms.div_euclid(DAY_MS));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The last millisecond (UTC) of the day `epoch_ms` falls on: the instant the service
/// rounds a key's expiration to.
pub fn end_of_day(epoch_ms: i64) -> i64 {
    epoch_ms.div_euclid(DAY_MS).saturating_mul(DAY_MS).saturating_add(DAY_MS - 1)
}

/// The end (UTC) of the day an `<input type="date">` holds; `None` for anything else.
pub fn parse_date(text: &str) -> Option<i64> {
    let (year, month, day) = parse_civil(text)?;
    Some(days_from_civil(year, month, day) * DAY_MS + DAY_MS - 1)
}

/// The end of the same calendar day one year after `epoch_ms` (28 February for the 29th):
/// the latest a key may expire.
pub fn one_year_after(epoch_ms: i64) -> i64 {
    let (year, month, day) = civil_from_days(epoch_ms.div_euclid(DAY_MS));
    let day = day.min(days_in_month(year + 1, month));
    days_from_civil(year + 1, month, day).saturating_mul(DAY_MS).saturating_add(DAY_MS - 1)
}

/// A number of days written `30d`, as the command line's flags take them.
pub fn parse_days(text: &str) -> Option<i64> {
    let digits = text.strip_suffix('d')?;
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn parse_civil(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || !(1970..=9999).contains(&year) {
        return None;
    }
    Some((year, month, day))
}

/// The calendar month (UTC) of an instant, as `(year, month)`.
pub fn month_of(epoch_ms: i64) -> (i64, u32) {
    let (year, month, _) = civil_from_days(epoch_ms.div_euclid(DAY_MS));
    (year, month)
}

/// Months from `from` to `to`, both `(year, month)`; negative when `to` is earlier.
pub fn months_between(from: (i64, u32), to: (i64, u32)) -> i64 {
    (to.0 - from.0) * 12 + i64::from(to.1) - i64::from(from.1)
}

/// Whole days from `now_ms` until `epoch_ms`, negative once it has passed.
pub fn days_until(epoch_ms: i64, now_ms: i64) -> i64 {
    (epoch_ms - now_ms).div_euclid(DAY_MS)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (proleptic Gregorian calendar, days since 1970-01-01).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_same_day_as_its_end() {
        for (text, start) in [
            ("1970-01-01", 0),
            ("2000-02-29", 951_782_400_000),
            ("2026-11-22", 1_795_305_600_000),
            ("2027-12-31", 1_830_211_200_000),
        ] {
            assert_eq!(parse_date(text), Some(start + DAY_MS - 1), "{text} means its last millisecond");
            assert_eq!(format_date(start), text);
            assert_eq!(format_date(start + DAY_MS - 1), text, "the last millisecond of {text}");
            assert_eq!(end_of_day(start), start + DAY_MS - 1);
            assert_eq!(end_of_day(start + 12 * 3_600_000), start + DAY_MS - 1);
            assert_eq!(end_of_day(start + DAY_MS - 1), start + DAY_MS - 1, "already the end");
        }
    }

    #[test]
    fn a_year_on_is_the_same_calendar_day() {
        let at = |text| parse_date(text).unwrap();
        assert_eq!(one_year_after(at("2026-12-07") - 5), at("2027-12-07"));
        assert_eq!(one_year_after(at("2027-03-01")), at("2028-03-01"), "across a 29 February");
        assert_eq!(one_year_after(at("2028-02-29")), at("2029-02-28"));
        assert_eq!(end_of_day(i64::MAX), i64::MAX, "no overflow");
    }

    #[test]
    fn days_as_flags_take_them() {
        assert_eq!(parse_days("30d"), Some(30));
        assert_eq!(parse_days("0d"), Some(0));
        for text in ["", "d", "30", "-1d", "1.5d", " 3d", "9999999d", "30days"] {
            assert_eq!(parse_days(text), None, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in ["", "2026-13-01", "2026-02-29", "2026-04-31", "2026-00-10", "22/11/2026", "2026-11", "99999-01-01"]
        {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn counts_whole_days() {
        assert_eq!(days_until(10 * DAY_MS, 0), 10);
        assert_eq!(days_until(10 * DAY_MS - 1, 0), 9);
        assert_eq!(days_until(0, 1), -1);
    }
}
