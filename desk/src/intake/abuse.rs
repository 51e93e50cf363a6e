//! Abuse decisions for the public POST endpoints, as plain functions: which rate
//! limiter and client key a POST counts against, whether the honeypot was filled,
//! and the Turnstile siteverify exchange (form body out, verdict in). The entry
//! module does the I/O (the rate-limit binding, the siteverify fetch).

use serde::Deserialize;

use crate::bindings;
use crate::http::form::encode_component;
use crate::http::route::Route;

/// Seconds a client is told to wait after a 429: the limiters' period (see
/// `[[ratelimits]]` in `wrangler.toml`).
pub const RETRY_AFTER_SECONDS: u32 = 60;

/// Cloudflare's siteverify endpoint, unless the `TURNSTILE_VERIFY_URL` var says otherwise.
pub const SITEVERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

/// Whether POSTs are rate limited. Only an explicit `RATE_LIMIT = "off"` turns the
/// limiter off (the load and fuzz tests); anything else, or nothing, keeps it on.
pub fn rate_limit_enabled(var: Option<&str>) -> bool {
    !var.is_some_and(|v| v.trim().eq_ignore_ascii_case("off"))
}

/// The rate-limit binding a POST to `path` counts against. Consent records come
/// with every banner choice, so they get their own, larger budget; every other
/// POST (rights requests, verification, the owner's sign-in and actions) shares one.
pub fn limiter_for(path: &str) -> &'static str {
    match Route::parse(path) {
        Some(Route::Consent) => bindings::CONSENT_LIMITER,
        _ => bindings::POST_LIMITER,
    }
}

/// The address a client key is made from: `CF-Connecting-IP`, which Cloudflare
/// sets on every request. Without it (not behind Cloudflare) all such clients
/// share one bucket.
pub fn client_address(cf_connecting_ip: Option<&str>) -> &str {
    cf_connecting_ip
        .map(str::trim)
        .filter(|ip| !ip.is_empty())
        .unwrap_or("unknown")
}

/// Whether the honeypot field, invisible to people, was filled in (a bot).
pub fn honeypot_tripped(value: Option<&str>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

/// The Worker secret holding a shop's Turnstile secret key: `TURNSTILE_SECRET_`
/// and the shop id in upper case with `-` as `_` (`demo-en` ->
/// `TURNSTILE_SECRET_DEMO_EN`). A shop without that secret does not use Turnstile.
pub fn turnstile_secret_name(shop: &str) -> String {
    let mut name = String::from("TURNSTILE_SECRET_");
    name.extend(shop.chars().map(|c| match c {
        '-' => '_',
        c => c.to_ascii_uppercase(),
    }));
    name
}

/// The siteverify request body (`application/x-www-form-urlencoded`).
pub fn siteverify_form(secret: &str, token: &str, remote_ip: Option<&str>) -> String {
    let mut form = format!(
        "secret={}&response={}",
        encode_component(secret),
        encode_component(token)
    );
    if let Some(ip) = remote_ip.filter(|ip| !ip.is_empty()) {
        form.push_str("&remoteip=");
        form.push_str(&encode_component(ip));
    }
    form
}

/// What siteverify said about a token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TurnstileVerdict {
    Pass,
    /// The token is missing, invalid, expired or already used.
    Fail,
    /// siteverify did not give a usable answer; try again later.
    Unavailable,
}

#[derive(Deserialize)]
struct SiteverifyAnswer {
    success: bool,
}

/// Reads siteverify's answer (status and JSON body).
pub fn turnstile_verdict(status: u16, body: &[u8]) -> TurnstileVerdict {
    if !(200..300).contains(&status) {
        return TurnstileVerdict::Unavailable;
    }
    match serde_json::from_slice::<SiteverifyAnswer>(body) {
        Ok(SiteverifyAnswer { success: true }) => TurnstileVerdict::Pass,
        Ok(SiteverifyAnswer { success: false }) => TurnstileVerdict::Fail,
        Err(_) => TurnstileVerdict::Unavailable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_switch() {
        for (var, on) in [
            (None, true),
            (Some("off"), false),
            (Some(" OFF "), false),
            (Some("on"), true),
            (Some(""), true),
            (Some("0"), true),
            (Some("false"), true),
        ] {
            assert_eq!(rate_limit_enabled(var), on, "{var:?}");
        }
        assert_eq!(limiter_for("/api/consent"), "CONSENT_LIMITER");
        assert_eq!(limiter_for("/api/consent/"), "CONSENT_LIMITER");
        assert_eq!(limiter_for("/api/requests"), "POST_LIMITER");
        assert_eq!(limiter_for("/admin/login"), "POST_LIMITER");
        assert_eq!(client_address(Some(" 203.0.113.7 ")), "203.0.113.7");
        assert_eq!(client_address(Some("")), "unknown");
        assert_eq!(client_address(None), "unknown");
    }

    #[test]
    fn honeypot() {
        assert!(!honeypot_tripped(None));
        assert!(!honeypot_tripped(Some("")));
        assert!(!honeypot_tripped(Some("  ")));
        assert!(honeypot_tripped(Some("https://spam.example")));
    }

    #[test]
    fn turnstile() {
        assert_eq!(turnstile_secret_name("demo-en"), "TURNSTILE_SECRET_DEMO_EN");
        assert_eq!(
            siteverify_form(
                "1x0000000000000000000000000000000AA",
                "a b+c/=",
                Some("::1")
            ),
            "secret=1x0000000000000000000000000000000AA&response=a%20b%2Bc%2F%3D&remoteip=%3A%3A1"
        );
        assert_eq!(siteverify_form("s", "t", None), "secret=s&response=t");
        for (status, body, want) in [
            (
                200,
                r#"{"success":true,"error-codes":[],"hostname":"example.com"}"#,
                TurnstileVerdict::Pass,
            ),
            (
                200,
                r#"{"success":false,"error-codes":["invalid-input-response"]}"#,
                TurnstileVerdict::Fail,
            ),
            (200, "<html>", TurnstileVerdict::Unavailable),
            (200, r#"{"ok":true}"#, TurnstileVerdict::Unavailable),
            (500, r#"{"success":true}"#, TurnstileVerdict::Unavailable),
        ] {
            assert_eq!(turnstile_verdict(status, body.as_bytes()), want, "{body}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panic(text in "\\PC{0,100}", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200), status in 0u16..1000) {
            let _ = rate_limit_enabled(Some(&text));
            let _ = limiter_for(&text);
            let _ = client_address(Some(&text));
            let _ = honeypot_tripped(Some(&text));
            let name = turnstile_secret_name(&text);
            proptest::prop_assert!(name.starts_with("TURNSTILE_SECRET_"));
            let form = siteverify_form(&text, &text, Some(&text));
            proptest::prop_assert!(form.bytes().all(|b| b.is_ascii_graphic()));
            let _ = turnstile_verdict(status, &bytes);
        }
    }
}
