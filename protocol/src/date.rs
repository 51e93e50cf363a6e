//! Calendar dates shared by the widget and the edge: civil-date arithmetic on days
//! since 1970-01-01 (UTC, proleptic Gregorian), `YYYY-MM-DD` parsing, and the long
//! form people read ("24 November 2026" / "24 november 2026"). Written without
//! `core::fmt`, which would weigh kilobytes in the widget.

use alloc::string::String;

use crate::Lang;

/// Days since the epoch to (year, month 1-12, day 1-31) (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// (year, month, day) to days since the epoch; `None` for an impossible date.
pub fn days_from_civil(year: i32, month: u8, day: u8) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The same day `months` calendar months later, or that month's last day where it
/// has no such day (31 January + 1 month = 28/29 February): how art. 12(3) GDPR
/// counts "one month" and "two further months". Days since the epoch in and out.
pub fn add_months(days: i64, months: u32) -> i64 {
    let (year, month, day) = civil_from_days(days);
    let total = i64::from(month) - 1 + i64::from(months);
    let year = year + total.div_euclid(12) as i32;
    let month = total.rem_euclid(12) as u8 + 1;
    let day = day.min(days_in_month(year, month));
    // Every (year, month, day) built here exists, so this never falls back.
    days_from_civil(year, month, day).unwrap_or(days)
}

/// The day a rights request must be answered by: the earlier of the shop's promise
/// (`reply_days` days after receipt) and the legal limit (one calendar month after
/// receipt, art. 12(3) GDPR). Days since the epoch in and out.
pub fn due_day(received: i64, reply_days: u32) -> i64 {
    (received + i64::from(reply_days)).min(add_months(received, 1))
}

/// Parses `YYYY-MM-DD` into (year, month, day), rejecting impossible dates.
pub fn parse_iso(text: &str) -> Option<(i32, u8, u8)> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    // Iterators, not indexing: no panic path.
    let number = |from: usize, to: usize| {
        bytes
            .iter()
            .take(to)
            .skip(from)
            .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'))
    };
    let (year, month, day) = (number(0, 4) as i32, number(5, 7) as u8, number(8, 10) as u8);
    days_from_civil(year, month, day).map(|_| (year, month, day))
}

/// The month's name, lower case in Dutch as Dutch writes it.
#[inline(always)]
pub fn month_name(month: u8, lang: Lang) -> Option<&'static str> {
    Some(match (lang, month) {
        (Lang::En, 1) => "January",
        (Lang::En, 2) => "February",
        (Lang::En, 3) => "March",
        (Lang::En, 4) => "April",
        (Lang::En, 5) => "May",
        (Lang::En, 6) => "June",
        (Lang::En, 7) => "July",
        (Lang::En, 8) => "August",
        (Lang::En, 9) => "September",
        (Lang::En, 10) => "October",
        (Lang::En, 11) => "November",
        (Lang::En, 12) => "December",
        (Lang::Nl, 1) => "januari",
        (Lang::Nl, 2) => "februari",
        (Lang::Nl, 3) => "maart",
        (Lang::Nl, 4) => "april",
        (Lang::Nl, 5) => "mei",
        (Lang::Nl, 6) => "juni",
        (Lang::Nl, 7) => "juli",
        (Lang::Nl, 8) => "augustus",
        (Lang::Nl, 9) => "september",
        (Lang::Nl, 10) => "oktober",
        (Lang::Nl, 11) => "november",
        (Lang::Nl, 12) => "december",
        _ => return None,
    })
}

/// The date as people write it: `24 November 2026` (EN), `24 november 2026` (NL).
/// An impossible month is written as its number rather than failing. Inlined with
/// `month_name`, so that a caller with a known language keeps only its month names.
#[inline(always)]
pub fn long(year: i32, month: u8, day: u8, lang: Lang) -> String {
    let mut out = String::with_capacity(20);
    push_uint(&mut out, u64::from(day));
    out.push(' ');
    match month_name(month, lang) {
        Some(name) => out.push_str(name),
        None => push_uint(&mut out, u64::from(month)),
    }
    out.push(' ');
    if year < 0 {
        out.push('-');
    }
    push_uint(&mut out, u64::from(year.unsigned_abs()));
    out
}

