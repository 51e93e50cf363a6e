//! The rights-request form's pure logic: turning what the visitor typed into a
//! `NewRightsRequest` (with the same validation the edge applies), classifying the
//! edge's answer, mapping its error to a field, formatting the due date and
//! encoding the idempotency key. No DOM here, so it is tested on the host.

use crate::prelude::*;

use alloc::borrow::Cow;

use protocol::validate::{self, Field, FieldError, Problem};
use protocol::{Lang, NewRightsRequest, Right};

/// Random bytes in an idempotency key: 16 bytes are 22 base64url characters.
pub const KEY_BYTES: usize = 16;

/// The form's own fields, in the order they appear on the page.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum FormField {
    Right,
    Name,
    Email,
    OrderNumber,
    Details,
    ConfirmTrue,
}

impl FormField {
    pub const ALL: [FormField; 6] = [
        FormField::Right,
        FormField::Name,
        FormField::Email,
        FormField::OrderNumber,
        FormField::Details,
        FormField::ConfirmTrue,
    ];

    /// The wire name, also the suffix of the element ids.
    pub fn wire_name(self) -> &'static str {
        self.protocol().wire_name()
    }

    /// The field an error from the edge names (`error.field`), if the visitor can
    /// fix it in the form. Shop id and idempotency key are not the visitor's to fix.
    pub fn from_wire(name: &str) -> Option<FormField> {
        FormField::ALL
            .into_iter()
            .find(|field| field.wire_name() == name)
    }

    fn from_protocol(field: Field) -> Option<FormField> {
        match field {
            Field::Right => Some(FormField::Right),
            Field::Name => Some(FormField::Name),
            Field::Email => Some(FormField::Email),
            Field::OrderNumber => Some(FormField::OrderNumber),
            Field::Details => Some(FormField::Details),
            Field::ConfirmTrue => Some(FormField::ConfirmTrue),
            Field::Shop
            | Field::ConsentId
            | Field::PolicyVersion
            | Field::Services
            | Field::IdempotencyKey
            | Field::TurnstileToken
            | Field::Honeypot => None,
        }
    }

    fn protocol(self) -> Field {
        match self {
            FormField::Right => Field::Right,
            FormField::Name => Field::Name,
            FormField::Email => Field::Email,
            FormField::OrderNumber => Field::OrderNumber,
            FormField::Details => Field::Details,
            FormField::ConfirmTrue => Field::ConfirmTrue,
        }
    }
}

/// What the visitor typed, exactly as read from the controls.
#[derive(Clone, Default)]
pub struct FormValues {
    pub right: Option<Right>,
    pub name: String,
    pub email: String,
    pub order_number: String,
    pub details: String,
    pub confirm_true: bool,
}

/// A problem to show: at a field (inline and in the summary) or, without a
/// field, only in the summary.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct FormError {
    pub field: Option<FormField>,
    pub message: Cow<'static, str>,
}

impl FormError {
    fn from_field_error(error: FieldError, lang: Lang) -> FormError {
        FormError {
            field: FormField::from_protocol(error.field),
            message: Cow::Borrowed(error.message(super::text::shown(lang))),
        }
    }
}

/// Builds the request body from the form, trimming what the edge would trim and
/// leaving out empty optional fields.
pub fn build_request(
    values: &FormValues,
    shop: &str,
    lang: Lang,
    idempotency_key: &str,
) -> NewRightsRequest {
    NewRightsRequest {
        shop: shop.to_owned(),
        // Without a choice the request is never sent; Access needs no details, so
        // the placeholder adds no problem of its own.
        right: values.right.unwrap_or(Right::Access),
        name: values.name.trim().to_owned(),
        email: values.email.trim().to_owned(),
        order_number: non_empty(&values.order_number),
        details: non_empty(&values.details),
        confirm_true: values.confirm_true,
        lang,
        idempotency_key: idempotency_key.to_owned(),
        honeypot: None,
        turnstile_token: None,
    }
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        None
    } else {
        Some(trimmed.to_owned())
    }
}

