//! `application/x-www-form-urlencoded` bodies and query strings as plain data, so
//! the owner page's forms are parsed (and tested) on the host.

/// Decodes one component: `+` is a space, `%XX` a byte; a malformed escape is
/// kept as typed and invalid UTF-8 is replaced, so this never fails or panics.
pub fn decode_component(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|pair| {
                    std::str::from_utf8(pair)
                        .ok()
                        .and_then(|text| u8::from_str_radix(text, 16).ok())
                });
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes a component for a URL query or form value (unreserved characters as is).
pub fn encode_component(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The name/value pairs of a form body or query string, in order.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(input: &str) -> Form {
        Form(
            input
                .trim_start_matches('?')
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode_component(name), decode_component(value))
                })
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
