//! Calendar arithmetic on plain values: the Worker reads the clock once and passes
//! `now` in, so due dates and timestamps are pure and testable.

use protocol::Lang;

const MS_PER_DAY: u64 = 86_400_000;

/// A point in time, milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Timestamp(pub u64);

/// A calendar date (proleptic Gregorian, UTC), held as days since 1970-01-01 so
/// that no invalid date (and no silent fallback to 1970-01-01) can be built: the
/// only ways in are [`Date::from_days`], [`Timestamp::date`] and the validating
/// [`Date::parse_iso`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Date {
    days: i64,
}

impl Timestamp {
    pub fn date(self) -> Date {
        Date::from_days((self.0 / MS_PER_DAY) as i64)
    }

    fn time_of_day(self) -> (u64, u64, u64, u64) {
        let ms = self.0 % MS_PER_DAY;
        (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-24T09:05:03.042Z`.
    pub fn rfc3339(self) -> String {
        let (h, m, s, ms) = self.time_of_day();
        format!("{}T{h:02}:{m:02}:{s:02}.{ms:03}Z", self.date().iso())
    }

    /// The `Date:` header form of RFC 5322, e.g. `Tue, 24 Nov 2026 09:05:03 +0000`.
    pub fn rfc5322(self) -> String {
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (year, month, day) = self.date().civil();
        let (h, m, s, _) = self.time_of_day();
        let weekday = DAYS[((self.0 / MS_PER_DAY) % 7) as usize];
        let month = MONTHS[usize::from(month - 1)];
        format!("{weekday}, {day} {month} {year} {h:02}:{m:02}:{s:02} +0000")
    }

    /// Parses what [`Timestamp::rfc3339`] writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 24
            && bytes[10] == b'T'
            && bytes[13] == b':'
            && bytes[16] == b':'
            && bytes[19] == b'.'
            && bytes[23] == b'Z';
        if !shape_ok {
            return None;
        }
        let date = Date::parse_iso(text.get(..10)?)?;
        let number = |range: std::ops::Range<usize>| -> Option<u64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (h, m, s, ms) = (
            number(11..13)?,
            number(14..16)?,
            number(17..19)?,
            number(20..23)?,
        );
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        let days = u64::try_from(date.to_days()).ok()?;
        Some(Timestamp(
            days * MS_PER_DAY + ((h * 60 + m) * 60 + s) * 1000 + ms,
        ))
    }

    /// The moment as people read it, to the minute and in UTC (a link that expires
    /// at 09:05:03 is said to work until 09:05): `1 December 2026, 09:05 UTC`,
    /// `1 december 2026, 09:05 uur UTC`.
    pub fn long(self, lang: Lang) -> String {
        let (h, m, _, _) = self.time_of_day();
        let date = self.date().long(lang);
        match lang {
            Lang::En => format!("{date}, {h:02}:{m:02} UTC"),
            Lang::Nl => format!("{date}, {h:02}:{m:02} uur UTC"),
        }
    }

    /// `yyyy-mm`, the month bucket of consent keys.
    pub fn year_month(self) -> String {
        self.date().year_month()
    }
}

impl Date {
    /// Days since 1970-01-01 to a civil date.
    pub fn from_days(days: i64) -> Date {
        Date { days }
    }

    /// Days since 1970-01-01.
    pub fn to_days(self) -> i64 {
        self.days
    }

    fn civil(self) -> (i32, u8, u8) {
        protocol::date::civil_from_days(self.days)
    }

    pub fn add_days(self, days: u32) -> Date {
        Date::from_days(self.days + i64::from(days))
    }

    /// The same day `months` later, or that month's last day (protocol's calendar).
    pub fn add_months(self, months: u8) -> Date {
        Date::from_days(protocol::date::add_months(self.days, u32::from(months)))
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        let (year, month, day) = self.civil();
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let (year, month, day) = protocol::date::parse_iso(text)?;
        protocol::date::days_from_civil(year, month, day).map(Date::from_days)
    }

    /// The date as people write it: `24 November 2026`, `24 november 2026`.
    pub fn long(self, lang: Lang) -> String {
        let (year, month, day) = self.civil();
        protocol::date::long(year, month, day, lang)
    }

    /// `yyyy-mm`.
    fn year_month(self) -> String {
        let (year, month, _) = self.civil();
        format!("{year:04}-{month:02}")
    }
}

/// The date by which the shop must answer: the earlier of the shop's promise (the
/// UTC date of receipt plus `reply_days`) and one calendar month after receipt, the
/// legal limit of art. 12(3) GDPR (protocol's calendar).
pub fn due_date(received: Timestamp, reply_days: u32) -> Date {
    Date::from_days(protocol::date::due_day(
        received.date().to_days(),
        reply_days,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-24T09:05:03.042Z
    const NOV_24: u64 = 1_795_511_103_042;

    #[test]
    fn timestamps_format() {
        let t = Timestamp(NOV_24);
        assert_eq!(t.rfc3339(), "2026-11-24T09:05:03.042Z");
        assert_eq!(t.rfc5322(), "Tue, 24 Nov 2026 09:05:03 +0000");
        assert_eq!(t.year_month(), "2026-11");
        assert_eq!(t.long(Lang::En), "24 November 2026, 09:05 UTC");
        assert_eq!(t.long(Lang::Nl), "24 november 2026, 09:05 uur UTC");
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(0).rfc5322(), "Thu, 1 Jan 1970 00:00:00 +0000");
    }

    #[test]
    fn due_date_table() {
        let day = |iso: &str| Date::parse_iso(iso).unwrap();
        let at = |iso: &str, ms_into_day: u64| {
            Timestamp(day(iso).to_days() as u64 * MS_PER_DAY + ms_into_day)
        };
        let cases = [
            (at("2026-11-24", 0), 30, "2026-12-24"),
            (at("2026-11-24", MS_PER_DAY - 1), 30, "2026-12-24"),
            (at("2026-12-15", 3_600_000), 30, "2027-01-14"),
            (at("2028-02-01", 0), 28, "2028-02-29"),
            (at("2027-02-01", 0), 28, "2027-03-01"),
            (at("2026-01-31", 0), 1, "2026-02-01"),
            // Never later than one calendar month (art. 12(3) GDPR).
            (at("2026-01-31", 0), 30, "2026-02-28"),
            (at("2028-01-31", 0), 30, "2028-02-29"),
            (at("2027-02-05", 0), 30, "2027-03-05"),
            (at("2026-03-01", 0), 90, "2026-04-01"),
            (at("2099-12-31", 0), 1, "2100-01-01"),
            (at("2100-02-28", 0), 1, "2100-03-01"),
            (at("2000-02-28", 0), 1, "2000-02-29"),
        ];
        for (received, days, want) in cases {
            assert_eq!(
                due_date(received, days).iso(),
                want,
                "{} + {days}",
                received.rfc3339()
            );
        }
    }

    #[test]
    fn days_round_trip() {
        for days in (-800_000..800_000).step_by(97) {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
    }

    #[test]
    fn parse_iso_table() {
        for (text, ok) in [
            ("2026-11-24", true),
            ("2028-02-29", true),
            ("2027-02-29", false),
            ("2026-13-01", false),
            ("2026-00-10", false),
            ("2026-1-1", false),
            ("+026-01-01", false),
            ("2026-01-32", false),
            ("", false),
        ] {
            assert_eq!(Date::parse_iso(text).is_some(), ok, "{text}");
        }
    }

    #[test]
    fn rfc3339_round_trip() {
        for ms in [0, NOV_24, 4_102_444_799_999] {
            assert_eq!(
                Timestamp::parse_rfc3339(&Timestamp(ms).rfc3339()),
                Some(Timestamp(ms))
            );
        }
        for bad in [
            "",
            "2026-11-24",
            "2026-11-24T24:00:00.000Z",
            "2026-02-30T00:00:00.000Z",
            "2026-11-24T09:05:03Z",
            "2026-11-24T09:05:03.042+01",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn long_dates() {
        let date = Date::parse_iso("2026-11-24").unwrap();
        assert_eq!(date.long(Lang::En), "24 November 2026");
        assert_eq!(date.long(Lang::Nl), "24 november 2026");
    }
}