/// Every problem with the form, in form order, with the edge's own rules and words.
pub fn problems(
    values: &FormValues,
    shop: &str,
    lang: Lang,
    idempotency_key: &str,
) -> Vec<FormError> {
    let mut errors = Vec::new();
    if values.right.is_none() {
        let missing = FieldError {
            field: Field::Right,
            problem: Problem::Missing,
        };
        errors.push(FormError::from_field_error(missing, lang));
    }
    let request = build_request(values, shop, lang, idempotency_key);
    errors.extend(
        validate::rights_request(&request)
            .into_iter()
            .map(|e| FormError::from_field_error(e, lang)),
    );
    errors
}

/// The problem with one field, for inline validation as the visitor leaves it.
pub fn field_problem(values: &FormValues, field: FormField, lang: Lang) -> Option<FormError> {
    // A well-formed stand-in for the parts the visitor does not type.
    problems(values, "shop", lang, "0000000000000000")
        .into_iter()
        .find(|e| e.field == Some(field))
}

/// The form's request, or every problem with it.
pub fn checked_request(
    values: &FormValues,
    shop: &str,
    lang: Lang,
    idempotency_key: &str,
) -> Result<NewRightsRequest, Vec<FormError>> {
    let errors = problems(values, shop, lang, idempotency_key);
    if errors.is_empty() {
        Ok(build_request(values, shop, lang, idempotency_key))
    } else {
        Err(errors)
    }
}

/// What to do with the edge's answer to `POST /api/requests`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Reply {
    /// 201, or 200 for a replay of the same idempotency key.
    Accepted,
    /// The edge refused the content: the visitor has to change something.
    Rejected,
    /// Nothing wrong with the content (rate limit, server trouble): offer to retry
    /// the same body.
    Retry,
}

pub fn classify(status: u16) -> Reply {
    match status {
        200 | 201 => Reply::Accepted,
        408 | 425 | 429 => Reply::Retry,
        400..=499 => Reply::Rejected,
        _ => Reply::Retry,
    }
}

/// Where to show an error the edge sent (`error.field`, `error.message`); falls
/// back to `fallback` when the body had no usable message.
pub fn api_error(field: Option<&str>, message: Option<&str>, fallback: &str) -> FormError {
    let message = match message.map(str::trim) {
        Some(text) if !text.is_empty() => text,
        _ => fallback,
    };
    let message = Cow::Owned(message.to_owned());
    FormError {
        field: field.and_then(FormField::from_wire),
        message,
    }
}

/// `2026-11-24` as "24 November 2026" (EN) or "24 november 2026" (NL); `None` if
/// the text is not a real calendar date in that form.
pub fn format_date(iso: &str, lang: Lang) -> Option<String> {
    let (_, month, day) = protocol::date::parse_iso(iso)?;
    // The day and the year as they are written in the checked text (without the
    // day's leading zero): no number formatting in the module.
    let day = iso.get(if day < 10 { 9 } else { 8 }..10)?;
    let name = protocol::date::month_name(month, super::text::shown(lang))?;
    Some(super::net::join(&[day, " ", name, " ", iso.get(..4)?]))
}

