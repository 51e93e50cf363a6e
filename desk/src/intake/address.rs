//! E-mail addresses as the product sends to and compares them: the domain in its
//! IDNA (ASCII) form, so that an address typed with `bücher.example` can be mailed
//! through services that only speak ASCII and is found again however it is typed.

/// The address to store and send to: trimmed, the domain converted to its ASCII
/// (A-label) form and lower-cased. `None` when the domain is not a valid
/// internationalised name, or the part before the `@` is not ASCII (which needs
/// SMTPUTF8; `protocol::validate::email` already refuses it with a message).
pub fn deliverable(email: &str) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    if local.is_empty() || !local.is_ascii() {
        return None;
    }
    let ascii = idna::domain_to_ascii_strict(domain).ok()?;
    if ascii.is_empty() || !ascii.contains('.') {
        return None;
    }
    Some(format!("{local}@{ascii}"))
}

/// The form in which two addresses are compared (proofs, the blind index):
/// [`deliverable`], lower-cased; an address it refuses is only trimmed and
/// lower-cased, so a comparison never fails for that reason alone.
pub fn normalized(email: &str) -> String {
    deliverable(email)
        .unwrap_or_else(|| email.trim().to_owned())
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliverable_table() {
        for (input, want) in [
            ("anna@example.nl", Some("anna@example.nl")),
            ("  anna@Example.NL ", Some("anna@example.nl")),
            ("anna@bücher.example", Some("anna@xn--bcher-kva.example")),
            ("Anna@BÜCHER.example", Some("Anna@xn--bcher-kva.example")),
            (
                "anna@xn--bcher-kva.example",
                Some("anna@xn--bcher-kva.example"),
            ),
            ("jürgen@bücher.example", None),
            ("anna@", None),
            ("@example.nl", None),
            ("anna", None),
            ("anna@bad..example", None),
        ] {
            assert_eq!(deliverable(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn normalized_addresses_compare_however_typed() {
        assert_eq!(
            normalized("Anna@Bücher.example"),
            normalized("anna@xn--bcher-kva.example")
        );
        assert_eq!(normalized(" ANNA@EXAMPLE.NL"), "anna@example.nl");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            let _ = deliverable(&text);
            let _ = normalized(&text);
        }
    }
}
