//! Validation of incoming bodies, shared so that the widget's inline messages and
//! the edge's rejections are the same rules with the same words. Pure functions over
//! plain data; they never panic on any input.

use alloc::vec::Vec;

use crate::{ConsentRecord, Lang, NewRightsRequest};

/// Length caps, in characters (Unicode scalar values).
pub mod limits {
    pub const SHOP: usize = 64;
    pub const CONSENT_ID_MIN: usize = 16;
    pub const CONSENT_ID_MAX: usize = 64;
    pub const POLICY_VERSION: usize = 32;
    /// Services in one consent record, and the length of a service's name (the
    /// edge's shop configuration allows names of up to 100 characters).
    pub const SERVICES: usize = 50;
    pub const SERVICE_NAME: usize = 100;
    pub const NAME: usize = 200;
    pub const EMAIL: usize = 254;
    pub const ORDER_NUMBER: usize = 64;
    pub const DETAILS: usize = 5000;
    pub const IDEMPOTENCY_KEY_MIN: usize = 16;
    pub const IDEMPOTENCY_KEY_MAX: usize = 64;
    /// Cloudflare documents Turnstile tokens of up to 2048 characters.
    pub const TURNSTILE_TOKEN: usize = 2048;
}

/// A field of a request body, by its wire name.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Field {
    Shop,
    ConsentId,
    PolicyVersion,
    Services,
    Right,
    Name,
    Email,
    OrderNumber,
    Details,
    ConfirmTrue,
    IdempotencyKey,
    TurnstileToken,
    Honeypot,
}

impl Field {
    pub fn wire_name(self) -> &'static str {
        match self {
            Field::Shop => "shop",
            Field::ConsentId => "consent_id",
            Field::PolicyVersion => "policy_version",
            Field::Services => "services",
            Field::Right => "right",
            Field::Name => "name",
            Field::Email => "email",
            Field::OrderNumber => "order_number",
            Field::Details => "details",
            Field::ConfirmTrue => "confirm_true",
            Field::IdempotencyKey => "idempotency_key",
            Field::TurnstileToken => "turnstile_token",
            Field::Honeypot => "honeypot",
        }
    }
}

/// What is wrong with a field.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub enum Problem {
    Missing,
    TooLong,
    TooShort,
    /// CR, LF or another control character where none may be.
    ControlCharacters,
    /// Not of the expected form (e-mail syntax, id alphabet).
    InvalidFormat,
    /// The truth confirmation was not ticked.
    NotConfirmed,
    /// An e-mail address whose part before the `@` has non-ASCII letters: it needs
    /// SMTPUTF8, which the mail services we hand mail to do not offer.
    NotMailable,
}

#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    /// A sentence that tells the visitor what to fix.
    // Inlined, so that a caller with a known language (the widget's form module,
    // built once per language) keeps only that language's messages.
    #[inline(always)]
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => message_en(self.field, self.problem),
            Lang::Nl => message_nl(self.field, self.problem),
        }
    }
}

fn message_en(field: Field, problem: Problem) -> &'static str {
    use Field as F;
    use Problem as P;
    match (field, problem) {
        (F::Name, P::Missing) => "Enter your name.",
        (F::Name, P::TooLong) => "Your name can be at most 200 characters.",
        (F::Email, P::Missing) => "Enter your e-mail address.",
        (F::Email, P::InvalidFormat) => "Enter an e-mail address in the form name@example.com.",
        (F::Email, P::TooLong) => "Your e-mail address can be at most 254 characters.",
        (F::Email, P::NotMailable) => "We cannot send e-mail to an address with accented or other special letters before the @. Please use another address.",
        (F::OrderNumber, P::TooLong) => "The order number can be at most 64 characters.",
        (F::Details, P::Missing) => "Describe what should be corrected or what you object to.",
        (F::Details, P::TooLong) => "The details can be at most 5000 characters.",
        (F::ConfirmTrue, _) => "Confirm that the information you gave is true.",
        (F::Right, _) => "Choose which right you want to exercise.",
        (F::Shop, _) => "This shop is not set up correctly (shop id).",
        (_, P::Missing) => "This field is required.",
        (_, P::TooLong) => "This value is too long.",
        (_, P::TooShort) => "This value is too short.",
        (_, P::ControlCharacters) => "Remove line breaks and special control characters.",
        (_, P::InvalidFormat | P::NotMailable) => "This value is not in the expected format.",
        (_, P::NotConfirmed) => "Please confirm.",
    }
}

