//! The first-party consent cookie `pd_consent`: the visitor's choice, kept so that
//! the next page can restore it before any tag runs.
//!
//! Format 2 (one cookie value, fields separated by `.`), written since issue 16:
//!
//! ```text
//! pd_consent=2.AMPGD.S.YYYYMMDD.ID.SERVICES.POLICY
//!            │ │││││ │ │        │  │        └ the shop's policy version, percent-encoded
//!            │ │││││ │ │        │  └ services set apart from their category: `+name`
//!            │ │││││ │ │        │    (granted) or `-name` (denied), names percent-encoded
//!            │ │││││ │ │        │    (`.` and `!` too), separated by `!`; often empty
//!            │ │││││ │ │        └ consent id: random, base64url (22 characters)
//!            │ │││││ │ └ date of the choice (UTC)
//!            │ │││││ └ source: b = banner, p = preferences, g = GPC, a = JS API
//!            │ ││││└ Google's ad signals (`ad_*`), as worked out when written
//!            │ │││└ Google's `analytics_storage`, as worked out when written
//!            │ ││└ preferences: 1 granted, 0 denied
//!            │ │└ marketing: 1 granted, 0 denied
//!            │ └ analytics: 1 granted, 0 denied
//!            └ format version
//! ```
//!
//! Example: `2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.-Google%20Analytics.2026-11-01`
//! (analytics, but not Google Analytics). G and D are what
//! [`super::decide::consent_mode`] made of the choice and the shop's services, so
//! that the loader restores Google's signals without reading the service list;
//! the module works them out again and ignores them when reading. Format 1
//! (`1.AM.S.YYYYMMDD.ID.POLICY`, before issue 16) is still read: it had no
//! preferences category (denied: it was never asked) and no services, and its A
//! and M were Google's signals too. The loader (`widget/loader.js`) reads both
//! with a `split('.')`: the flags, the date and the policy version (everything
//! after the services field, or after the id in format 1, since a policy version
//! may contain dots).
//! The cookie is `Path=/; SameSite=Lax`, `Secure` on https, with `Max-Age` = the
//! shop's consent lifetime; the widget and the loader also check the date, because
//! a cookie's expiry is not proof of age.

use crate::prelude::*;

use protocol::{Choices, ConsentSource};

use super::decide::Consent;

pub const COOKIE_NAME: &str = "pd_consent";

/// A choice as stored in the consent cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredConsent {
    pub consent: Consent,
    pub source: ConsentSource,
    /// Day of the choice, in days since 1970-01-01 (UTC).
    pub day: i32,
    pub consent_id: String,
    pub policy_version: String,
}

impl StoredConsent {
    /// The cookie value (without name and attributes), in format 2, for a shop
    /// with `services`.
    pub fn to_cookie_value(&self, services: &[protocol::Service]) -> String {
        let mut out = String::with_capacity(56 + self.policy_version.len());
        let c = self.consent.choices;
        let google = super::decide::consent_mode(&self.consent, services);
        out.push_str("2.");
        for on in [
            c.analytics,
            c.marketing,
            c.preferences,
            google[3].1,
            google[0].1,
        ] {
            out.push(flag(on));
        }
        out.push('.');
        out.push(source_char(self.source));
        out.push('.');
        out.push_str(&super::date::compact(self.day));
        out.push('.');
        out.push_str(&self.consent_id);
        out.push('.');
        for (i, (name, on)) in self.consent.services.iter().enumerate() {
            if i > 0 {
                out.push('!');
            }
            out.push(if *on { '+' } else { '-' });
            percent_encode(name, true, &mut out);
        }
        out.push('.');
        percent_encode(&self.policy_version, false, &mut out);
        out
    }

