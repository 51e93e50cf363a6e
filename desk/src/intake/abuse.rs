//! Abuse decisions as plain functions: which rate limiter a request counts
//! against and the address its client key is made from, whether the honeypot was
//! filled, and the Turnstile siteverify exchange (form body out, verdict in). The
//! app does the I/O (the rate-limit bindings, the siteverify fetch).

// `core::net`: address parsing only; no sockets here.
use core::net::IpAddr;

use serde::Deserialize;

use crate::bindings;
use crate::http::form::encode_component;
use crate::http::owner_route::OwnerRoute;
use crate::http::route::{Method, Route};

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

/// Whether `path` is a public look-up: the verification page and API, the status
/// page and API. Each answers whether a guess (a reference, a token, an address)
/// was right, so every request to them counts, whatever its method.
pub fn is_lookup(path: &str) -> bool {
    matches!(Route::parse(path), Some(Route::RequestStatus(_)))
        || matches!(
            OwnerRoute::parse(path),
            Some(OwnerRoute::VerifyPage | OwnerRoute::StatusPage | OwnerRoute::VerifyApi(_))
        )
}

/// The rate-limit binding a request counts against before any work, if any.
/// Look-ups (any method) have their own budget; consent records come with every
/// banner choice, so they get theirs; every other POST (rights requests, the
/// owner's sign-in and actions) shares one. Failed owner authentication counts
/// against `AUTH_LIMITER` besides, once it has failed.
pub fn limiter_for(method: Method, path: &str) -> Option<&'static str> {
    if is_lookup(path) {
        return Some(bindings::LOOKUP_LIMITER);
    }
    match (method, Route::parse(path)) {
        (Method::Post, Some(Route::Consent)) => Some(bindings::CONSENT_LIMITER),
        (Method::Post, _) => Some(bindings::POST_LIMITER),
        _ => None,
    }
}

/// The address a client key is made from: `CF-Connecting-IP`, which Cloudflare
/// sets on every request. An IPv6 client is its /64 (one subscriber usually holds
/// a whole /64, so single addresses would be free buckets); an IPv4-mapped
/// address is its IPv4 address. Without the header (not behind Cloudflare) all
/// such clients share one bucket.
pub fn client_address(cf_connecting_ip: Option<&str>) -> String {
    let Some(ip) = cf_connecting_ip.map(str::trim).filter(|ip| !ip.is_empty()) else {
        return "unknown".to_owned();
    };
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => ip.to_owned(),
    }
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
    }

    #[test]
    fn limiters() {
        let (get, post, options) = (Method::Get, Method::Post, Method::Options);
        for (method, path, want) in [
            (post, "/api/consent", Some("CONSENT_LIMITER")),
            (post, "/api/consent/", Some("CONSENT_LIMITER")),
            (post, "/api/requests", Some("POST_LIMITER")),
            (post, "/admin/login", Some("POST_LIMITER")),
            (
                post,
                "/admin/requests/demo-en/PR-2222-2222-2222",
                Some("POST_LIMITER"),
            ),
            (get, "/verify", Some("LOOKUP_LIMITER")),
            (post, "/verify/", Some("LOOKUP_LIMITER")),
            (get, "/request-status", Some("LOOKUP_LIMITER")),
            (post, "/request-status", Some("LOOKUP_LIMITER")),
            (
                post,
                "/api/requests/PR-2222-2222-2222/status",
                Some("LOOKUP_LIMITER"),
            ),
            (
                options,
                "/api/requests/PR-2222-2222-2222/status",
                Some("LOOKUP_LIMITER"),
            ),
            (
                post,
                "/api/requests/PR-2222-2222-2222/verify",
                Some("LOOKUP_LIMITER"),
            ),
            (get, "/api/admin/requests", None),
            (get, "/admin/", None),
            (get, "/api/shops/demo-en/config", None),
        ] {
            assert_eq!(limiter_for(method, path), want, "{method:?} {path}");
        }
    }

    #[test]
    fn clients() {
        for (header, want) in [
            (Some(" 203.0.113.7 "), "203.0.113.7"),
            (Some(""), "unknown"),
            (None, "unknown"),
            (Some("2001:db8:5:7::1"), "2001:db8:5:7::/64"),
            (
                Some("2001:db8:5:7:ffff:ffff:ffff:ffff"),
                "2001:db8:5:7::/64",
            ),
            (Some("2001:DB8:0005:0007:0:0:0:9"), "2001:db8:5:7::/64"),
            (Some("2001:db8:5:8::1"), "2001:db8:5:8::/64"),
            (Some("::ffff:203.0.113.7"), "203.0.113.7"),
            (Some("not an address"), "not an address"),
        ] {
            assert_eq!(client_address(header), want, "{header:?}");
        }
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
            let _ = limiter_for(Method::Post, &text);
            let _ = is_lookup(&text);
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