/// Appends a number in decimal.
pub fn push_uint(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut n = value;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits.iter().skip(i).map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        for days in -1000..146_097 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
    }

    fn day(iso: &str) -> i64 {
        let (y, m, d) = parse_iso(iso).unwrap();
        days_from_civil(y, m, d).unwrap()
    }

    fn iso(days: i64) -> (i32, u8, u8) {
        civil_from_days(days)
    }

    #[test]
    fn add_months_table() {
        for (from, months, want) in [
            ("2026-01-31", 1, (2026, 2, 28)),
            ("2028-01-31", 1, (2028, 2, 29)),
            ("2026-12-30", 2, (2027, 2, 28)),
            ("2026-12-31", 2, (2027, 2, 28)),
            ("2027-12-31", 2, (2028, 2, 29)),
            ("2026-03-31", 1, (2026, 4, 30)),
            ("2026-11-30", 1, (2026, 12, 30)),
            ("2026-12-15", 1, (2027, 1, 15)),
            ("2026-08-31", 2, (2026, 10, 31)),
            ("2099-12-31", 2, (2100, 2, 28)),
            ("2026-11-30", 0, (2026, 11, 30)),
        ] {
            assert_eq!(
                iso(add_months(day(from), months)),
                want,
                "{from} + {months}"
            );
        }
    }

    #[test]
    fn due_day_table() {
        for (received, reply_days, want) in [
            // 30 days is earlier than a month in 31-day months...
            ("2026-11-24", 30, (2026, 12, 24)),
            ("2026-12-15", 30, (2027, 1, 14)),
            // ...and a month is earlier across February.
            ("2026-01-31", 30, (2026, 2, 28)),
            ("2028-01-31", 30, (2028, 2, 29)),
            ("2027-02-01", 30, (2027, 3, 1)),
            ("2027-02-05", 30, (2027, 3, 5)),
            ("2026-02-28", 30, (2026, 3, 28)),
            // A shop that promises less than a month keeps its promise.
            ("2026-03-01", 14, (2026, 3, 15)),
            ("2026-03-01", 90, (2026, 4, 1)),
        ] {
            assert_eq!(
                iso(due_day(day(received), reply_days)),
                want,
                "{received} + {reply_days}"
            );
        }
    }

    /// Every receipt day of four years (2027-2030, with the leap day of 2028 and
    /// every month end) through the due date and extension rules, checked against
    /// what the law says in words rather than against the formula.
    #[test]
    fn four_years_of_receipt_days() {
        let first = day("2027-01-01");
        let last = day("2030-12-31");
        assert_eq!(last - first + 1, 4 * 365 + 1, "the span holds one leap day");
        for received in first..=last {
            let (ry, rm, rd) = iso(received);
            let month_later = add_months(received, 1);
            let (my, mm, md) = iso(month_later);
            // One month later: the next month, same day or that month's last day.
            assert_eq!((my * 12 + i32::from(mm)) - (ry * 12 + i32::from(rm)), 1);
            assert!(md == rd || (md < rd && parse_iso_parts(my, mm, md + 1).is_none()));
            for reply_days in [1, 14, 28, 30, 31, 90] {
                let due = due_day(received, reply_days);
                // Never later than the law allows, never later than promised,
                // and one of the two exactly.
                assert!(due <= month_later && due <= received + i64::from(reply_days));
                assert!(due == month_later || due == received + i64::from(reply_days));
                assert!(due > received);
                // An extension of one or two months counts from the original due
                // date and stays within the month it lands in.
                for months in [1, 2] {
                    let extended = add_months(due, months);
                    let (dy, dm, dd) = iso(due);
                    let (ey, em, ed) = iso(extended);
                    assert_eq!(
                        (ey * 12 + i32::from(em)) - (dy * 12 + i32::from(dm)),
                        months as i32
                    );
                    assert!(ed == dd || (ed < dd && parse_iso_parts(ey, em, ed + 1).is_none()));
                    assert!(
                        extended - due >= 28 * i64::from(months)
                            && extended - due <= 31 * i64::from(months)
                    );
                }
            }
        }
    }

    fn parse_iso_parts(year: i32, month: u8, day: u8) -> Option<i64> {
        days_from_civil(year, month, day)
    }

    #[test]
    fn iso_table() {
        for (text, want) in [
            ("2026-11-24", Some((2026, 11, 24))),
            ("2000-02-29", Some((2000, 2, 29))),
            ("1900-02-29", None),
            ("2026-02-30", None),
            ("2026-13-01", None),
            ("2026-00-10", None),
            ("2026-11-00", None),
            ("2026-1-01", None),
            ("2026/11/24", None),
            ("２０２６-11-24", None),
            ("", None),
        ] {
            assert_eq!(parse_iso(text), want, "{text}");
        }
    }

    #[test]
    fn long_dates() {
        assert_eq!(long(2026, 11, 24, Lang::En), "24 November 2026");
        assert_eq!(long(2026, 11, 24, Lang::Nl), "24 november 2026");
        assert_eq!(long(2027, 3, 1, Lang::Nl), "1 maart 2027");
        assert_eq!(long(2027, 13, 1, Lang::En), "1 13 2027");
        for month in 1..=12 {
            assert_ne!(month_name(month, Lang::En), month_name(month, Lang::Nl));
        }
    }

    #[test]
    fn decimals() {
        for (n, want) in [
            (0u64, "0"),
            (7, "7"),
            (10, "10"),
            (u64::MAX, "18446744073709551615"),
        ] {
            let mut s = String::new();
            push_uint(&mut s, n);
            assert_eq!(s, want);
        }
    }
}
