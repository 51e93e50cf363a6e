//! The languages the product speaks. Every user-facing text is an exhaustive
//! `match` over [`Lang`], so a missing translation does not compile.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Nl,
}

impl Lang {
    /// Picks a language from a BCP 47 tag such as `nl-NL` or `en`; anything that
    /// is not Dutch falls back to English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        if primary.eq_ignore_ascii_case("nl") {
            Lang::Nl
        } else {
            Lang::En
        }
    }

    /// Picks the supported language the visitor prefers most from an
    /// `Accept-Language` header (RFC 9110, section 12.5.4): the highest q-value
    /// wins, the earlier one on a tie, and `q=0` means "not this one".
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(u16, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let primary = pieces
                .next()
                .unwrap_or("")
                .trim()
                .split('-')
                .next()
                .unwrap_or("");
            let lang = if primary.eq_ignore_ascii_case("nl") {
                Lang::Nl
            } else if primary.eq_ignore_ascii_case("en") {
                Lang::En
            } else {
                continue;
            };
            let weight = pieces
                .find_map(|param| {
                    let (name, value) = param.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("q")
                        .then(|| q_value(value.trim()))
                })
                .unwrap_or(Some(1000));
            // A malformed q-value makes the whole entry unusable, as if absent.
            let Some(weight) = weight.filter(|w| *w > 0) else {
                continue;
            };
            if best.is_none_or(|(top, _)| weight > top) {
                best = Some((weight, lang));
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }
}

/// A q-value in thousandths: `0`, `0.5`, `1`, `1.000`; `None` if malformed.
fn q_value(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(core::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        for (tag, want) in [
            ("nl", Lang::Nl),
            ("nl-NL", Lang::Nl),
            ("NL_be", Lang::Nl),
            ("en-GB", Lang::En),
            ("de", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_tag(tag), want, "{tag}");
        }
        for (header, want) in [
            ("nl-NL,nl;q=0.9,en;q=0.8", Lang::Nl),
            ("de-DE,en;q=0.5,nl;q=0.3", Lang::En),
            ("fr", Lang::En),
            ("", Lang::En),
            ("nl;q=0, en", Lang::En),
            ("nl;q=0.000,en;q=0.1", Lang::En),
            ("en;q=0.5, nl;q=0.8", Lang::Nl),
            ("en;q=0.8, nl;q=0.8", Lang::En),
            ("nl;q=0.8, en;q=0.8", Lang::Nl),
            ("de, nl-BE;q=1.0, en", Lang::Nl),
            ("nl;q=2, en;q=0.1", Lang::En),
            ("nl;q=abc, en;q=0.1", Lang::En),
            ("*;q=0.5, nl;Q=0.6", Lang::Nl),
        ] {
            assert_eq!(Lang::from_accept_language(header), want, "{header}");
        }
    }
}