    /// Parses a cookie value of format 1 or 2; anything unexpected gives `None`
    /// (and the visitor is simply asked again).
    pub fn parse(value: &str) -> Option<StoredConsent> {
        let (version, rest) = value.split_once('.')?;
        let v2 = match version {
            "1" => false,
            "2" => true,
            _ => return None,
        };
        let mut parts = rest.splitn(if v2 { 6 } else { 5 }, '.');
        let flags = parts.next()?.as_bytes();
        if flags.len() != if v2 { 5 } else { 2 } || !flags.iter().all(|b| parse_flag(*b).is_some())
        {
            return None;
        }
        let choices = Choices {
            analytics: parse_flag(flags[0])?,
            marketing: parse_flag(flags[1])?,
            preferences: match flags.get(2) {
                Some(&b) => parse_flag(b)?,
                None => false,
            },
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
        let mut services = Vec::new();
        if v2 {
            let list = parts.next()?;
            for item in list.split('!').filter(|_| !list.is_empty()) {
                let mut chars = item.chars();
                let on = match chars.next()? {
                    '+' => true,
                    '-' => false,
                    _ => return None,
                };
                let name = percent_decode(chars.as_str())?;
                if name.is_empty() {
                    return None;
                }
                services.push((name, on));
            }
        }
        let policy_version = percent_decode(parts.next()?)?;
        if policy_version.is_empty() {
            return None;
        }
        Some(StoredConsent {
            consent: Consent { choices, services },
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

/// Encodes every byte outside `A-Z a-z 0-9 - _ . ~` (and `.` too when `dot`) as
/// `%XX`, so that no policy version or service name can break the cookie syntax.
fn percent_encode(value: &str, dot: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') || (b == b'.' && !dot) {
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
            consent: Consent::of(Choices {
                analytics: true,
                marketing: false,
                preferences: false,
            }),
            source: ConsentSource::Banner,
            day: 20_781,
            consent_id: "q3xTLdT0mO4p4rKQyL7Z1w".into(),
            policy_version: "2026-11-01".into(),
        }
    }

    fn google_analytics() -> protocol::Service {
        let text = protocol::Localized {
            en: "x".into(),
            nl: "x".into(),
        };
        protocol::Service {
            name: "Google Analytics".into(),
            provider: None,
            category: protocol::Category::Analytics,
            purpose: text.clone(),
            cookies: Vec::new(),
            retention: text,
            policy_url: String::new(),
            local_storage: Vec::new(),
        }
    }

    fn with(choices: (bool, bool, bool), services: &[(&str, bool)]) -> StoredConsent {
        StoredConsent {
            consent: Consent {
                choices: Choices {
                    analytics: choices.0,
                    marketing: choices.1,
                    preferences: choices.2,
                },
                services: services.iter().map(|(n, on)| ((*n).into(), *on)).collect(),
            },
            ..sample()
        }
    }

    #[test]
    fn documented_example() {
        let example = with((true, false, false), &[("Google Analytics", false)]);
        let ga = [google_analytics()];
        assert_eq!(
            example.to_cookie_value(&ga),
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.-Google%20Analytics.2026-11-01"
        );
        assert!(
            StoredConsent::parse(
                "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.-Google%20Analytics.2026-11-01"
            ) == Some(example)
        );
        assert_eq!(
            sample().to_cookie_value(&ga),
            "2.10010.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w..2026-11-01"
        );
        // Google's signals as the loader needs them: the category without a
        // service of Google's name, the service's own choice with one.
        for (stored, services, flags) in [
            (with((false, true, true), &[]), &[][..], "01101"),
            (
                with((false, false, false), &[("Google Analytics", true)]),
                &ga[..],
                "00010",
            ),
            (
                with((true, true, false), &[("Google Analytics", false)]),
                &ga[..],
                "11001",
            ),
        ] {
            let value = stored.to_cookie_value(services);
            assert_eq!(value.split('.').nth(1), Some(flags), "{value}");
        }
    }

    /// Values written by the widget before issue 16 (format 1) keep their meaning:
    /// the two categories, no preferences (never asked), no services.
    #[test]
    fn reads_format_1() {
        for (value, want) in [
            (
                "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01",
                Some(with((true, false, false), &[])),
            ),
            (
                "1.11.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01",
                Some(with((true, true, false), &[])),
            ),
            (
                "1.01.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01",
                Some(with((false, true, false), &[])),
            ),
            // A format 1 policy version with dots is all of the rest.
            (
                "1.00.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026.11.01",
                Some(StoredConsent {
                    policy_version: "2026.11.01".into(),
                    ..with((false, false, false), &[])
                }),
            ),
            ("1.100.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.2026-11-01", None),
            // Format 1 had no services field: a dot-free second-to-last part is policy.
            (
                "1.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.-Meta.v1",
                Some(StoredConsent {
                    policy_version: "-Meta.v1".into(),
                    ..with((true, false, false), &[])
                }),
            ),
        ] {
            assert!(StoredConsent::parse(value) == want, "{value}");
        }
    }

    #[test]
    fn round_trips_odd_policy_versions_and_service_names() {
        let services: &[&[(&str, bool)]] = &[
            &[],
            &[("Meta Pixel", false)],
            &[
                ("Meta Pixel", true),
                ("Hotjar.com!", false),
                ("ü+-!.%", true),
            ],
        ];
        for policy in ["v2", "2026.11 rev; 3", "ünïcode, \"quoted\"", "a=b%c"] {
            for source in [
                ConsentSource::Banner,
                ConsentSource::Preferences,
                ConsentSource::Gpc,
                ConsentSource::Api,
            ] {
                for list in services {
                    let s = StoredConsent {
                        policy_version: policy.into(),
                        source,
                        ..with((false, true, true), list)
                    };
                    let value = s.to_cookie_value(&[google_analytics()]);
                    assert!(
                        value
                            .bytes()
                            .all(|b| b.is_ascii_graphic()
                                && !matches!(b, b';' | b',' | b'"' | b'\\')),
                        "{value}"
                    );
                    assert!(StoredConsent::parse(&value) == Some(s), "{value}");
                }
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "1",
            "3.10.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
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
            "2.100.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w..v1",
            "2.10002.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w..v1",
            "2.100000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w..v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.Meta.v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.+.v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.+a!!-b.v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.+%FF.v1",
            "2.10000.b.20261124.q3xTLdT0mO4p4rKQyL7Z1w.-a.",
        ] {
            assert!(StoredConsent::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn never_panics_on_any_short_input() {
        let alphabet = ['1', '0', '.', '%', 'b', 'F', 'é', '2', '!', '+'];
        let mut s = String::new();
        for i in 0..200_000u32 {
            s.clear();
            let mut n = i;
            while n > 0 {
                s.push(alphabet[(n % 10) as usize]);
                n /= 10;
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