fn message_nl(field: Field, problem: Problem) -> &'static str {
    use Field as F;
    use Problem as P;
    match (field, problem) {
        (F::Name, P::Missing) => "Vul uw naam in.",
        (F::Name, P::TooLong) => "Uw naam mag maximaal 200 tekens lang zijn.",
        (F::Email, P::Missing) => "Vul uw e-mailadres in.",
        (F::Email, P::InvalidFormat) => "Vul een e-mailadres in zoals naam@voorbeeld.nl.",
        (F::Email, P::TooLong) => "Uw e-mailadres mag maximaal 254 tekens lang zijn.",
        (F::Email, P::NotMailable) => "Wij kunnen niet mailen naar een adres met letters met accenten of andere bijzondere tekens vóór de @. Gebruik een ander adres.",
        (F::OrderNumber, P::TooLong) => "Het ordernummer mag maximaal 64 tekens lang zijn.",
        (F::Details, P::Missing) => {
            "Beschrijf wat er gecorrigeerd moet worden of waartegen u bezwaar maakt."
        }
        (F::Details, P::TooLong) => "De toelichting mag maximaal 5000 tekens lang zijn.",
        (F::ConfirmTrue, _) => "Bevestig dat de gegevens die u heeft ingevuld kloppen.",
        (F::Right, _) => "Kies welk recht u wilt uitoefenen.",
        (F::Shop, _) => "Deze winkel is niet goed ingesteld (winkel-id).",
        (_, P::Missing) => "Dit veld is verplicht.",
        (_, P::TooLong) => "Deze waarde is te lang.",
        (_, P::TooShort) => "Deze waarde is te kort.",
        (_, P::ControlCharacters) => "Verwijder regeleinden en speciale stuurtekens.",
        (_, P::InvalidFormat | P::NotMailable) => "Deze waarde heeft niet de verwachte vorm.",
        (_, P::NotConfirmed) => "Bevestig dit alstublieft.",
    }
}

/// Checks a rights request and returns every problem, in form order (empty = valid).
pub fn rights_request(req: &NewRightsRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field, result: Result<(), Problem>| {
        if let Err(problem) = result {
            errors.push(FieldError { field, problem });
        }
    };
    check(Field::Shop, shop_id(&req.shop));
    check(Field::Name, single_line(&req.name, 1, limits::NAME));
    check(Field::Email, email(&req.email));
    if let Some(order) = &req.order_number {
        check(
            Field::OrderNumber,
            single_line(order, 0, limits::ORDER_NUMBER),
        );
    }
    let details = req.details.as_deref().unwrap_or("");
    let min_details = if req.right.requires_details() { 1 } else { 0 };
    check(
        Field::Details,
        multi_line(details, min_details, limits::DETAILS),
    );
    check(
        Field::ConfirmTrue,
        if req.confirm_true {
            Ok(())
        } else {
            Err(Problem::NotConfirmed)
        },
    );
    check(
        Field::IdempotencyKey,
        token(
            &req.idempotency_key,
            limits::IDEMPOTENCY_KEY_MIN,
            limits::IDEMPOTENCY_KEY_MAX,
        ),
    );
    if let Some(turnstile) = &req.turnstile_token {
        check(Field::TurnstileToken, turnstile_token(turnstile));
    }
    if let Some(honeypot) = &req.honeypot {
        // Its content is refused by the edge as spam; here only its size matters.
        check(Field::Honeypot, single_line(honeypot, 0, limits::NAME));
    }
    errors
}

/// Checks a consent record and returns every problem (empty = valid).
pub fn consent_record(record: &ConsentRecord) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut check = |field, result: Result<(), Problem>| {
        if let Err(problem) = result {
            errors.push(FieldError { field, problem });
        }
    };
    check(Field::Shop, shop_id(&record.shop));
    check(
        Field::ConsentId,
        token(
            &record.consent_id,
            limits::CONSENT_ID_MIN,
            limits::CONSENT_ID_MAX,
        ),
    );
    check(
        Field::PolicyVersion,
        single_line(&record.policy_version, 1, limits::POLICY_VERSION),
    );
    // Names are not checked against the shop's configuration: a page may still
    // hold a configuration cached before a service was renamed or removed, and
    // the record of what that visitor chose must not be lost for it.
    let services = if record.services.len() > limits::SERVICES {
        Err(Problem::TooLong)
    } else {
        record
            .services
            .iter()
            .try_for_each(|s| single_line(&s.name, 1, limits::SERVICE_NAME))
    };
    check(Field::Services, services);
    errors
}