/// Unpadded base64url (RFC 4648 §5), the idempotency key's alphabet.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| chunk.get(i).copied().unwrap_or(0);
        let b = [byte(0), byte(1), byte(2)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// The level (2 to 6) of a heading `levels_below` the page's heading that precedes
/// the form (`None`: no heading before it), so the form's headings fit the page's
/// outline.
pub fn heading_level_below(preceding: Option<u8>, levels_below: u8) -> u8 {
    preceding
        .unwrap_or(1)
        .saturating_add(levels_below)
        .clamp(2, 6)
}

/// `Some(1..=6)` for a heading tag name (`H3`, `h3`), else `None`.
pub fn heading_level(tag_name: &str) -> Option<u8> {
    match tag_name.as_bytes() {
        [b'h' | b'H', digit @ b'1'..=b'6'] => Some(digit - b'0'),
        _ => None,
    }
}

/// Appends `n` in decimal (element ids; avoids pulling in `core::fmt`).
pub fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The requester's bookmarkable status page for `reference`, on the edge that
/// `requests_url` (`<origin>/api/requests`) belongs to. The reference comes from the
/// edge's answer: anything outside `[A-Za-z0-9-]` is percent-encoded, so it can only
/// ever be a query value. The e-mail address never goes into this link.
pub fn status_url(requests_url: &str, reference: &str, lang: Lang) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let origin = requests_url
        .strip_suffix("/api/requests")
        .unwrap_or(requests_url);
    let mut out = String::with_capacity(origin.len() + reference.len() + 32);
    out.push_str(origin);
    out.push_str("/request-status?ref=");
    for byte in reference.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out.push_str("&lang=");
    out.push_str(lang.code());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> FormValues {
        FormValues {
            right: Some(Right::Erasure),
            name: "  Anna de Vries ".into(),
            email: " anna@example.nl".into(),
            order_number: "   ".into(),
            details: String::new(),
            confirm_true: true,
        }
    }

    const KEY: &str = "k7Yt2QmZp9wXc4RbQ1w2e3";

    #[test]
    fn builds_a_trimmed_request_without_empty_optionals() {
        let Ok(request) = checked_request(&filled(), "demo-nl", Lang::Nl, KEY) else {
            panic!("refused")
        };
        assert_eq!(request.shop, "demo-nl");
        assert!(request.right == Right::Erasure);
        assert_eq!(request.name, "Anna de Vries");
        assert_eq!(request.email, "anna@example.nl");
        assert_eq!(request.order_number, None);
        assert_eq!(request.details, None);
        assert!(request.confirm_true);
        assert!(request.lang == Lang::Nl);
        assert_eq!(request.idempotency_key, KEY);

        let mut values = filled();
        values.order_number = " #1001 ".into();
        values.details = "\nMy old address.\n".into();
        let Ok(request) = checked_request(&values, "demo-nl", Lang::Nl, KEY) else {
            panic!("refused")
        };
        assert_eq!(request.order_number.as_deref(), Some("#1001"));
        assert_eq!(request.details.as_deref(), Some("My old address."));
    }

    /// The problems of a form expected to be refused (protocol types have no `Debug`
    /// outside their own tests, so no `unwrap_err`).
    fn refused(result: Result<NewRightsRequest, Vec<FormError>>) -> Vec<FormError> {
        match result {
            Ok(_) => panic!("the form was accepted"),
            Err(errors) => errors,
        }
    }

    fn fields(errors: &[FormError]) -> Vec<Option<FormField>> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_order() {
        let errors = refused(checked_request(
            &FormValues::default(),
            "demo-en",
            Lang::En,
            KEY,
        ));
        assert_eq!(
            fields(&errors),
            [
                Some(FormField::Right),
                Some(FormField::Name),
                Some(FormField::Email),
                Some(FormField::ConfirmTrue)
            ]
        );
        assert_eq!(
            errors[0].message,
            "Choose which right you want to exercise."
        );
        assert_eq!(errors[1].message, "Enter your name.");
    }

    #[test]
    fn messages_follow_the_language() {
        let mut values = filled();
        values.email = "anna@example".into();
        let error = field_problem(&values, FormField::Email, Lang::Nl).unwrap();
        assert_eq!(
            error.message,
            "Vul een e-mailadres in zoals naam@voorbeeld.nl."
        );
        assert_eq!(field_problem(&values, FormField::Name, Lang::Nl), None);
    }

    #[test]
    fn details_are_required_for_rectification_and_objection_only() {
        for right in Right::ALL {
            let mut values = filled();
            values.right = Some(right);
            let problem = field_problem(&values, FormField::Details, Lang::En);
            assert_eq!(
                problem.is_some(),
                right.requires_details(),
                "{}",
                right.code()
            );
        }
    }

    #[test]
    fn a_broken_shop_id_is_reported_without_a_field() {
        let errors = refused(checked_request(&filled(), "Demo EN", Lang::En, KEY));
        assert_eq!(fields(&errors), [None]);
    }

    #[test]
    fn replies() {
        for (status, want) in [
            (201, Reply::Accepted),
            (200, Reply::Accepted),
            (400, Reply::Rejected),
            (403, Reply::Rejected),
            (413, Reply::Rejected),
            (429, Reply::Retry),
            (500, Reply::Retry),
            (502, Reply::Retry),
            (0, Reply::Retry),
        ] {
            assert_eq!(classify(status), want, "{status}");
        }
    }

    #[test]
    fn api_errors_land_at_their_field_or_in_the_summary() {
        let error = api_error(Some("email"), Some("Vul uw e-mailadres in."), "fallback");
        assert_eq!(
            error,
            FormError {
                field: Some(FormField::Email),
                message: "Vul uw e-mailadres in.".into()
            }
        );
        let error = api_error(Some("idempotency_key"), Some("Bad key."), "fallback");
        assert_eq!(error.field, None);
        let error = api_error(None, Some("  "), "fallback");
        assert_eq!(
            error,
            FormError {
                field: None,
                message: "fallback".into()
            }
        );
        assert_eq!(
            api_error(Some("confirm_true"), None, "x").field,
            Some(FormField::ConfirmTrue)
        );
        assert_eq!(
            api_error(Some("order_number"), None, "x").field,
            Some(FormField::OrderNumber)
        );
    }

    #[test]
    fn dates() {
        for (iso, lang, want) in [
            ("2026-11-24", Lang::En, Some("24 November 2026")),
            ("2026-11-24", Lang::Nl, Some("24 november 2026")),
            ("2027-01-05", Lang::En, Some("5 January 2027")),
            ("2027-03-01", Lang::Nl, Some("1 maart 2027")),
            ("2026-12-31", Lang::Nl, Some("31 december 2026")),
            ("2026-13-01", Lang::En, None),
            ("2026-00-01", Lang::En, None),
            ("2026-01-00", Lang::En, None),
            ("2026-01-32", Lang::En, None),
            ("2026-02-30", Lang::En, None),
            ("2026-1-01", Lang::En, None),
            ("2026/01/01", Lang::En, None),
            ("", Lang::En, None),
            ("2026-01-0é", Lang::En, None),
        ] {
            assert_eq!(format_date(iso, lang).as_deref(), want, "{iso}");
        }
    }

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), want);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let key = base64url(&[0xa5; KEY_BYTES]);
        assert_eq!(key.len(), 22);
        assert!(validate::token(&key, 16, 64).is_ok());
    }

    #[test]
    fn headings_follow_the_page_outline() {
        for (preceding, below, want) in [
            (None, 1, 2),
            (None, 2, 3),
            (Some(1), 1, 2),
            (Some(3), 1, 4),
            (Some(3), 2, 5),
            (Some(5), 2, 6),
            (Some(6), 1, 6),
            (Some(255), 2, 6),
        ] {
            assert_eq!(
                heading_level_below(preceding, below),
                want,
                "{preceding:?} + {below}"
            );
        }
        for (tag, want) in [
            ("H3", Some(3)),
            ("h6", Some(6)),
            ("H7", None),
            ("HR", None),
            ("HEADER", None),
            ("", None),
        ] {
            assert_eq!(heading_level(tag), want, "{tag}");
        }
    }

    #[test]
    fn decimals() {
        for (n, want) in [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (4_294_967_295, "4294967295"),
        ] {
            let mut out = String::from("id");
            push_decimal(&mut out, n);
            assert_eq!(out, ["id", want].concat());
        }
    }

    #[test]
    fn status_url_links_to_the_edge_and_never_escapes_the_query() {
        let cases = [
            (
                "https://edge.example/api/requests",
                "PR-7KQ4-M2XD-9HTW",
                Lang::En,
                "https://edge.example/request-status?ref=PR-7KQ4-M2XD-9HTW&lang=en",
            ),
            (
                "http://127.0.0.1:8787/api/requests",
                "PR-AAAA-BBBB-CCCC",
                Lang::Nl,
                "http://127.0.0.1:8787/request-status?ref=PR-AAAA-BBBB-CCCC&lang=nl",
            ),
            (
                "https://edge.example/api/requests",
                "x&lang=nl#\"<",
                Lang::En,
                "https://edge.example/request-status?ref=x%26lang%3Dnl%23%22%3C&lang=en",
            ),
        ];
        for (requests_url, reference, lang, want) in cases {
            assert_eq!(status_url(requests_url, reference, lang), want);
        }
    }
}
