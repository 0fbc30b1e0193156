//! Times as DRS sends them, as time values. The service writes a time in one of three ways, all
//! as strings: milliseconds since the Unix epoch (`"1599188556112"`), an ISO 8601 UTC time
//! (`"2024-03-14T06:30:14Z"`), or a wall-clock time with no zone (`"2020-12-21 10:57:49"`), whose
//! zone the reference does not state. [`ServiceTime`] keeps the string and offers the value.
//!
//! The module also carries the two formats the transport needs: HTTP dates (`Retry-After`) and
//! the compact UTC stamp of AK/SK signing (`X-Sdk-Date`).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A calendar date and time of day, without a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDateTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl CivilDateTime {
    /// The instant this wall-clock time names in a zone `offset_seconds` east of UTC
    /// (`8 * 3600` for Beijing time).
    pub fn to_instant(self, offset_seconds: i32) -> Option<SystemTime> {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(offset_seconds);
        instant_from_seconds(seconds)
    }

    /// The UTC wall-clock time of `instant`.
    pub fn from_instant(instant: SystemTime) -> Self {
        let seconds = match instant.duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_secs() as i64,
            Err(before) => -(before.duration().as_secs_f64().ceil() as i64),
        };
        let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (in_day / 3600) as u8,
            minute: (in_day % 3600 / 60) as u8,
            second: (in_day % 60) as u8,
        }
    }

    fn valid(self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
    }
}

impl fmt::Display for CivilDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// A time field of a DRS answer: the string as sent, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceTime {
    raw: String,
    value: TimeValue,
}

/// What a time string of the service says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeValue {
    /// An instant: epoch milliseconds, or an ISO 8601 time with `Z`.
    Instant(SystemTime),
    /// A wall-clock time with no zone; [`CivilDateTime::to_instant`] places it once the zone
    /// is known.
    Civil(CivilDateTime),
}

impl ServiceTime {
    /// Reads a time string; `None` for a string in none of the service's formats.
    pub fn parse(raw: &str) -> Option<Self> {
        let text = raw.trim();
        let value = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let millis: u64 = text.parse().ok()?;
            TimeValue::Instant(UNIX_EPOCH.checked_add(Duration::from_millis(millis))?)
        } else if let Some(utc) = text.strip_suffix('Z') {
            let civil = parse_civil(utc, b'T')?;
            TimeValue::Instant(civil.to_instant(0)?)
        } else {
            TimeValue::Civil(parse_civil(text, b' ')?)
        };
        Some(Self {
            raw: raw.to_string(),
            value,
        })
    }

    /// The string as the service sent it.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    pub fn value(&self) -> TimeValue {
        self.value
    }

    /// The instant, when the string names one by itself (it carries no zone otherwise).
    pub fn instant(&self) -> Option<SystemTime> {
        match self.value {
            TimeValue::Instant(instant) => Some(instant),
            TimeValue::Civil(_) => None,
        }
    }
}

/// A time field of a generated type, read as a [`ServiceTime`]:
/// `job.create_time.service_time()` for a `create_time: Option<String>`.
pub trait TimeField {
    /// `None` when the field is absent or in none of the service's formats.
    fn service_time(&self) -> Option<ServiceTime>;
}

impl TimeField for str {
    fn service_time(&self) -> Option<ServiceTime> {
        ServiceTime::parse(self)
    }
}

impl TimeField for String {
    fn service_time(&self) -> Option<ServiceTime> {
        ServiceTime::parse(self)
    }
}

impl TimeField for Option<String> {
    fn service_time(&self) -> Option<ServiceTime> {
        self.as_deref().and_then(ServiceTime::parse)
    }
}

/// `2020-12-21 10:57:49` (with `separator` between date and time), fractional seconds ignored.
fn parse_civil(text: &str, separator: u8) -> Option<CivilDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[10] != separator {
        return None;
    }
    let fraction = &text[19..];
    let digits_after_point = |rest: &str| {
        rest.strip_prefix('.')
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    };
    if !fraction.is_empty() && !digits_after_point(fraction) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let punctuation = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if punctuation
        .iter()
        .any(|&(at, expected)| bytes[at] != expected)
    {
        return None;
    }
    let civil = CivilDateTime {
        year: number(0..4)? as i32,
        month: number(5..7)? as u8,
        day: number(8..10)? as u8,
        hour: number(11..13)? as u8,
        minute: number(14..16)? as u8,
        second: number(17..19)? as u8,
    };
    civil.valid().then_some(civil)
}

