//! Table tests of the shared validation rules: each field's accepted and refused
//! inputs, and the messages in both languages.

use super::*;
use crate::Right;

fn request() -> NewRightsRequest {
    NewRightsRequest {
        shop: "demo-nl".into(),
        right: Right::Access,
        name: "Anna de Vries".into(),
        email: "anna@example.nl".into(),
        order_number: None,
        details: None,
        confirm_true: true,
        lang: Lang::Nl,
        idempotency_key: "k7Yt2QmZp9wXc4Rb".into(),
        honeypot: None,
        turnstile_token: None,
    }
}

/// Applies `edit` to a valid request and compares the problems found.
fn check(edit: impl FnOnce(&mut NewRightsRequest), want: &[(Field, Problem)]) {
    let mut req = request();
    edit(&mut req);
    let got: Vec<(Field, Problem)> = rights_request(&req)
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn rights_request_table() {
    check(|_| {}, &[]);
    check(|r| r.name = "  ".into(), &[(Field::Name, Problem::Missing)]);
    check(
        |r| r.name = "x".repeat(201),
        &[(Field::Name, Problem::TooLong)],
    );
    check(
        |r| r.name = "Anna\r\nBcc: evil@example.com".into(),
        &[(Field::Name, Problem::ControlCharacters)],
    );
    check(
        |r| r.name = "Anna\u{2028}X".into(),
        &[(Field::Name, Problem::ControlCharacters)],
    );
    check(|r| r.email = "".into(), &[(Field::Email, Problem::Missing)]);
    check(
        |r| r.email = "anna".into(),
        &[(Field::Email, Problem::InvalidFormat)],
    );
    check(
        |r| r.email = "anna@example".into(),
        &[(Field::Email, Problem::InvalidFormat)],
    );
    check(
        |r| r.email = "an na@example.nl".into(),
        &[(Field::Email, Problem::InvalidFormat)],
    );
    check(
        |r| r.email = "anna@example.nl\nBcc: x@y.z".into(),
        &[(Field::Email, Problem::ControlCharacters)],
    );
    check(
        |r| r.email = "anna@-example.nl".into(),
        &[(Field::Email, Problem::InvalidFormat)],
    );
    check(
        |r| r.email = "anna.de.vries+shop@sub.example.co.uk".into(),
        &[],
    );
    // A domain in any script is fine (the edge sends to its IDNA form); a local
    // part in one needs SMTPUTF8, which our mail services do not offer.
    check(|r| r.email = "juergen@bücher.de".into(), &[]);
    check(
        |r| r.email = "jürgen@bücher.de".into(),
        &[(Field::Email, Problem::NotMailable)],
    );
    check(|r| r.order_number = Some("#1001".into()), &[]);
    check(
        |r| r.order_number = Some("1".repeat(65)),
        &[(Field::OrderNumber, Problem::TooLong)],
    );
    check(
        |r| r.right = Right::Rectification,
        &[(Field::Details, Problem::Missing)],
    );
    check(
        |r| r.right = Right::Objection,
        &[(Field::Details, Problem::Missing)],
    );
    check(
        |r| {
            r.right = Right::Rectification;
            r.details = Some("My address is wrong.\nNew: Dorpsstraat 1\tAmsterdam".into());
        },
        &[],
    );
    check(
        |r| r.details = Some("a\u{0}b".into()),
        &[(Field::Details, Problem::ControlCharacters)],
    );
    check(
        |r| r.details = Some("x".repeat(5001)),
        &[(Field::Details, Problem::TooLong)],
    );
    check(
        |r| r.confirm_true = false,
        &[(Field::ConfirmTrue, Problem::NotConfirmed)],
    );
    check(
        |r| r.idempotency_key = "short".into(),
        &[(Field::IdempotencyKey, Problem::TooShort)],
    );
    check(
        |r| r.idempotency_key = "k7Yt2QmZp9wXc4Rb!".into(),
        &[(Field::IdempotencyKey, Problem::InvalidFormat)],
    );
    check(
        |r| r.shop = "Demo NL".into(),
        &[(Field::Shop, Problem::InvalidFormat)],
    );
    check(
        |r| r.turnstile_token = Some("XXXX.DUMMY.TOKEN.XXXX".into()),
        &[],
    );
    check(
        |r| r.turnstile_token = Some(String::new()),
        &[(Field::TurnstileToken, Problem::Missing)],
    );
    check(
        |r| r.turnstile_token = Some("a b".into()),
        &[(Field::TurnstileToken, Problem::InvalidFormat)],
    );
    check(
        |r| r.turnstile_token = Some("x".repeat(2049)),
        &[(Field::TurnstileToken, Problem::TooLong)],
    );
    check(|r| r.honeypot = Some(String::new()), &[]);
    check(|r| r.honeypot = Some("https://spam.example".into()), &[]);
    check(
        |r| r.honeypot = Some("x".repeat(201)),
        &[(Field::Honeypot, Problem::TooLong)],
    );
    check(
        |r| {
            r.name = String::new();
            r.email = String::new();
            r.confirm_true = false;
        },
        &[
            (Field::Name, Problem::Missing),
            (Field::Email, Problem::Missing),
            (Field::ConfirmTrue, Problem::NotConfirmed),
        ],
    );
}

#[test]
fn every_message_exists_in_both_languages() {
    let fields = [
        Field::Shop,
        Field::ConsentId,
        Field::PolicyVersion,
        Field::Services,
        Field::Right,
        Field::Name,
        Field::Email,
        Field::OrderNumber,
        Field::Details,
        Field::ConfirmTrue,
        Field::IdempotencyKey,
        Field::TurnstileToken,
        Field::Honeypot,
    ];
    let problems = [
        Problem::Missing,
        Problem::TooLong,
        Problem::TooShort,
        Problem::ControlCharacters,
        Problem::InvalidFormat,
        Problem::NotConfirmed,
    ];
    for field in fields {
        for problem in problems {
            let e = FieldError { field, problem };
            assert_ne!(
                e.message(Lang::En),
                e.message(Lang::Nl),
                "{field:?} {problem:?}"
            );
        }
    }
}

proptest::proptest! {
    #[test]
    fn validators_never_panic(s in "\\PC*", n in 0usize..300) {
        let _ = email(&s);
        let _ = single_line(&s, 0, n);
        let _ = multi_line(&s, 1, n);
        let _ = token(&s, 16, 64);
        let _ = shop_id(&s);
        let _ = turnstile_token(&s);
    }
}
