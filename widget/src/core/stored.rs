//! The first-party consent cookie `pd_consent`: the visitor's choice, kept so that
//! the next page can restore it before any tag runs.
//!
//! Format (one cookie value, fields separated by `.`):
//!
//! ```text
//! pd_consent=1.AM.S.YYYYMMDD.ID.POLICY
//!            │ ││ │ │        │  └ the shop's policy version, percent-encoded
//!            │ ││ │ │        └ consent id: random, base64url (22 characters)
//!            │ ││ │ └ date of the choice (UTC)
//!            │ ││ └ source: b = banner, p = preferences, g = GPC, a = JS API
//!            │ │└ marketing: 1 granted, 0 denied
//!            │ └ analytics: 1 granted, 0 denied
//!            └ format version
//! ```
//!
//! Example: `1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01`. The loader
//! (`widget/loader.js`) reads only the first two fields with a regular expression,
//! so they must stay where they are. The cookie is `Path=/; SameSite=Lax`, `Secure`
//! on https, with `Max-Age` = the shop's consent lifetime; the widget also checks
//! the date, because a cookie's expiry is not proof of age.

use crate::prelude::*;

use protocol::{Choices, ConsentSource};

pub const COOKIE_NAME: &str = "pd_consent";
const FORMAT_VERSION: &str = "1";

/// A choice as stored in the consent cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredConsent {
    pub choices: Choices,
    pub source: ConsentSource,
    /// Day of the choice, in days since 1970-01-01 (UTC).
    pub day: i32,
    pub consent_id: String,
    pub policy_version: String,
}

impl StoredConsent {
    /// The cookie value (without name and attributes).
    pub fn to_cookie_value(&self) -> String {
        let mut out = String::with_capacity(48 + self.policy_version.len());
        out.push_str(FORMAT_VERSION);
        out.push('.');
        out.push(flag(self.choices.analytics));
        out.push(flag(self.choices.marketing));
        out.push('.');
        out.push(source_char(self.source));
        out.push('.');
        out.push_str(&super::date::compact(self.day));
        out.push('.');
        out.push_str(&self.consent_id);
        out.push('.');
        percent_encode(&self.policy_version, &mut out);
        out
    }

    /// Parses a cookie value; anything unexpected gives `None` (and the visitor is
    /// simply asked again).
    pub fn parse(value: &str) -> Option<StoredConsent> {
        let mut parts = value.splitn(6, '.');
        if parts.next()? != FORMAT_VERSION {
            return None;
        }
        let flags = parts.next()?.as_bytes();
        if flags.len() != 2 {
            return None;
        }
        let choices = Choices {
            analytics: parse_flag(flags[0])?,
            marketing: parse_flag(flags[1])?,
        };
        let source = match parts.next()? {
            "b" => ConsentSource::Banner,
            "p" => ConsentSource::Preferences,
            "g" => ConsentSource::Gpc,
            "a" => ConsentSource::Api,
            _ => return None,
        };
        let day = super::date::parse_compact(parts.next()?)?;
        let consent_id = parts.next()?;
        if protocol::validate::token(consent_id, 16, 64).is_err() {
            return None;
        }
        let policy_version = percent_decode(parts.next()?)?;
        if policy_version.is_empty() {
            return None;
        }
        Some(StoredConsent {
            choices,
            source,
            day,
            consent_id: consent_id.into(),
            policy_version,
        })
    }
}

/// Finds the consent cookie's value in a `document.cookie` string.
pub fn find_cookie<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim())
    })
}

fn flag(on: bool) -> char {
    if on {
        '1'
    } else {
        '0'
    }
}

fn parse_flag(b: u8) -> Option<bool> {
    match b {
        b'1' => Some(true),
        b'0' => Some(false),
        _ => None,
    }
}

fn source_char(source: ConsentSource) -> char {
    match source {
        ConsentSource::Banner => 'b',
        ConsentSource::Preferences => 'p',
        ConsentSource::Gpc => 'g',
        ConsentSource::Api => 'a',
    }
}

/// Encodes every byte outside `A-Z a-z 0-9 - _ . ~` as `%XX`, so that no policy
/// version can break the cookie syntax.
fn percent_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| char::from(b).to_digit(16);
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes bytes as base64url without padding (16 random bytes -> 22 characters).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StoredConsent {
        StoredConsent {
            choices: Choices {
                analytics: true,
                marketing: false,
            },
            source: ConsentSource::Banner,
            day: 20_781,
            consent_id: "q3xTLdT0mO4p4rKQyL7Z1w".into(),
            policy_version: "2026-11-01".into(),
        }
    }

    #[test]
    fn documented_example() {
        assert_eq!(
            sample().to_cookie_value(),
            "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01"
        );
        assert!(
            StoredConsent::parse("1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01")
                == Some(sample())
        );
    }

    #[test]
    fn round_trips_odd_policy_versions() {
        for policy in ["v2", "2026.11 rev; 3", "ünïcode, \"quoted\"", "a=b%c"] {
            for source in [
                ConsentSource::Banner,
                ConsentSource::Preferences,
                ConsentSource::Gpc,
                ConsentSource::Api,
            ] {
                let s = StoredConsent {
                    policy_version: policy.into(),
                    source,
                    ..sample()
                };
                let value = s.to_cookie_value();
                assert!(
                    value
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'"' | b'\\')),
                    "{value}"
                );
                assert!(StoredConsent::parse(&value) == Some(s), "{value}");
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "1",
            "2.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "1.12.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "1.1.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "1.10.x.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "1.10.b.20261324.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "1.10.b.20261124.short.v1",
            "1.10.b.20261124.q3xTLdT0mO4p4rKQ<L7Z1w.v1",
            "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.",
            "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.%G1",
            "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.%FF",
            "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w",
        ] {
            assert!(StoredConsent::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn never_panics_on_any_short_input() {
        let alphabet = ['1', '0', '.', '%', 'b', 'F', 'é', '2'];
        let mut s = String::new();
        for i in 0..20_000u32 {
            s.clear();
            let mut n = i;
            while n > 0 {
                s.push(alphabet[(n % 8) as usize]);
                n /= 8;
            }
            let _ = StoredConsent::parse(&s);
        }
    }

    #[test]
    fn finds_cookie() {
        let header = "_ga=GA1.1.1; pd_consent=1.00.g.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1;other=x";
        assert_eq!(
            find_cookie(header, COOKIE_NAME),
            Some("1.00.g.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1")
        );
        assert_eq!(find_cookie(header, "other"), Some("x"));
        assert_eq!(find_cookie("xpd_consent=1", COOKIE_NAME), None);
        assert_eq!(find_cookie("", COOKIE_NAME), None);
    }

    #[test]
    fn base64url_matches_rfc4648() {
        for (input, want) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"\xfb\xff", "-_8"),
        ] {
            assert_eq!(base64url(input), want);
        }
        assert_eq!(base64url(&[0xAB; 16]).len(), 22);
    }
}
