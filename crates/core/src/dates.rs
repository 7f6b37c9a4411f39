//! Dates as every front end shows and reads them: `YYYY-MM-DD` in UTC, the form of
//! `<input type="date">`. Keys expire at the start of the chosen day, UTC, so the date
//! shown is the date the portal stores whatever the viewer's time zone.

/// A day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// `2026-12-22` for an epoch-ms instant.
pub fn format_date(epoch_ms: i64) -> String {
    let (year, month, day) = civil_from_days(epoch_ms.div_euclid(DAY_MS));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The start (UTC) of the day an `<input type="date">` holds; `None` for anything else.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY_MS)
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
    fn formats_and_parses_the_same_day() {
        for (text, ms) in [
            ("1970-01-01", 0),
            ("2000-02-29", 951_782_400_000),
            ("2026-11-22", 1_795_305_600_000),
            ("2027-12-31", 1_830_211_200_000),
        ] {
            assert_eq!(parse_date(text), Some(ms), "{text}");
            assert_eq!(format_date(ms), text);
            assert_eq!(format_date(ms + DAY_MS - 1), text, "the last millisecond of {text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in ["", "2026-13-01", "2026-02-29", "2026-04-31", "2026-00-10", "22/11/2026", "2026-11"] {
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