/// A shop id: lower-case ASCII letters, digits and dashes.
pub fn shop_id(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Missing);
    }
    if value.len() > limits::SHOP {
        return Err(Problem::TooLong);
    }
    if value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// A random token (consent id, idempotency key): base64url alphabet only.
pub fn token(value: &str, min: usize, max: usize) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Missing);
    }
    if value.len() < min {
        return Err(Problem::TooShort);
    }
    if value.len() > max {
        return Err(Problem::TooLong);
    }
    if value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// A Turnstile token: printable ASCII without spaces, at most 2048 characters.
pub fn turnstile_token(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Missing);
    }
    if value.len() > limits::TURNSTILE_TOKEN {
        return Err(Problem::TooLong);
    }
    if value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(Problem::InvalidFormat)
    }
}

/// Text that may end up in an e-mail header or subject: no control characters at all.
pub fn single_line(value: &str, min: usize, max: usize) -> Result<(), Problem> {
    let trimmed = value.trim();
    let len = trimmed.chars().count();
    if len < min {
        return Err(Problem::Missing);
    }
    if len > max {
        return Err(Problem::TooLong);
    }
    if value.chars().any(is_forbidden_in_line) {
        return Err(Problem::ControlCharacters);
    }
    Ok(())
}

/// Free text for an e-mail body: line breaks and tabs allowed, other controls not.
pub fn multi_line(value: &str, min: usize, max: usize) -> Result<(), Problem> {
    let len = value.trim().chars().count();
    if len < min {
        return Err(Problem::Missing);
    }
    if len > max {
        return Err(Problem::TooLong);
    }
    if value
        .chars()
        .any(|c| !matches!(c, '\n' | '\r' | '\t') && is_forbidden_in_line(c))
    {
        return Err(Problem::ControlCharacters);
    }
    Ok(())
}

/// Control characters, plus Unicode line/paragraph separators and bidi overrides
/// that could disguise header content.
fn is_forbidden_in_line(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A deliberately plain e-mail check: one `@`, a non-empty local part without
/// spaces or quotes, and a domain with a dot, made of ASCII letters, digits, dots,
/// dashes (or non-ASCII for internationalised names). Good enough to catch typos;
/// the verification mail proves the address.
pub fn email(value: &str) -> Result<(), Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Missing);
    }
    if value.chars().count() > limits::EMAIL {
        return Err(Problem::TooLong);
    }
    if value.chars().any(is_forbidden_in_line) {
        return Err(Problem::ControlCharacters);
    }
    // Positions in bytes and `get`, not `str` slicing or pattern searches: `@`,
    // `.` and `-` are ASCII, so every piece starts and ends on a character
    // boundary, and this check carries no slicing panic (whose message formatting
    // and `char` tables cost the widget's form module about 4 KB gzip).
    let Some(at) = value.bytes().rposition(|b| b == b'@') else {
        return Err(Problem::InvalidFormat);
    };
    let local = &value.as_bytes()[..at];
    if !local.is_ascii() {
        return Err(Problem::NotMailable);
    }
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.first() != Some(&b'.')
        && local.last() != Some(&b'.')
        && !local.windows(2).any(|pair| pair == b"..")
        // ASCII (checked above), where `char::is_whitespace` is the first six.
        && !local.iter().any(|b| b" \t\n\x0b\x0c\r@\"(),:;<>[]\\".contains(b));
    let domain = value.get(at + 1..).unwrap_or_default();
    let mut labels = 0;
    let mut tld = "";
    let mut domain_ok = true;
    for label in domain.split('.') {
        let bytes = label.as_bytes();
        labels += 1;
        tld = label;
        domain_ok &= !bytes.is_empty()
            && bytes.len() <= 63
            && bytes.first() != Some(&b'-')
            && bytes.last() != Some(&b'-')
            // Non-ASCII is the edge's IDNA conversion to judge (`desk::intake::address`):
            // no Unicode letter tables here, which would cost the form module 1.9 KB.
            && bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || !b.is_ascii());
    }
    let domain_ok = domain_ok
        && labels >= 2
        && tld.chars().count() >= 2
        && !tld.bytes().all(|b| b.is_ascii_digit());
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(Problem::InvalidFormat)
    }
}

#[cfg(test)]
mod tests;
