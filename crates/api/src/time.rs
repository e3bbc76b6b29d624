//! Times in the API: milliseconds since the Unix epoch, written as ISO 8601 in UTC
//! exactly as JavaScript's `Date.prototype.toISOString` writes them.

/// `ms` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`. Fractions of a millisecond are
/// dropped, as a JS `Date` drops them.
///
/// ```
/// assert_eq!(edgetune_api::time::iso8601(0.0), "1970-01-01T00:00:00.000Z");
/// assert_eq!(edgetune_api::time::iso8601(1_733_326_565_123.9), "2024-12-04T15:36:05.123Z");
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
    use super::iso8601;

    #[test]
    fn matches_javascript_on_known_instants() {
        // Values from `new Date(ms).toISOString()` in Node.
        assert_eq!(iso8601(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(4_102_444_799_999.0), "2099-12-31T23:59:59.999Z");
        assert_eq!(iso8601(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso8601(1_709_251_199_000.0), "2024-02-29T23:59:59.000Z");
    }
}
