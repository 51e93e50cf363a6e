//! Parsing of request bodies into wire types with precise, stable error codes
//! (edge only: the `json` feature). Never panics, whatever the bytes.

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::validate::{self, FieldError};
use crate::{ApiError, ConsentRecord, ErrorCode, Lang, NewRightsRequest, MAX_BODY_BYTES};

/// Parses a body into `T`, mapping serde's errors onto our codes.
pub fn parse<T: DeserializeOwned>(body: &[u8], lang: Lang) -> Result<T, ApiError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::new(ErrorCode::BodyTooLarge, lang));
    }
    serde_json::from_slice(body).map_err(|err| {
        let code = match err.classify() {
            Category::Data => {
                let text = err.to_string();
                if text.starts_with("unknown field") {
                    ErrorCode::UnknownField
                } else if text.starts_with("missing field") {
                    ErrorCode::MissingField
                } else {
                    ErrorCode::InvalidField
                }
            }
            Category::Syntax | Category::Eof | Category::Io => ErrorCode::InvalidJson,
        };
        let mut api = ApiError::new(code, lang);
        if matches!(code, ErrorCode::UnknownField | ErrorCode::MissingField) {
            api.error.field = quoted_name(&err.to_string());
        }
        api
    })
}

/// serde names the offending field in backticks: "unknown field `x`, expected ...".
fn quoted_name(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    let name = &text[start..start + len];
    let plain = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    plain.then(|| name.to_owned())
}

fn first_problem(errors: Vec<FieldError>, lang: Lang) -> Result<(), ApiError> {
    match errors.into_iter().next() {
        Some(err) => Err(ApiError::from_field_error(err, lang)),
        None => Ok(()),
    }
}

/// Parses and validates a consent record. `lang` is the fallback language for
/// errors found before the body's own `lang` is known.
pub fn consent_record(body: &[u8], lang: Lang) -> Result<ConsentRecord, ApiError> {
    let record: ConsentRecord = parse(body, lang)?;
    first_problem(validate::consent_record(&record), record.lang)?;
    Ok(record)
}

