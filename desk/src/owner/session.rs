//! The owner's session: a cookie holding an expiry time, the owner's name and the
//! session generation it was issued in, signed with HMAC-SHA256 under a key derived
//! from `ADMIN_TOKEN` (so rotating the secret ends every session, and the secret
//! itself never leaves the login form); the generation kept in KV lets sign-out end
//! every copy of it. Plus the rules around it: a state-changing POST must come from
//! the Worker's own origin, the cookie counts only on a top-level navigation, the
//! secret must be long enough, and the automatic actors' names are not for people.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::digest::{constant_time_eq, hex};
use crate::time::Timestamp;

/// Name of the session cookie on plain http (local development).
pub const COOKIE: &str = "pd_owner";
/// Name of the session cookie on https: the `__Host-` prefix makes the browser
/// take it only with `Secure`, `Path=/` and no `Domain`, so no other host (a
/// sibling subdomain) can set or overwrite it.
pub const HOST_COOKIE: &str = "__Host-pd_owner";
/// Shortest `ADMIN_TOKEN` accepted: a shorter one closes the owner routes.
pub const MIN_SECRET_CHARS: usize = 32;
/// Names of the automatic actors of the audit trail, stored and shown (EN, NL):
/// an owner who signs in with one of them would pass their actions off as these.
const RESERVED_ACTORS: [&str; 6] = [
    "system",
    "requester",
    "api",
    "automatic",
    "automatisch",
    "aanvrager",
];
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

/// Whether `ADMIN_TOKEN` is long enough to be accepted at all.
pub fn secret_strong_enough(admin_token: &str) -> bool {
    admin_token.chars().count() >= MIN_SECRET_CHARS
}

/// The generation of sessions before any sign-out wrote one.
pub const FIRST_GENERATION: &str = "0";

/// A signed session value, `<expiry-ms>.<actor-hex>.<generation>.<mac-hex>`: only
/// cookie-safe characters, whatever name the owner typed. `generation` is
/// lower-case hex (or [`FIRST_GENERATION`]).
pub fn issue(admin_token: &str, actor: &str, generation: &str, now: Timestamp) -> String {
    let actor = clean_actor(actor);
    let payload = format!(
        "{}.{}.{generation}",
        now.0 + SESSION_MS,
        hex(actor.as_bytes())
    );
    let mac = hmac_sha256(&session_key(admin_token), payload.as_bytes());
    format!("{payload}.{}", hex(&mac))
}

/// A valid, unexpired session: who signed in, and in which generation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Session {
    pub actor: String,
    pub generation: String,
}

/// The session of a signed, unexpired cookie value; `None` otherwise. Whether its
/// generation is still the current one is for the caller to check (it is in KV).
pub fn verify(admin_token: &str, value: &str, now: Timestamp) -> Option<Session> {
    if !secret_strong_enough(admin_token) {
        return None;
    }
    let (payload, mac) = value.rsplit_once('.')?;
    let expected = hex(&hmac_sha256(&session_key(admin_token), payload.as_bytes()));
    if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
        return None;
    }
    let mut parts = payload.split('.');
    let (expiry, actor_hex, generation) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let expiry: u64 = expiry.parse().ok()?;
    if now.0 >= expiry {
        return None;
    }
    let bytes = (0..actor_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(actor_hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(Session {
        actor: String::from_utf8(bytes).ok()?,
        generation: generation.to_owned(),
    })
}

/// Whether a name typed at sign-in is one of the automatic actors' (any case,
/// any whitespace).
pub fn reserved_actor(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    RESERVED_ACTORS.contains(&folded.as_str())
}

/// The session cookie's name: `__Host-` prefixed on https.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

/// Whether the browser says this request is the top-level navigation of a tab
/// (typing the address, a link, a form post; not a script's `fetch`, which
/// cannot set these headers, nor a frame). Only such a request may use the
/// session cookie: a script on a shop page of the same origin then never gets
/// an owner answer it could read.
pub fn top_level_navigation(sec_fetch_mode: Option<&str>, sec_fetch_dest: Option<&str>) -> bool {
    sec_fetch_mode == Some("navigate") && sec_fetch_dest == Some("document")
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

    const SECRET: &str = "s3cret-of-the-owner-0123456789abcdef";

    fn actor(token: &str, value: &str, now: Timestamp) -> Option<String> {
        verify(token, value, now).map(|session| session.actor)
    }

    #[test]
    fn sessions() {
        let now = Timestamp(1_795_511_103_042);
        let value = issue(SECRET, "Anna\r\n", "a1b2", now);
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.'));
        assert_eq!(
            verify(SECRET, &value, now),
            Some(Session {
                actor: "Anna".into(),
                generation: "a1b2".into()
            })
        );
        assert_eq!(
            actor(SECRET, &value, Timestamp(now.0 + SESSION_MS - 1)).as_deref(),
            Some("Anna")
        );
        let short = "s3cret-but-only-31-characters-x";
        assert_eq!(short.len(), MIN_SECRET_CHARS - 1);
        for (token, value, at) in [
            (SECRET, value.clone(), Timestamp(now.0 + SESSION_MS)),
            ("other-secret-that-is-long-enough-too", value.clone(), now),
            ("", value.clone(), now),
            (short, issue(short, "Anna", "0", now), now),
            (
                SECRET,
                value.replace(
                    &(now.0 + SESSION_MS).to_string(),
                    &(now.0 + 10 * SESSION_MS).to_string(),
                ),
                now,
            ),
            (SECRET, value.replace(".a1b2.", ".c3d4."), now),
            (SECRET, String::from("garbage"), now),
            (SECRET, String::new(), now),
        ] {
            assert_eq!(verify(token, &value, at), None, "{value}");
        }
        assert_eq!(
            actor(SECRET, &issue(SECRET, "  ", "0", now), now).as_deref(),
            Some("owner")
        );
    }

    #[test]
    fn secrets_names_and_navigations() {
        assert!(!secret_strong_enough(""));
        assert!(!secret_strong_enough(&"x".repeat(MIN_SECRET_CHARS - 1)));
        assert!(secret_strong_enough(&"x".repeat(MIN_SECRET_CHARS)));
        for (name, reserved) in [
            ("System", true),
            ("  system ", true),
            ("SYS TEM", true),
            ("s\tystem", true),
            ("Automatisch", true),
            ("requester", true),
            ("API", true),
            ("Olivia", false),
            ("systems", false),
            ("", false),
        ] {
            assert_eq!(reserved_actor(name), reserved, "{name:?}");
        }
        assert_eq!(cookie_name(true), "__Host-pd_owner");
        assert_eq!(cookie_name(false), "pd_owner");
        for (mode, dest, ok) in [
            (Some("navigate"), Some("document"), true),
            (Some("navigate"), Some("iframe"), false),
            (Some("navigate"), Some("empty"), false),
            (Some("cors"), Some("empty"), false),
            (Some("same-origin"), Some("document"), false),
            (None, Some("document"), false),
            (Some("navigate"), None, false),
            (None, None, false),
        ] {
            assert_eq!(top_level_navigation(mode, dest), ok, "{mode:?} {dest:?}");
        }
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
            let _ = verify(SECRET, &value, Timestamp(0));
            let _ = reserved_actor(&value);
        }
    }
}
