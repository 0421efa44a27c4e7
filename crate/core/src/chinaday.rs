//! China Standard Time days (UTC+8, no daylight saving), whatever the computer's time zone.
//!
//! The platform's decrypt quota resets at 00:00 China time, so every per-day rule keys on a
//! [`ChinaDay`] computed from epoch milliseconds; the browser's local time zone never enters.

use serde::{Deserialize, Serialize};

/// Milliseconds in one day.
pub const DAY_MS: i64 = 86_400_000;
/// China Standard Time's offset from UTC in milliseconds (UTC+8, no DST).
pub const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// A China calendar day, as the number of days since 1970-01-01 (China time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChinaDay(pub i64);

impl ChinaDay {
    /// The China day that contains the instant `ms` (milliseconds since the Unix epoch).
    pub fn from_ms(ms: i64) -> Self {
        ChinaDay((ms + CHINA_OFFSET_MS).div_euclid(DAY_MS))
    }

    /// The instant (epoch ms) at which this day starts: 00:00 China time.
    pub fn start_ms(self) -> i64 {
        self.0 * DAY_MS - CHINA_OFFSET_MS
    }

    /// The instant (epoch ms) at which the next day starts, i.e. when the quota resets.
    pub fn next_reset_ms(self) -> i64 {
        self.start_ms() + DAY_MS
    }

    /// The day `n` days later (negative for earlier).
    pub fn plus(self, n: i64) -> Self {
        ChinaDay(self.0 + n)
    }

    /// The civil date `(year, month, day)` of this China day.
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    /// `YYYY-MM-DD`, the form the workbench and the UI show.
    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Parses `YYYY-MM-DD` (as the quota answer's `date` carries it).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut it = s.trim().splitn(3, '-');
        let y: i64 = it.next()?.parse().ok()?;
        let m: u32 = it.next()?.parse().ok()?;
        let d: u32 = it.next()?.get(..2)?.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some(ChinaDay(days_from_civil(y, m, d)))
    }
}

/// The earliest instant RedShip accepts (2000-01-01), to catch a clock or value gone wrong.
const MIN_MS: i64 = 946_684_800_000;
/// The latest instant RedShip accepts (2100-01-01).
const MAX_MS: i64 = 4_102_444_800_000;

/// An instant that cannot be a real "now".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The time is before 2000 or after 2100: a broken clock or a wrong unit (seconds vs ms).
    #[error("时间不对：{ms} 毫秒不在 2000–2100 年之间，请检查电脑的日期和时间（time {ms} ms is outside 2000–2100; is the computer's clock or the unit wrong?）")]
    OutOfRange {
        /// The rejected instant.
        ms: i64,
    },
}

/// What the UI needs to know about "today" in China time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChinaDayView {
    /// Today, `YYYY-MM-DD` China time.
    pub day: String,
    /// Today as days since 1970-01-01 (China time).
    pub day_index: i64,
    /// When the quota resets (next 00:00 China time), epoch ms.
    pub reset_at_ms: i64,
    /// Milliseconds left until that reset.
    pub ms_until_reset: i64,
}

impl ChinaDayView {
    /// The view at instant `now_ms`; rejects instants no real clock shows.
    pub fn at(now_ms: i64) -> Result<Self, ClockError> {
        if !(MIN_MS..MAX_MS).contains(&now_ms) {
            return Err(ClockError::OutOfRange { ms: now_ms });
        }
        let day = ChinaDay::from_ms(now_ms);
        Ok(ChinaDayView {
            day: day.iso(),
            day_index: day.0,
            reset_at_ms: day.next_reset_ms(),
            ms_until_reset: day.next_reset_ms() - now_ms,
        })
    }
}

/// Parses a China-time timestamp `YYYY-MM-DD HH:mm:ss` (as the real site may send `paidAt`)
/// into epoch milliseconds.
pub fn parse_china_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once([' ', 'T']).unwrap_or((s, "00:00:00"));
    let day = ChinaDay::parse_iso(date)?;
    let mut parts = time.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let mi: i64 = parts.next().unwrap_or("0").parse().ok()?;
    let se: i64 = parts.next().unwrap_or("0").get(..2).unwrap_or("0").parse().ok()?;
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(day.start_ms() + ((h * 60 + mi) * 60 + se) * 1000)
}

/// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_rolls_at_china_midnight_not_utc() {
        // 2026-11-21 15:59:59.999 UTC is 23:59:59.999 China time.
        let before = 1_795_276_799_999_i64;
        let d = ChinaDay::from_ms(before);
        assert_eq!(d.iso(), "2026-11-21");
        assert_eq!(ChinaDay::from_ms(before + 1).iso(), "2026-11-22");
        assert_eq!(d.next_reset_ms(), before + 1);
    }

    #[test]
    fn iso_round_trips_and_parses_datetimes() {
        let d = ChinaDay::parse_iso("2024-02-29").expect("valid date");
        assert_eq!(d.iso(), "2024-02-29");
        assert_eq!(ChinaDay::from_ms(d.start_ms()), d);
        let ms = parse_china_datetime("2024-02-29 08:00:00").expect("valid");
        assert_eq!(ms, d.start_ms() + 8 * 3_600_000);
        assert_eq!(ChinaDay::parse_iso("2024-13-01"), None);
        assert_eq!(parse_china_datetime("yesterday"), None);
    }

    #[test]
    fn view_counts_down_to_china_midnight_and_rejects_broken_clocks() {
        let view = ChinaDayView::at(1_795_276_799_000).expect("valid instant");
        assert_eq!(view.day, "2026-11-21");
        assert_eq!(view.ms_until_reset, 1_000);
        assert_eq!(ChinaDayView::at(1_795_276_799), Err(ClockError::OutOfRange { ms: 1_795_276_799 }));
        // Shown to the merchant as is: Chinese first, saying what to check.
        let text = ClockError::OutOfRange { ms: 0 }.to_string();
        assert!(text.starts_with("时间不对") && text.contains("电脑的日期和时间"), "{text}");
    }

    #[test]
    fn days_before_epoch_are_handled() {
        assert_eq!(ChinaDay(-1).iso(), "1969-12-31");
        assert_eq!(ChinaDay::from_ms(-CHINA_OFFSET_MS - 1), ChinaDay(-1));
    }
}
