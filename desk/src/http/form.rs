//! `application/x-www-form-urlencoded` bodies and query strings as plain data, so
//! the owner page's forms are parsed (and tested) on the host.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters of RFC 3986 is escaped.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Decodes one component: `+` is a space, `%XX` a byte; a
/// malformed escape is kept as typed and invalid UTF-8 is replaced, so this never
/// fails or panics.
pub fn decode_component(input: &str) -> String {
    percent_decode_str(&input.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Encodes a component for a URL query or form value (unreserved characters as is).
pub fn encode_component(input: &str) -> String {
    utf8_percent_encode(input, COMPONENT).to_string()
}

/// The name/value pairs of a form body or query string, in order.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(input: &str) -> Form {
        let pairs = form_urlencoded::parse(input.trim_start_matches('?').as_bytes());
        Form(
            pairs
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value of `name`, trimmed, if not empty.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_table() {
        for (input, want) in [
            ("plain", "plain"),
            ("a+b", "a b"),
            ("caf%C3%A9", "café"),
            ("100%", "100%"),
            ("%zz", "%zz"),
            ("%4", "%4"),
            ("%FF", "\u{FFFD}"),
            ("%0D%0A", "\r\n"),
        ] {
            assert_eq!(decode_component(input), want, "{input}");
        }
    }

    #[test]
    fn forms() {
        let form =
            Form::parse("?action=extend&reason=Complex+case%3A+many+orders&months=2&empty=&flag");
        assert_eq!(form.get("action"), Some("extend"));
        assert_eq!(form.get("reason"), Some("Complex case: many orders"));
        assert_eq!(form.text("empty"), None);
        assert_eq!(form.get("flag"), Some(""));
        assert_eq!(form.get("missing"), None);
        let text = "Zoë & co = 100% <b>";
        assert_eq!(decode_component(&encode_component(text)), text);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_round_trips(text in "\\PC{0,60}") {
            let _ = Form::parse(&text);
            proptest::prop_assert_eq!(decode_component(&encode_component(&text)), text);
        }
    }
}
