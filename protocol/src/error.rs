//! The one error shape every `/api/` endpoint answers with:
//! `{"error":{"code":"...","message":"...","field":"..."}}`. Codes are stable and
//! machine-readable; messages are for people, in the visitor's language.

use alloc::borrow::ToOwned;
use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::validate::{Field, FieldError};
use crate::Lang;

/// Stable error codes. The HTTP status belongs to the code, so clients can rely on
/// either.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BodyTooLarge,
    UnsupportedMediaType,
    InvalidJson,
    UnknownField,
    MissingField,
    InvalidField,
    UnknownShop,
    OriginNotAllowed,
    /// The owner's session cookie came with a request that is not a top-level
    /// navigation (a script's fetch, a frame): refused, so no script reads owner data.
    NavigationRequired,
    NotFound,
    MethodNotAllowed,
    Unauthorized,
    RateLimited,
    /// The honeypot field was filled in: an automated submission.
    SpamSuspected,
    /// Turnstile is on for the shop and the token is missing or not valid.
    ChallengeFailed,
    /// Turnstile's siteverify could not be reached; try again later.
    ChallengeUnavailable,
    /// An e-mail address was put into a URL's query; it belongs in a POST body.
    EmailInUrl,
    /// An idempotency key already used for a request with other content.
    IdempotencyConflict,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BodyTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::InvalidJson
            | ErrorCode::UnknownField
            | ErrorCode::MissingField
            | ErrorCode::InvalidField
            | ErrorCode::UnknownShop
            | ErrorCode::SpamSuspected
            | ErrorCode::EmailInUrl => 400,
            ErrorCode::OriginNotAllowed
            | ErrorCode::NavigationRequired
            | ErrorCode::ChallengeFailed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::IdempotencyConflict => 409,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Unauthorized => 401,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::ChallengeUnavailable => 503,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::UnknownShop => "unknown_shop",
            ErrorCode::OriginNotAllowed => "origin_not_allowed",
            ErrorCode::NavigationRequired => "navigation_required",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SpamSuspected => "spam_suspected",
            ErrorCode::ChallengeFailed => "challenge_failed",
            ErrorCode::ChallengeUnavailable => "challenge_unavailable",
            ErrorCode::EmailInUrl => "email_in_url",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::Internal => "internal",
        }
    }

    /// The generic message for this code; field errors carry a more precise one.
    pub fn message(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, ErrorCode::BodyTooLarge) => "The request is too large.",
            (Lang::En, ErrorCode::UnsupportedMediaType) => "The request must be sent as JSON.",
            (Lang::En, ErrorCode::InvalidJson) => "The request is not valid JSON.",
            (Lang::En, ErrorCode::UnknownField) => "The request contains a field we do not know.",
            (Lang::En, ErrorCode::MissingField) => "A required field is missing.",
            (Lang::En, ErrorCode::InvalidField) => "A field has a value we cannot accept.",
            (Lang::En, ErrorCode::UnknownShop) => "This shop is not known to us.",
            (Lang::En, ErrorCode::OriginNotAllowed) => "This website may not send requests for this shop.",
            (Lang::En, ErrorCode::NavigationRequired) => "The owner page only answers the browser's own address bar, links and forms, not scripts or frames. Open it directly.",
            (Lang::En, ErrorCode::NotFound) => "Not found.",
            (Lang::En, ErrorCode::MethodNotAllowed) => "This method is not allowed here.",
            (Lang::En, ErrorCode::Unauthorized) => "You are not signed in, or the secret is wrong.",
            (Lang::En, ErrorCode::RateLimited) => "Too many requests. Please wait a moment and try again.",
            (Lang::En, ErrorCode::SpamSuspected) => "This looks like an automated submission. Please write to the shop's privacy contact instead.",
            (Lang::En, ErrorCode::ChallengeFailed) => "We could not confirm that you are a person. Please try again.",
            (Lang::En, ErrorCode::ChallengeUnavailable) => "We could not check that you are a person just now. Please try again in a minute.",
            (Lang::En, ErrorCode::IdempotencyConflict) => "This request key was already used for a different request. Please reload the page and send your request again.",
            (Lang::En, ErrorCode::EmailInUrl) => "An e-mail address may not be sent in a web address (URL). Send it in the body of a POST request instead.",
            (Lang::En, ErrorCode::Internal) => "Something went wrong on our side. Please try again later.",
            (Lang::Nl, ErrorCode::BodyTooLarge) => "Het verzoek is te groot.",
            (Lang::Nl, ErrorCode::UnsupportedMediaType) => "Het verzoek moet als JSON worden verstuurd.",
            (Lang::Nl, ErrorCode::InvalidJson) => "Het verzoek is geen geldige JSON.",
            (Lang::Nl, ErrorCode::UnknownField) => "Het verzoek bevat een veld dat wij niet kennen.",
            (Lang::Nl, ErrorCode::MissingField) => "Er ontbreekt een verplicht veld.",
            (Lang::Nl, ErrorCode::InvalidField) => "Een veld heeft een waarde die wij niet kunnen accepteren.",
            (Lang::Nl, ErrorCode::UnknownShop) => "Deze winkel is bij ons niet bekend.",
            (Lang::Nl, ErrorCode::OriginNotAllowed) => "Deze website mag geen verzoeken voor deze winkel versturen.",
            (Lang::Nl, ErrorCode::NavigationRequired) => "De beheerpagina antwoordt alleen op de adresbalk, links en formulieren van de browser, niet op scripts of frames. Open haar rechtstreeks.",
            (Lang::Nl, ErrorCode::NotFound) => "Niet gevonden.",
            (Lang::Nl, ErrorCode::MethodNotAllowed) => "Deze methode is hier niet toegestaan.",
            (Lang::Nl, ErrorCode::Unauthorized) => "U bent niet ingelogd, of het geheim klopt niet.",
            (Lang::Nl, ErrorCode::RateLimited) => "Te veel verzoeken. Wacht even en probeer het opnieuw.",
            (Lang::Nl, ErrorCode::SpamSuspected) => "Dit lijkt een automatische inzending. Schrijf in plaats daarvan naar het privacycontact van de winkel.",
            (Lang::Nl, ErrorCode::ChallengeFailed) => "We konden niet bevestigen dat u een persoon bent. Probeer het opnieuw.",
            (Lang::Nl, ErrorCode::ChallengeUnavailable) => "We konden zojuist niet controleren dat u een persoon bent. Probeer het over een minuut opnieuw.",
            (Lang::Nl, ErrorCode::IdempotencyConflict) => "Deze verzoeksleutel is al gebruikt voor een ander verzoek. Laad de pagina opnieuw en verstuur uw verzoek nog eens.",
            (Lang::Nl, ErrorCode::EmailInUrl) => "Een e-mailadres mag niet in een webadres (URL) staan. Stuur het mee in de body van een POST-verzoek.",
            (Lang::Nl, ErrorCode::Internal) => "Er ging bij ons iets mis. Probeer het later opnieuw.",
        }
    }
}

/// The error as sent on the wire.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(Debug))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The offending field's wire name, where one field is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, lang: Lang) -> ApiError {
        ApiError {
            error: ErrorBody {
                code,
                message: code.message(lang).to_owned(),
                field: None,
            },
        }
    }

    /// An error about one field, with that field's own message.
    pub fn field(code: ErrorCode, field: &str, message: &str) -> ApiError {
        ApiError {
            error: ErrorBody {
                code,
                message: message.to_owned(),
                field: Some(field.to_owned()),
            },
        }
    }

    /// The first validation problem, as the API reports it.
    pub fn from_field_error(err: FieldError, lang: Lang) -> ApiError {
        let code = match err.problem {
            crate::Problem::Missing => ErrorCode::MissingField,
            _ => ErrorCode::InvalidField,
        };
        ApiError::field(code, Field::wire_name(err.field), err.message(lang))
    }

    pub fn status(&self) -> u16 {
        self.error.code.status()
    }
}
