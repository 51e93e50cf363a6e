//! Property and table tests of the body parsers as the edge uses them (the `json`
//! feature): every rejection in docs/ERRORS.md section 2 has its case here, and no
//! input, however broken, panics or is accepted without passing validation.
#![cfg(feature = "json")]

use proptest::prelude::*;
use protocol::json::{consent_record, rights_request};
use protocol::{ErrorCode, Lang};

const VALID_REQUEST: &str = r##"{"shop":"demo-nl","right":"erasure","name":"Anna de Vries","email":"anna@example.nl","order_number":"#1001","details":"Alles wissen.","confirm_true":true,"lang":"nl","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"##;

fn code(body: &[u8]) -> Option<(&'static str, Option<String>)> {
    rights_request(body, Lang::En)
        .err()
        .map(|e| (e.error.code.code(), e.error.field))
}

#[test]
fn documented_rejections() {
    let nested = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let deep_field = VALID_REQUEST.replace(
        r#""details":"Alles wissen.""#,
        &format!(
            r#""details":{}1{}"#,
            r#"{"a":"#.repeat(300),
            "}".repeat(300)
        ),
    );
    type Case = (Vec<u8>, Option<(&'static str, Option<&'static str>)>);
    let cases: Vec<Case> = vec![
        (VALID_REQUEST.into(), None),
        // Nesting never reaches serde's recursion limit: the first `[` or `{` where the
        // body object or a string belongs is already the wrong type.
        (nested.into_bytes(), Some(("invalid_field", None))),
        (deep_field.into_bytes(), Some(("invalid_field", None))),
        (
            format!("\u{feff}{VALID_REQUEST}").into_bytes(),
            Some(("invalid_json", None)),
        ),
        (
            VALID_REQUEST
                .replace("Anna de Vries", "\\ud800")
                .into_bytes(),
            Some(("invalid_json", None)),
        ),
        (
            [
                &VALID_REQUEST.as_bytes()[..30],
                &[0xff, 0xfe],
                &VALID_REQUEST.as_bytes()[30..],
            ]
            .concat(),
            Some(("invalid_json", None)),
        ),
        (
            format!("{VALID_REQUEST}{{}}").into_bytes(),
            Some(("invalid_json", None)),
        ),
        (
            VALID_REQUEST
                .replace(r#""lang":"nl""#, r#""lang":"nl","lang":"en""#)
                .into_bytes(),
            Some(("invalid_field", None)),
        ),
        (
            VALID_REQUEST
                .replace("erasure", "delete_everything")
                .into_bytes(),
            Some(("invalid_field", None)),
        ),
        (
            VALID_REQUEST
                .replace(r#""confirm_true":true"#, r#""confirm_true":"yes""#)
                .into_bytes(),
            Some(("invalid_field", None)),
        ),
        (b"null".to_vec(), Some(("invalid_field", None))),
        (
            VALID_REQUEST
                .replace(r#""lang":"nl""#, r#""lang":"nl","__proto__":{}"#)
                .into_bytes(),
            Some(("unknown_field", Some("__proto__"))),
        ),
        (
            VALID_REQUEST
                .replace(r#""name":"Anna de Vries","#, "")
                .into_bytes(),
            Some(("missing_field", Some("name"))),
        ),
        (
            VALID_REQUEST
                .replace("Anna de Vries", "Anna\\r\\nBcc: x@y.z")
                .into_bytes(),
            Some(("invalid_field", Some("name"))),
        ),
        (
            VALID_REQUEST
                .replace(r#""lang":"nl""#, r#""lang":"nl","honeypot":"http://x""#)
                .into_bytes(),
            None,
        ),
        (
            VALID_REQUEST
                .replace(r#""lang":"nl""#, r#""lang":"nl","turnstile_token":"a b""#)
                .into_bytes(),
            Some(("invalid_field", Some("turnstile_token"))),
        ),
        (
            vec![b'{'; protocol::MAX_BODY_BYTES + 1],
            Some(("body_too_large", None)),
        ),
    ];
    for (body, want) in cases {
        let got = code(&body);
        let want = want.map(|(c, f)| (c, f.map(str::to_owned)));
        assert_eq!(
            got,
            want,
            "{}",
            String::from_utf8_lossy(&body[..body.len().min(120)])
        );
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = rights_request(&body, Lang::Nl);
        let _ = consent_record(&body, Lang::En);
    }

    #[test]
    fn mutated_requests_never_panic_and_accepted_ones_are_valid(cut in 0usize..260, insert in "\\PC{0,12}", delete in 0usize..6) {
        let mut body = VALID_REQUEST.to_owned();
        let at = cut.min(body.len());
        if body.is_char_boundary(at) && body.is_char_boundary((at + delete).min(body.len())) {
            body.replace_range(at..(at + delete).min(body.len()), &insert);
        }
        if let Ok(request) = rights_request(body.as_bytes(), Lang::En) {
            prop_assert!(protocol::validate::rights_request(&request).is_empty());
        }
    }

    #[test]
    fn any_string_in_any_field_never_panics(field in prop::sample::select(vec!["shop", "right", "name", "email", "order_number", "details", "lang", "idempotency_key", "honeypot", "turnstile_token"]), value in "\\PC{0,300}") {
        let mut json: serde_json::Value = serde_json::from_str(VALID_REQUEST).unwrap();
        json[field] = serde_json::Value::String(value);
        let body = json.to_string();
        match rights_request(body.as_bytes(), Lang::Nl) {
            Ok(request) => prop_assert!(protocol::validate::rights_request(&request).is_empty()),
            Err(error) => prop_assert!(matches!(error.error.code, ErrorCode::InvalidField | ErrorCode::MissingField | ErrorCode::BodyTooLarge)),
        }
    }
}
