//! The owner's session: a cookie holding an expiry time and the owner's name,
//! signed with HMAC-SHA256 under a key derived from `ADMIN_TOKEN` (so rotating the
//! secret ends every session, and the secret itself never leaves the login form).
//! Plus the CSRF rule: a state-changing POST must come from the Worker's own origin.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::digest::{constant_time_eq, hex};
use crate::time::Timestamp;

/// Name of the session cookie.
pub const COOKIE: &str = "pd_owner";
/// Name of the owner page's language cookie.
pub const LANG_COOKIE: &str = "pd_owner_lang";
/// How long a login lasts.
pub const SESSION_MS: u64 = 8 * 3600 * 1000;
/// Longest name an owner can record as the actor of their actions.
pub const MAX_ACTOR_CHARS: usize = 60;

/// HMAC-SHA256 (RFC 2104), by the `hmac` crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The signing key: never the secret itself, so a leaked cookie reveals nothing
/// about it.
fn session_key(admin_token: &str) -> [u8; 32] {
    hmac_sha256(admin_token.as_bytes(), b"privacy-desk/owner-session/v1")
}

/// A signed session value, `<expiry-ms>.<actor-hex>.<mac-hex>`: only cookie-safe
/// characters, whatever name the owner typed.
pub fn issue(admin_token: &str, actor: &str, now: Timestamp) -> String {
    let actor = clean_actor(actor);
    let payload = format!("{}.{}", now.0 + SESSION_MS, hex(actor.as_bytes()));
    let mac = hmac_sha256(&session_key(admin_token), payload.as_bytes());
    format!("{payload}.{}", hex(&mac))
}

/// The actor (owner's name) of a valid, unexpired session; `None` otherwise.
pub fn verify(admin_token: &str, value: &str, now: Timestamp) -> Option<String> {
    if admin_token.is_empty() {
        return None;
    }
    let (payload, mac) = value.rsplit_once('.')?;
    let expected = hex(&hmac_sha256(&session_key(admin_token), payload.as_bytes()));
    if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
        return None;
    }
    let (expiry, actor_hex) = payload.split_once('.')?;
    let expiry: u64 = expiry.parse().ok()?;
    if now.0 >= expiry {
        return None;
    }
    let bytes = (0..actor_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(actor_hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// The name recorded with the owner's actions: trimmed, no control characters,
/// at most [`MAX_ACTOR_CHARS`]; "owner" if empty.
pub fn clean_actor(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_ACTOR_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "owner".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// A cookie's value from a `Cookie` header.
pub fn cookie<'a>(header: Option<&'a str>, name: &str) -> Option<&'a str> {
    header?.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

/// `Set-Cookie` for the session (or, with `None`, its removal). `Secure` only on
/// https, so that the local http server works too.
pub fn set_cookie(name: &str, value: Option<&str>, secure: bool, max_age_s: u64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match value {
        Some(value) => {
            format!(
                "{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite=Strict{secure}"
            )
        }
        None => format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    }
}

/// CSRF rule for POSTs: the browser's `Origin` must be the Worker's own; without
/// one (or with the opaque `null` a privacy setting may send), the browser-set
/// `Sec-Fetch-Site: same-origin` is accepted; anything else is refused.
pub fn same_origin_post(origin: Option<&str>, sec_fetch_site: Option<&str>, own: &str) -> bool {
    match origin {
        Some("null") | None => sec_fetch_site == Some("same-origin"),
        Some(origin) => origin == own,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_rfc4231() {
        // RFC 4231 test cases 1, 2 and 6 (key longer than a block).
        let cases: [(&[u8], &[u8], &str); 3] = [
            (
                &[0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, message, want) in cases {
            assert_eq!(hex(&hmac_sha256(key, message)), want);
        }
    }

    #[test]
    fn sessions() {
        let now = Timestamp(1_795_511_103_042);
        let value = issue("s3cret", "Anna\r\n", now);
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.'));
        assert_eq!(verify("s3cret", &value, now).as_deref(), Some("Anna"));
        assert_eq!(
            verify("s3cret", &value, Timestamp(now.0 + SESSION_MS - 1)).as_deref(),
            Some("Anna")
        );
        for (token, value, at) in [
            ("s3cret", value.clone(), Timestamp(now.0 + SESSION_MS)),
            ("other", value.clone(), now),
            ("", value.clone(), now),
            (
                "s3cret",
                value.replace(
                    &(now.0 + SESSION_MS).to_string(),
                    &(now.0 + 10 * SESSION_MS).to_string(),
                ),
                now,
            ),
            ("s3cret", String::from("garbage"), now),
            ("s3cret", String::new(), now),
        ] {
            assert_eq!(verify(token, &value, at), None, "{value}");
        }
        assert_eq!(
            verify("s3cret", &issue("s3cret", "  ", now), now).as_deref(),
            Some("owner")
        );
    }

    #[test]
    fn cookies_and_origin() {
        assert_eq!(cookie(Some("a=1; pd_owner=xyz; b=2"), COOKIE), Some("xyz"));
        assert_eq!(cookie(Some("pd_owner_lang=nl"), COOKIE), None);
        assert_eq!(cookie(None, COOKIE), None);
        let set = set_cookie(COOKIE, Some("v"), false, 60);
        assert_eq!(
            set,
            "pd_owner=v; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"
        );
        assert!(set_cookie(COOKIE, None, true, 0)
            .ends_with("Max-Age=0; HttpOnly; SameSite=Strict; Secure"));
        let own = "http://127.0.0.1:8787";
        for (origin, site, ok) in [
            (Some(own), None, true),
            (Some("https://evil.example"), Some("same-origin"), false),
            (Some("null"), None, false),
            (Some("null"), Some("same-origin"), true),
            (Some("null"), Some("cross-site"), false),
            (None, Some("same-origin"), true),
            (None, Some("cross-site"), false),
            (None, None, false),
        ] {
            assert_eq!(
                same_origin_post(origin, site, own),
                ok,
                "{origin:?} {site:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn verify_never_panics(value in "\\PC{0,80}") {
            let _ = verify("s3cret", &value, Timestamp(0));
        }
    }
}