/// An HTTP date in its preferred form, `Wed, 21 Oct 2015 07:28:00 GMT` (RFC 9110, IMF-fixdate).
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_ascii_whitespace().collect();
    let [_weekday, day, month, year, clock, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| name == month)? as u8 + 1;
    let clock: Vec<u8> = clock
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    let civil = CivilDateTime {
        year: year.parse().ok()?,
        month,
        day: day.parse().ok()?,
        hour: *hour,
        minute: *minute,
        second: *second,
    };
    civil.valid().then(|| civil.to_instant(0))?
}

/// The `X-Sdk-Date` stamp of AK/SK signing: `20191115T033655Z`.
pub(crate) fn sdk_date(instant: SystemTime) -> String {
    let t = CivilDateTime::from_instant(instant);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

fn instant_from_seconds(seconds: i64) -> Option<SystemTime> {
    if seconds >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(seconds as u64))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs()))
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the era-based method: 400-year eras of
/// 146097 days, with years starting in March so that the leap day comes last).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u8;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u8;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn the_three_service_formats() {
        // 1599188556112 ms: the creation time of the job in appendix A.6.
        let epoch = ServiceTime::parse("1599188556112").unwrap();
        assert_eq!(
            epoch.instant(),
            Some(UNIX_EPOCH + Duration::from_millis(1_599_188_556_112))
        );
        assert_eq!(epoch.raw(), "1599188556112");

        // 2024-03-14T06:30:14Z (4.1.24): 19796 days after the epoch, plus 6:30:14.
        let utc = ServiceTime::parse("2024-03-14T06:30:14Z").unwrap();
        assert_eq!(
            utc.instant(),
            Some(at(19_796 * 86_400 + 6 * 3600 + 30 * 60 + 14))
        );

        let wall = ServiceTime::parse("2020-12-21 10:57:49").unwrap();
        let civil = CivilDateTime {
            year: 2020,
            month: 12,
            day: 21,
            hour: 10,
            minute: 57,
            second: 49,
        };
        assert_eq!(wall.value(), TimeValue::Civil(civil));
        assert_eq!(wall.instant(), None);
        assert_eq!(civil.to_string(), "2020-12-21 10:57:49");
        // In Beijing time (UTC+8) it is 02:57:49 UTC; 2020-12-21 is day 18617.
        assert_eq!(
            civil.to_instant(8 * 3600),
            Some(at(18_617 * 86_400 + 2 * 3600 + 57 * 60 + 49))
        );

        let field: Option<String> = Some("1599188556112".into());
        assert_eq!(field.service_time(), Some(epoch.clone()));
        assert_eq!(None::<String>.service_time(), None);

        for bad in [
            "",
            "yesterday",
            "2020-13-01 00:00:00",
            "2021-02-29 00:00:00",
            "2020-12-21T10:57:49",
        ] {
            assert_eq!(ServiceTime::parse(bad), None, "{bad:?}");
        }
        assert!(ServiceTime::parse("2019-02-13T06:52:13.855000Z").is_some());
    }

    #[test]
    fn civil_dates_round_trip_over_four_centuries() {
        let start = days_from_civil(1900, 1, 1);
        for days in start..start + 400 * 366 {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn http_dates_and_signing_stamps() {
        assert_eq!(
            parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(at(1_445_412_480))
        );
        assert_eq!(parse_http_date("Wed, 21 Oct 2015 07:28:00 CET"), None);
        assert_eq!(parse_http_date("21 Oct 2015"), None);
        assert_eq!(sdk_date(at(1_445_412_480)), "20151021T072800Z");
        assert_eq!(sdk_date(UNIX_EPOCH), "19700101T000000Z");
    }
}
