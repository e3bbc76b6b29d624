//! Times in the API: milliseconds since the Unix epoch, written as ISO 8601 in UTC
//! exactly as JavaScript's `Date.prototype.toISOString` writes them.

/// `ms` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`. Fractions of a millisecond are
/// dropped, as a JS `Date` drops them.
///
/// ```
/// assert_eq!(edgetune_core::time::iso8601(0.0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(edgetune_core::time::iso8601(1_733_326_565_123.9), "2024-12-04T15:36:05.123Z");
/// ```
pub fn iso8601(ms: f64) -> String {
    let ms = if ms.is_finite() { ms.trunc() as i64 } else { 0 };
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// Parses an RFC 3339 time (`2026-12-04T10:00:00Z`, `2026-12-04T10:00:00.123+01:00`) to ms
/// since the epoch; `None` when it is not one. Fractions beyond milliseconds are
/// dropped, as [`iso8601`] drops them.
///
/// ```
/// use edgetune_core::time::{iso8601, parse_rfc3339};
/// assert_eq!(parse_rfc3339("2024-12-04T15:36:05.123Z"), Some(1_733_326_565_123.0));
/// assert_eq!(parse_rfc3339("2024-12-04T16:36:05.123456+01:00"), Some(1_733_326_565_123.0));
/// assert_eq!(parse_rfc3339("2024-02-30T00:00:00Z"), None);
/// assert_eq!(parse_rfc3339("yesterday"), None);
/// ```
pub fn parse_rfc3339(text: &str) -> Option<f64> {
    parse(text, false)
}

/// Parses a time as Python's `datetime.isoformat` writes it, to ms since the epoch with
/// the microseconds as a fraction: with an offset (`2026-12-07T13:50:11.442596+00:00`),
/// or naive, taken as UTC (older Optuna journals wrote local times without an offset).
///
/// ```
/// use edgetune_core::time::{iso8601_micros, parse_isoformat};
/// let t = parse_isoformat("2026-12-07T13:50:11.442596+00:00").unwrap();
/// assert_eq!(iso8601_micros(t), "2026-12-07T13:50:11.442596+00:00");
/// assert_eq!(parse_isoformat("2026-12-07T13:50:11"), parse_isoformat("2026-12-07T13:50:11+00:00"));
/// ```
pub fn parse_isoformat(text: &str) -> Option<f64> {
    parse(text, true)
}

/// `ms` since the epoch as Python's `datetime.isoformat(timespec="microseconds")` of a
/// UTC time: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
pub fn iso8601_micros(ms: f64) -> String {
    let micros = (ms * 1000.0).round() as i64;
    let (seconds, micro) = (micros.div_euclid(1_000_000), micros.rem_euclid(1_000_000));
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micro:06}+00:00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The parser of [`parse_rfc3339`] and, with `python`, of [`parse_isoformat`]
/// (microseconds kept, no offset read as UTC).
fn parse(text: &str, python: bool) -> Option<f64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut i = 19;
    let mut millis = 0.0;
    if sep(i, b".") {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let digits = if python { 6 } else { 3 };
        let frac = &text[start..i.min(start + digits)];
        millis = frac.parse::<i64>().ok()? as f64 * 10f64.powi(3 - frac.len() as i32);
    }
    let offset_minutes = match b.get(i) {
        None if python => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b":") => {
            let minutes = digits(i + 1..i + 3)? * 60 + digits(i + 4..i + 6)?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day < 1
        || day > month_days[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some((seconds * 1000) as f64 + millis)
}

/// The day number (0 is 1970-01-01) of a proleptic Gregorian date, by Howard Hinnant's
/// `days_from_civil`; the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let day_of_year = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day number (0 is 1970-01-01), by Howard
/// Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::{iso8601, parse_rfc3339};

    #[test]
    fn parsing_inverts_formatting() {
        for ms in [
            0.0,
            -1.0,
            951_782_400_000.0,
            4_102_444_799_999.0,
            1_709_251_199_000.0,
        ] {
            assert_eq!(parse_rfc3339(&iso8601(ms)), Some(ms), "{ms}");
        }
        for bad in [
            "",
            "2024-12-04",
            "2024-12-04T25:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-12-04T10:00:00",
            "2024-12-04T10:00:00.Z",
            "2024-12-04T10:00:00+0100",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn matches_javascript_on_known_instants() {
        // Values from `new Date(ms).toISOString()` in Node.
        assert_eq!(iso8601(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(4_102_444_799_999.0), "2099-12-31T23:59:59.999Z");
        assert_eq!(iso8601(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso8601(1_709_251_199_000.0), "2024-02-29T23:59:59.000Z");
    }
}
