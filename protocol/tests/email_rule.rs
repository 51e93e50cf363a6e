//! `validate::email` was rewritten on bytes (no `str` slicing and no Unicode
//! letter tables, so the widget's form module carries neither): it must decide
//! exactly as the earlier version, kept here as the reference, on addresses near
//! the rule's edges and on any text, with one deliberate change: a non-ASCII
//! character in the domain is no longer checked against Unicode's letters and
//! digits here but left to the edge's IDNA conversion (`desk::intake::address`),
//! which refuses a name that has no ASCII form.

use proptest::prelude::*;
use protocol::validate::{email, Problem};

/// The rule as it was written before, on `str` (with the one change above).
fn reference(value: &str) -> Result<(), Problem> {
    fn forbidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Missing);
    }
    if value.chars().count() > 254 {
        return Err(Problem::TooLong);
    }
    if value.chars().any(forbidden) {
        return Err(Problem::ControlCharacters);
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Err(Problem::InvalidFormat);
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | ']' | '\\'
                )
        });
    if !local.is_ascii() {
        return Err(Problem::NotMailable);
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
        })
        && labels.last().is_some_and(|tld| {
            tld.chars().count() >= 2 && !tld.chars().all(|c| c.is_ascii_digit())
        });
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// A verdict that prints (`Problem` has `Debug` only in the crate's own tests).
fn verdict(result: Result<(), Problem>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(Problem::Missing) => "missing",
        Err(Problem::TooLong) => "too long",
        Err(Problem::TooShort) => "too short",
        Err(Problem::ControlCharacters) => "control characters",
        Err(Problem::InvalidFormat) => "invalid format",
        Err(Problem::NotConfirmed) => "not confirmed",
        Err(Problem::NotMailable) => "not mailable",
    }
}

#[test]
fn edges_of_the_rule() {
    let long_local = format!("{}@example.nl", "a".repeat(64));
    let too_long_local = format!("{}@example.nl", "a".repeat(65));
    let long_label = format!("a@{}.nl", "b".repeat(63));
    let too_long_label = format!("a@{}.nl", "b".repeat(64));
    let cases = [
        "anna@example.nl",
        " anna@example.nl ",
        "",
        "   ",
        "anna",
        "@example.nl",
        "anna@",
        "anna@nl",
        "anna@example.n",
        "anna@example.12",
        "anna@example.1a",
        "anna@-example.nl",
        "anna@example-.nl",
        "anna@exa_mple.nl",
        "anna@example..nl",
        "anna@.example.nl",
        "anna@example.nl.",
        ".anna@example.nl",
        "anna.@example.nl",
        "an..na@example.nl",
        "an.na@example.nl",
        "an na@example.nl",
        "an\"na@example.nl",
        "an\\na@example.nl",
        "a@b@example.nl",
        "anna@bücher.de",
        "anna@例え.jp",
        "anna@例え.テスト",
        "anna@☃.nl",
        "änna@example.nl",
        "anna@exa\u{202E}mple.nl",
        "anna@exa\tmple.nl",
        "an\u{a0}na@example.nl",
        "anna@ex\u{a0}ample.nl",
        "anna@example.nl\u{2028}",
        &long_local,
        &too_long_local,
        &long_label,
        &too_long_label,
    ];
    for case in cases {
        assert_eq!(verdict(email(case)), verdict(reference(case)), "{case:?}");
    }
}

#[test]
fn non_ascii_in_the_domain_is_left_to_idna() {
    // Letters and digits of any script pass, as before...
    for ok in ["anna@bücher.de", "anna@例え.テスト", "anna@②.nl"] {
        assert_eq!(verdict(email(ok)), "ok", "{ok}");
    }
    // ...and so do other non-ASCII characters now: the edge converts the domain
    // (xn--n3h.nl) or refuses it.
    for now_ok in ["anna@☃.nl", "anna@ex™ample.nl", "anna@ex。ample.nl"] {
        assert_eq!(verdict(email(now_ok)), "ok", "{now_ok}");
    }
    // ASCII stays as strict as it was.
    for refused in ["anna@ex_ample.nl", "anna@ex ample.nl", "anna@ex!ample.nl"] {
        assert_eq!(verdict(email(refused)), "invalid format", "{refused}");
    }
}

proptest! {
    #[test]
    fn same_verdict_on_any_text(value in "\\PC{0,80}") {
        prop_assert_eq!(verdict(email(&value)), verdict(reference(&value)));
    }

    #[test]
    fn same_verdict_on_address_like_text(
        value in "[ a-zA-Z0-9.@\\-_\"\\\\(),:;<>\\[\\]äü例☃\u{a0}\u{2028}]{0,40}"
    ) {
        prop_assert_eq!(verdict(email(&value)), verdict(reference(&value)));
    }
}
