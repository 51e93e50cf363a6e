//! HTTP answers as plain data, and the ONE place where an error becomes an HTTP
//! response: status from the error code, `{"error":{...}}` body, message in the
//! visitor's language. The entry module only copies a [`Reply`] into a Response.

use protocol::{ApiError, ErrorCode, Lang};
use serde::Serialize;

/// An answer: status, JSON body (if any) and extra headers.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Option<String>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// A JSON answer. Serialising our own types cannot fail; if it somehow did, the
    /// visitor gets a 500, not a panic.
    pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
        match serde_json::to_string(value) {
            Ok(body) => Reply {
                status,
                body: Some(body),
                headers: vec![("Cache-Control", "no-store".to_owned())],
            },
            Err(_) => Reply::error(&ApiError::new(ErrorCode::Internal, Lang::En)),
        }
    }

    /// An answer without a body (e.g. a preflight).
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            headers: Vec::new(),
        }
    }

    /// The error mapping: the status belongs to the code.
    pub fn error(error: &ApiError) -> Reply {
        let body = serde_json::to_string(error).unwrap_or_else(|_| {
            String::from(r#"{"error":{"code":"internal","message":"Internal error."}}"#)
        });
        let mut headers = vec![("Cache-Control", "no-store".to_owned())];
        if error.error.code == ErrorCode::Unauthorized {
            headers.push(("WWW-Authenticate", "Bearer".to_owned()));
        }
        if matches!(
            error.error.code,
            ErrorCode::RateLimited | ErrorCode::ChallengeUnavailable
        ) {
            headers.push((
                "Retry-After",
                crate::intake::abuse::RETRY_AFTER_SECONDS.to_string(),
            ));
        }
        Reply {
            status: error.status(),
            body: Some(body),
            headers,
        }
    }

    /// 405 with the methods the asked route answers (RFC 9110, section 15.5.6).
    pub fn method_not_allowed(allow: &str, lang: Lang) -> Reply {
        Reply::code(ErrorCode::MethodNotAllowed, lang).with_header("Allow", allow)
    }

    /// An error with the code's generic message.
    pub fn code(code: ErrorCode, lang: Lang) -> Reply {
        Reply::error(&ApiError::new(code, lang))
    }

    /// Sets a header, replacing one of the same name.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.headers.push((name, value.into()));
        self
    }

    /// An HTML page: its content type and the security headers of every page.
    pub fn html(self, body: String) -> Reply {
        Reply {
            body: Some(body),
            ..self
        }
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_header("Content-Security-Policy", crate::owner::html::CSP)
        .with_header("Cache-Control", "no-store")
        .with_header("X-Frame-Options", "DENY")
        // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null`
        // on form posts, and the CSRF check needs the real origin.
        .with_header("Referrer-Policy", "same-origin")
    }

    /// The final headers: the API's defaults (JSON content type when there is a
    /// body, `nosniff`, no referrer, `default-src 'none'`, no caching), each
    /// overridden by the reply's own header of that name.
    pub fn finish(self) -> Reply {
        let mut defaults = Vec::new();
        if self.body.is_some() {
            defaults.push(("Content-Type", "application/json; charset=utf-8".to_owned()));
        }
        defaults.extend([
            ("X-Content-Type-Options", "nosniff".to_owned()),
            ("Referrer-Policy", "no-referrer".to_owned()),
            (
                "Content-Security-Policy",
                "default-src 'none'; frame-ancestors 'none'".to_owned(),
            ),
            ("Cache-Control", "no-store".to_owned()),
            // A window that a page of another origin or policy (a shop page of this
            // Worker) opens on an answer of ours is severed from its opener, so
            // the opener cannot read an owner page it opened.
            ("Cross-Origin-Opener-Policy", "same-origin".to_owned()),
        ]);
        let own = std::mem::take(&mut self.headers.clone());
        let mut reply = Reply {
            headers: defaults,
            ..self
        };
        for (name, value) in own {
            reply = reply.with_header(name, value);
        }
        reply
    }

    pub fn with_headers(mut self, headers: Vec<(&'static str, String)>) -> Reply {
        for (name, value) in headers {
            self = self.with_header(name, value);
        }
        self
    }
}

