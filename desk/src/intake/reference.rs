//! Rights-request references such as `PR-7KQ4-M2XD-9HTW`: easy to read out on the
//! phone (no 0/O, 1/I/L or U/V confusion) and unguessable (12 symbols from 30, about
//! 59 bits, drawn from the platform's cryptographic random source).

/// Symbols of a reference: digits 2-9 and letters without I, L, O, U.
pub const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

const GROUPS: usize = 3;
const GROUP_LEN: usize = 4;
const PREFIX: &str = "PR";

/// Largest multiple of the alphabet size that fits in a byte: bytes at or above it
/// are rejected so that every symbol is equally likely.
const REJECT_FROM: u8 = (256 / ALPHABET.len() * ALPHABET.len()) as u8;

/// Makes a reference from a source of random bytes (rejection sampling, no bias).
pub fn generate(mut random_byte: impl FnMut() -> u8) -> String {
    let mut out = String::with_capacity(PREFIX.len() + GROUPS * (GROUP_LEN + 1));
    out.push_str(PREFIX);
    for _ in 0..GROUPS {
        out.push('-');
        let mut taken = 0;
        while taken < GROUP_LEN {
            let byte = random_byte();
            if byte < REJECT_FROM {
                out.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
                taken += 1;
            }
        }
    }
    out
}

/// Normalises a reference a person typed (case, surrounding space) and checks its
/// form; `None` if it cannot be a reference. Never panics.
pub fn parse(input: &str) -> Option<String> {
    let candidate = input.trim().to_ascii_uppercase();
    let mut parts = candidate.split('-');
    if parts.next()? != PREFIX {
        return None;
    }
    for _ in 0..GROUPS {
        let group = parts.next()?;
        if group.len() != GROUP_LEN || !group.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
    }
    parts.next().is_none().then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic byte source for tests.
    fn counter(start: u8) -> impl FnMut() -> u8 {
        let mut next = start;
        move || {
            let byte = next;
            next = next.wrapping_add(37);
            byte
        }
    }

    #[test]
    fn format_is_stable() {
        let reference = generate(counter(0));
        assert_eq!(reference.len(), 17);
        assert_eq!(parse(&reference).as_deref(), Some(reference.as_str()));
        // All-zero bytes give the first symbol everywhere.
        assert_eq!(generate(|| 0), "PR-2222-2222-2222");
        // Bytes at or above 240 are skipped, not folded onto the first symbols.
        let mut bytes = [255u8, 240, 29].into_iter().cycle();
        assert_eq!(generate(|| bytes.next().unwrap_or(0)), "PR-ZZZZ-ZZZZ-ZZZZ");
    }

    #[test]
    fn parse_table() {
        for (input, want) in [
            ("PR-7KQ4-M2XD-9HTW", Some("PR-7KQ4-M2XD-9HTW")),
            ("  pr-7kq4-m2xd-9htw ", Some("PR-7KQ4-M2XD-9HTW")),
            ("PR-7KQ4-M2XD", None),
            ("PR-7KQ4-M2XD-9HTW-AAAA", None),
            ("PR-7KQ4-M2XD-9HT0", None),
            ("PR-7KQ4-M2XD-9HTI", None),
            ("XX-7KQ4-M2XD-9HTW", None),
            ("PR-7KQ4-M2XD-9HTWW", None),
            ("PR-7KQ4-M2XD-9HT\u{1F600}", None),
            ("../req/demo-en", None),
            ("", None),
        ] {
            assert_eq!(parse(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn no_ambiguous_symbols() {
        for ambiguous in b"01ILOU" {
            assert!(!ALPHABET.contains(ambiguous));
        }
        assert_eq!(REJECT_FROM, 240);
    }

    proptest::proptest! {
        #[test]
        fn generated_references_parse(seed in proptest::num::u8::ANY) {
            let reference = generate(counter(seed));
            proptest::prop_assert_eq!(parse(&reference), Some(reference));
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,40}") {
            let _ = parse(&input);
        }
    }
}