/// Parses and validates a rights request.
pub fn rights_request(body: &[u8], lang: Lang) -> Result<NewRightsRequest, ApiError> {
    let request: NewRightsRequest = parse(body, lang)?;
    first_problem(validate::rights_request(&request), request.lang)?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID_CONSENT: &str = r#"{"shop":"demo-nl","consent_id":"Zx8fP2kLq9Wm4Tr7","policy_version":"2026-11","choices":{"analytics":false,"marketing":false},"source":"banner","lang":"nl","gpc":false}"#;

    fn code_of(body: &str) -> Option<(&'static str, Option<String>)> {
        consent_record(body.as_bytes(), Lang::En)
            .err()
            .map(|e| (e.error.code.code(), e.error.field))
    }

    #[test]
    fn consent_table() {
        type Expected<'a> = Option<(&'a str, Option<&'a str>)>;
        let cases: &[(&str, Expected)] = &[
            (VALID_CONSENT, None),
            ("", Some(("invalid_json", None))),
            ("{", Some(("invalid_json", None))),
            ("[]", Some(("invalid_field", None))),
            (
                r#"{"shop":"demo-nl"}"#,
                Some(("missing_field", Some("consent_id"))),
            ),
            (
                &VALID_CONSENT.replace("\"gpc\":false", "\"gpc\":false,\"ip\":\"1.2.3.4\""),
                Some(("unknown_field", Some("ip"))),
            ),
            (
                &VALID_CONSENT.replace("\"gpc\":false", "\"gpc\":\"no\""),
                Some(("invalid_field", None)),
            ),
            (
                &VALID_CONSENT.replace("banner", "popup"),
                Some(("invalid_field", None)),
            ),
            (
                &VALID_CONSENT.replace("Zx8fP2kLq9Wm4Tr7", "short"),
                Some(("invalid_field", Some("consent_id"))),
            ),
            (
                &VALID_CONSENT.replace("demo-nl", "Demo!"),
                Some(("invalid_field", Some("shop"))),
            ),
            (
                &VALID_CONSENT.replace(
                    "\"analytics\":false",
                    "\"analytics\":false,\"necessary\":true",
                ),
                Some(("unknown_field", Some("necessary"))),
            ),
        ];
        for (body, want) in cases {
            let got = code_of(body);
            let want = want.map(|(c, f)| (c, f.map(str::to_owned)));
            assert_eq!(
                got.map(|(c, f)| (c.to_owned(), f)),
                want.map(|(c, f)| (c.to_owned(), f)),
                "{body}"
            );
        }
    }

    #[test]
    fn oversize_body_is_refused_before_parsing() {
        let body = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(
            parse::<ConsentRecord>(&body, Lang::Nl)
                .unwrap_err()
                .error
                .code,
            ErrorCode::BodyTooLarge
        );
    }

    #[test]
    fn error_json_snapshot() {
        let err = rights_request(br#"{"shop":"demo-en","right":"access","name":"","email":"a@b.nl","confirm_true":true,"lang":"nl","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#, Lang::En).unwrap_err();
        assert_eq!(
            serde_json::to_string(&err).unwrap(),
            r#"{"error":{"code":"missing_field","message":"Vul uw naam in.","field":"name"}}"#
        );
    }

    #[test]
    fn wire_snapshots() {
        // A record without the fields added for issue 16 (an older widget) reads
        // as no preferences and no services; today's shape round-trips.
        let record: ConsentRecord = serde_json::from_str(VALID_CONSENT).unwrap();
        let current = r#"{"shop":"demo-nl","consent_id":"Zx8fP2kLq9Wm4Tr7","policy_version":"2026-11","choices":{"analytics":false,"marketing":true,"preferences":true},"source":"banner","lang":"nl","gpc":false,"services":[{"name":"Meta Pixel","granted":false}]}"#;
        assert_eq!(
            serde_json::to_string(&record).unwrap(),
            current
                .replace(
                    r#""marketing":true,"preferences":true"#,
                    r#""marketing":false,"preferences":false"#
                )
                .replace(r#"{"name":"Meta Pixel","granted":false}"#, "")
        );
        let record: ConsentRecord = serde_json::from_str(current).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), current);
        let request = r##"{"shop":"demo-en","right":"withdraw_consent","name":"Sam","email":"sam@example.com","order_number":"#1001","details":"x","confirm_true":true,"lang":"en","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"##;
        let parsed: NewRightsRequest = serde_json::from_str(request).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), request);
        // Honeypot and Turnstile token are optional and only on the wire when sent.
        let hardened = r#"{"shop":"demo-en","right":"access","name":"Sam","email":"sam@example.com","confirm_true":true,"lang":"en","idempotency_key":"k7Yt2QmZp9wXc4Rb","honeypot":"","turnstile_token":"XXXX.DUMMY.TOKEN.XXXX"}"#;
        let parsed: NewRightsRequest = serde_json::from_str(hardened).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), hardened);
        // A service's `provider` is optional and only on the wire when configured.
        let service = r#"{"name":"YouTube","provider":"Google Ireland Ltd","category":"marketing","purpose":{"en":"Videos","nl":"Video's"},"cookies":["YSC"],"retention":{"en":"1 day","nl":"1 dag"},"policy_url":"https://policies.google.com/privacy"}"#;
        let parsed: crate::Service = serde_json::from_str(service).unwrap();
        assert_eq!(parsed.provider.as_deref(), Some("Google Ireland Ltd"));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), service);
        let without = service.replace(r#""provider":"Google Ireland Ltd","#, "");
        let parsed: crate::Service = serde_json::from_str(&without).unwrap();
        assert_eq!(serde_json::to_string(&parsed).unwrap(), without);
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(body in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = consent_record(&body, Lang::En);
            let _ = rights_request(&body, Lang::Nl);
        }

        #[test]
        fn mutated_valid_bodies_never_panic(cut in 0usize..200, insert in "\\PC{0,8}") {
            let mut body = VALID_CONSENT.to_owned();
            let at = cut.min(body.len());
            if body.is_char_boundary(at) {
                body.insert_str(at, &insert);
            }
            let _ = consent_record(body.as_bytes(), Lang::En);
        }
    }
}
