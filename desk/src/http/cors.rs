//! Which browser origins may call the API. The Worker's own origin (the demo shops,
//! the owner page) is always allowed; other origins only when a shop lists them.
//! The answer echoes the one matching origin, never a list, with `Vary: Origin`.

use crate::config::{normalize_origin, Shop, Shops};

/// The outcome for one request.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Cors {
    /// No `Origin` header: not a cross-origin browser request (curl, server to
    /// server). No CORS headers are needed.
    NoOrigin,
    /// Echo this origin in `Access-Control-Allow-Origin`.
    Allow(String),
    /// The origin may not call this endpoint.
    Deny,
}

impl Cors {
    pub fn is_denied(&self) -> bool {
        matches!(self, Cors::Deny)
    }

    /// The response headers that belong to this decision.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        match self {
            Cors::NoOrigin | Cors::Deny => vec![("Vary", "Origin".to_owned())],
            Cors::Allow(origin) => vec![
                ("Access-Control-Allow-Origin", origin.clone()),
                ("Vary", "Origin".to_owned()),
            ],
        }
    }
}

/// Decides for a request about one shop (`POST /api/consent`, `POST /api/requests`).
pub fn for_shop(origin: Option<&str>, own_origin: &str, shop: &Shop) -> Cors {
    decide(origin, own_origin, |candidate| {
        shop.origins.iter().any(|allowed| allowed == candidate)
    })
}

/// Decides for a request whose shop is not known yet (preflight, status page):
/// any configured shop's origin is acceptable.
pub fn for_any_shop(origin: Option<&str>, own_origin: &str, shops: &Shops) -> Cors {
    decide(origin, own_origin, |candidate| {
        shops
            .iter()
            .any(|shop| shop.origins.iter().any(|allowed| allowed == candidate))
    })
}

fn decide(origin: Option<&str>, own_origin: &str, listed: impl Fn(&str) -> bool) -> Cors {
    let Some(origin) = origin else {
        return Cors::NoOrigin;
    };
    // "null" (sandboxed frames, file://) and anything malformed are refused.
    let Some(normalized) = normalize_origin(origin) else {
        return Cors::Deny;
    };
    let own = normalize_origin(own_origin);
    if own.as_deref() == Some(normalized.as_str()) || listed(&normalized) {
        Cors::Allow(origin.to_owned())
    } else {
        Cors::Deny
    }
}

/// Headers of an answer to a CORS preflight (`OPTIONS`) that was allowed.
pub fn preflight_headers(origin: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Access-Control-Allow-Origin", origin.to_owned()),
        (
            "Access-Control-Allow-Methods",
            "GET, POST, OPTIONS".to_owned(),
        ),
        ("Access-Control-Allow-Headers", "Content-Type".to_owned()),
        ("Access-Control-Max-Age", "600".to_owned()),
        ("Vary", "Origin".to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{validate_shops, ShopEntry};

    fn shops() -> Shops {
        let json = r#"[
            {"id":"demo-en","name":"EN","origins":["https://mountandco.example"],"privacy_contact":"p@mountandco.example",
             "policy_version":"1","languages":["en"],"retention_days":730,"privacy_policy_url":"/p"},
            {"id":"demo-nl","name":"NL","origins":["https://beugelhuis.example","http://localhost:3000"],"privacy_contact":"p@beugelhuis.example",
             "policy_version":"1","languages":["nl"],"retention_days":730,"privacy_policy_url":"/p"}
        ]"#;
        let entries: Vec<ShopEntry> = serde_json::from_str(json).unwrap();
        validate_shops(entries).unwrap()
    }

    #[test]
    fn cors_table() {
        let shops = shops();
        let own = "http://127.0.0.1:8787";
        let allow = |o: &str| Cors::Allow(o.to_owned());
        let cases: &[(&str, Option<&str>, Cors)] = &[
            ("demo-en", None, Cors::NoOrigin),
            (
                "demo-en",
                Some("http://127.0.0.1:8787"),
                allow("http://127.0.0.1:8787"),
            ),
            (
                "demo-nl",
                Some("http://127.0.0.1:8787"),
                allow("http://127.0.0.1:8787"),
            ),
            ("demo-en", Some("http://127.0.0.1:8788"), Cors::Deny),
            ("demo-en", Some("https://127.0.0.1:8787"), Cors::Deny),
            (
                "demo-en",
                Some("https://mountandco.example"),
                allow("https://mountandco.example"),
            ),
            (
                "demo-en",
                Some("https://MountAndCo.example"),
                allow("https://MountAndCo.example"),
            ),
            // One shop's origin may not post for another shop.
            ("demo-nl", Some("https://mountandco.example"), Cors::Deny),
            (
                "demo-en",
                Some("https://mountandco.example.evil.example"),
                Cors::Deny,
            ),
            ("demo-en", Some("https://evil.example"), Cors::Deny),
            ("demo-en", Some("null"), Cors::Deny),
            (
                "demo-en",
                Some("https://mountandco.example, https://evil.example"),
                Cors::Deny,
            ),
            ("demo-en", Some(""), Cors::Deny),
            (
                "demo-nl",
                Some("http://localhost:3000"),
                allow("http://localhost:3000"),
            ),
        ];
        for (shop, origin, want) in cases {
            let got = for_shop(*origin, own, shops.get(shop).unwrap());
            assert_eq!(&got, want, "{shop} {origin:?}");
        }
        assert_eq!(
            for_any_shop(Some("https://mountandco.example"), own, &shops),
            allow("https://mountandco.example")
        );
        assert_eq!(
            for_any_shop(Some("https://beugelhuis.example"), own, &shops),
            allow("https://beugelhuis.example")
        );
        assert_eq!(
            for_any_shop(Some("https://evil.example"), own, &shops),
            Cors::Deny
        );
    }

    #[test]
    fn headers_echo_one_origin() {
        let headers = Cors::Allow("https://mountandco.example".into()).headers();
        assert!(headers.contains(&(
            "Access-Control-Allow-Origin",
            "https://mountandco.example".into()
        )));
        assert!(headers.contains(&("Vary", "Origin".into())));
        assert!(Cors::Deny
            .headers()
            .iter()
            .all(|(name, _)| *name != "Access-Control-Allow-Origin"));
    }

    proptest::proptest! {
        #[test]
        fn decisions_never_panic(origin in "\\PC{0,80}") {
            let shops = shops();
            let _ = for_any_shop(Some(&origin), "http://127.0.0.1:8787", &shops);
            let _ = for_shop(Some(&origin), &origin, shops.get("demo-en").unwrap());
        }
    }
}