/// The language for messages before a body names one: the `Accept-Language` header.
pub fn request_lang(accept_language: Option<&str>) -> Lang {
    accept_language
        .map(Lang::from_accept_language)
        .unwrap_or(Lang::En)
}

/// Whether a `Content-Type` header says JSON (`application/json`, any parameters).
pub fn is_json_content_type(value: Option<&str>) -> bool {
    value
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Checks a declared `Content-Length` before reading: `Err` if it is over the cap.
/// An absent or unparsable length is checked while reading instead.
pub fn check_content_length(value: Option<&str>, lang: Lang) -> Result<(), ApiError> {
    match value.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(length) if length > protocol::MAX_BODY_BYTES as u64 => {
            Err(ApiError::new(ErrorCode::BodyTooLarge, lang))
        }
        _ => Ok(()),
    }
}

/// The bearer token of an `Authorization` header.
pub fn bearer_token(value: Option<&str>) -> Option<&str> {
    let value = value?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_mapping() {
        for (code, lang, status, body) in [
            (
                ErrorCode::BodyTooLarge,
                Lang::En,
                413,
                r#"{"error":{"code":"body_too_large","message":"The request is too large."}}"#,
            ),
            (
                ErrorCode::UnknownShop,
                Lang::Nl,
                400,
                r#"{"error":{"code":"unknown_shop","message":"Deze winkel is bij ons niet bekend."}}"#,
            ),
            (
                ErrorCode::OriginNotAllowed,
                Lang::En,
                403,
                r#"{"error":{"code":"origin_not_allowed","message":"This website may not send requests for this shop."}}"#,
            ),
            (
                ErrorCode::Unauthorized,
                Lang::En,
                401,
                r#"{"error":{"code":"unauthorized","message":"You are not signed in, or the secret is wrong."}}"#,
            ),
            (
                ErrorCode::NotFound,
                Lang::Nl,
                404,
                r#"{"error":{"code":"not_found","message":"Niet gevonden."}}"#,
            ),
            (
                ErrorCode::Internal,
                Lang::En,
                500,
                r#"{"error":{"code":"internal","message":"Something went wrong on our side. Please try again later."}}"#,
            ),
        ] {
            let reply = Reply::code(code, lang);
            assert_eq!(reply.status, status);
            assert_eq!(reply.body.as_deref(), Some(body));
        }
        assert!(Reply::code(ErrorCode::Unauthorized, Lang::En)
            .headers
            .contains(&("WWW-Authenticate", "Bearer".to_owned())));
        let limited = Reply::code(ErrorCode::RateLimited, Lang::Nl);
        assert_eq!(limited.status, 429);
        assert!(limited.headers.contains(&("Retry-After", "60".to_owned())));
        assert!(limited.body.unwrap().contains(r#""code":"rate_limited""#));
    }

    #[test]
    fn content_checks() {
        for (value, ok) in [
            (Some("application/json"), true),
            (Some("application/json; charset=utf-8"), true),
            (Some("Application/JSON"), true),
            (Some("text/plain"), false),
            (Some("application/jsonx"), false),
            (None, false),
        ] {
            assert_eq!(is_json_content_type(value), ok, "{value:?}");
        }
        assert!(check_content_length(Some("16384"), Lang::En).is_ok());
        assert_eq!(
            check_content_length(Some("16385"), Lang::En)
                .unwrap_err()
                .status(),
            413
        );
        assert!(check_content_length(None, Lang::En).is_ok());
        assert!(check_content_length(Some("abc"), Lang::En).is_ok());
    }

    #[test]
    fn bearer() {
        for (value, want) in [
            (Some("Bearer devtoken"), Some("devtoken")),
            (Some("bearer  devtoken "), Some("devtoken")),
            (Some("Basic abc"), None),
            (Some("Bearer"), None),
            (Some("Bearer "), None),
            (None, None),
        ] {
            assert_eq!(bearer_token(value), want, "{value:?}");
        }
    }

    #[test]
    fn langs() {
        assert!(request_lang(Some("nl-NL,nl;q=0.9")) == Lang::Nl);
        assert!(request_lang(None) == Lang::En);
    }
}
