//! Calendar arithmetic on days since 1970-01-01 (UTC), so that the consent cookie
//! can carry a readable date (`20261124`) and its age can be computed without a
//! date library.

use crate::prelude::*;

/// Milliseconds since the epoch (as `Date.now()` gives them) to days since the epoch.
pub fn day_from_millis(ms: f64) -> i32 {
    // `f64::floor` needs `std`; days before 1970 round down too.
    let days = ms / 86_400_000.0;
    let whole = days as i32;
    if f64::from(whole) > days {
        whole - 1
    } else {
        whole
    }
}

/// Days since the epoch to (year, month 1-12, day 1-31), proleptic Gregorian.
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let (y, m, d) = protocol::date::civil_from_days(i64::from(days));
    (y, u32::from(m), u32::from(d))
}

/// (year, month, day) to days since the epoch; `None` for an impossible date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i32> {
    let (m, d) = (u8::try_from(m).ok()?, u8::try_from(d).ok()?);
    protocol::date::days_from_civil(y, m, d).and_then(|days| i32::try_from(days).ok())
}

/// Days since the epoch as `YYYYMMDD` digits.
pub fn compact(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(8);
    push_digits(&mut out, y.max(0) as u32, 4);
    push_digits(&mut out, m, 2);
    push_digits(&mut out, d, 2);
    out
}

/// Days since the epoch as an ISO date `YYYY-MM-DD`.
pub fn iso(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(10);
    push_digits(&mut out, y.max(0) as u32, 4);
    out.push('-');
    push_digits(&mut out, m, 2);
    out.push('-');
    push_digits(&mut out, d, 2);
    out
}

/// Parses `YYYYMMDD` into days since the epoch.
pub fn parse_compact(s: &str) -> Option<i32> {
    let digits = s.as_bytes();
    if digits.len() != 8 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Iterators, not slicing: no panic path in the WASM.
    let n = |from: usize, to: usize| {
        digits
            .iter()
            .take(to)
            .skip(from)
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    days_from_civil(n(0, 4) as i32, n(4, 6), n(6, 8))
}

pub use protocol::date::push_uint;

fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut div = 10u32.pow(width - 1);
    while div > 0 {
        out.push(char::from(b'0' + ((value / div) % 10) as u8));
        div /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (days, compact_form, iso_form) in [
            (0, "19700101", "1970-01-01"),
            (20_416, "20251124", "2025-11-24"),
            (20_781, "20261124", "2026-11-24"),
            (11_016, "20000229", "2000-02-29"),
        ] {
            assert_eq!(compact(days), compact_form);
            assert_eq!(iso(days), iso_form);
            assert_eq!(parse_compact(compact_form), Some(days));
        }
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "",
            "2026",
            "2026112",
            "20261324",
            "20260230",
            "20261100",
            "2026-1-1",
            "２０２６１１２４",
        ] {
            assert_eq!(parse_compact(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimal() {
        for n in [0u64, 7, 10, 15_811_200, u64::MAX] {
            let mut s = String::new();
            push_uint(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn millis() {
        assert_eq!(day_from_millis(0.0), 0);
        assert_eq!(day_from_millis(86_399_999.0), 0);
        assert_eq!(day_from_millis(86_400_000.0), 1);
        assert_eq!(day_from_millis(-1.0), -1);
    }
}
