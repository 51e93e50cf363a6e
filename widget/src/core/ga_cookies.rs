//! Which cookies and `localStorage` keys to delete when consent is withdrawn -
//! Google's, and those the shop lists for the withdrawn services - and on which
//! domains (Google Analytics sets them on the widest domain it can, e.g.
//! `.shop.example`).

use crate::prelude::*;

use super::decide::Withdrawn;

/// Analytics cookies: `_ga`, `_ga_<container>`, `_gid`, `_gat`, `_gat_<id>`.
pub fn is_analytics_cookie(name: &str) -> bool {
    name == "_ga" || name.starts_with("_ga_") || name == "_gid" || name.starts_with("_gat")
}

/// Advertising cookies: `_gcl_au` and the other `_gcl_*` conversion linkers.
pub fn is_marketing_cookie(name: &str) -> bool {
    name.starts_with("_gcl_")
}

/// Whether a cookie name matches a service's cookie as the shop wrote it: an exact
/// name, or a prefix followed by a placeholder (`_ga_<container-id>`, `_hj*`).
pub fn matches_listed(name: &str, listed: &str) -> bool {
    match listed.find(['<', '*']) {
        Some(0) => false,
        Some(i) => {
            name.len() > i
                && listed
                    .get(..i)
                    .is_some_and(|prefix| name.starts_with(prefix))
        }
        None => name == listed,
    }
}

/// Names in a `document.cookie` string that must go after `withdrawn`.
pub fn to_delete<'a>(cookie_header: &'a str, withdrawn: &Withdrawn) -> Vec<&'a str> {
    let listed = |name: &str| {
        withdrawn
            .services
            .iter()
            .any(|s| s.cookies.iter().any(|c| matches_listed(name, c)))
    };
    cookie_header
        .split(';')
        .filter_map(|pair| pair.split_once('=').map(|(k, _)| k.trim()))
        .filter(|name| {
            (withdrawn.analytics && is_analytics_cookie(name))
                || (withdrawn.marketing && is_marketing_cookie(name))
                || listed(name)
        })
        .collect()
}

/// Whether a `localStorage` key is one the withdrawn services list (exact, or a
/// prefix with `*` or a `<placeholder>`, as for cookies).
pub fn storage_key_withdrawn(key: &str, withdrawn: &Withdrawn) -> bool {
    withdrawn
        .services
        .iter()
        .any(|s| s.local_storage.iter().any(|l| matches_listed(key, l)))
}

/// The `Domain` values to delete a cookie on: the host and each parent domain above
/// the public suffix guess (a single label such as `example` is skipped, cookies on
/// it are refused anyway). IP addresses and single-label hosts get none: the
/// host-only deletion (no `Domain`) covers them.
pub fn domains(host: &str) -> Vec<&str> {
    let host = host.trim_end_matches('.');
    let is_ip = host.bytes().all(|b| b.is_ascii_digit() || b == b'.') || host.contains(':');
    if host.is_empty() || is_ip || !host.contains('.') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut rest = host;
    // `split_once`, not slicing: no panic path (and no panic formatting) in the WASM.
    while let Some((_, parent)) = rest.split_once('.') {
        out.push(rest);
        rest = parent;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Service;

    fn service(cookies: &[&str], local_storage: &[&str]) -> Service {
        let text = protocol::Localized {
            en: "x".into(),
            nl: "x".into(),
        };
        Service {
            name: "x".into(),
            provider: None,
            category: protocol::Category::Marketing,
            purpose: text.clone(),
            cookies: cookies.iter().map(|c| (*c).into()).collect(),
            retention: text,
            policy_url: String::new(),
            local_storage: local_storage.iter().map(|c| (*c).into()).collect(),
        }
    }

    fn withdraw(analytics: bool, marketing: bool, services: &[Service]) -> Withdrawn<'_> {
        Withdrawn {
            analytics,
            marketing,
            services: services.iter().collect(),
        }
    }

    #[test]
    fn picks_google_cookies() {
        let header = "_ga=GA1.1.2; _ga_ABC123=GS1; _gid=x; _gat_UA1=1; _gat=1; _gcl_au=1.1; pd_consent=1.11; _gallery=keep; cart=1";
        assert_eq!(
            to_delete(header, &withdraw(true, true, &[])),
            ["_ga", "_ga_ABC123", "_gid", "_gat_UA1", "_gat", "_gcl_au"]
        );
        assert_eq!(to_delete(header, &withdraw(false, true, &[])), ["_gcl_au"]);
        assert_eq!(
            to_delete(header, &withdraw(true, false, &[])),
            ["_ga", "_ga_ABC123", "_gid", "_gat_UA1", "_gat"]
        );
        assert!(to_delete(header, &Withdrawn::default()).is_empty());
        assert!(to_delete("", &withdraw(true, true, &[])).is_empty());
    }

    #[test]
    fn also_deletes_the_cookies_and_storage_keys_the_withdrawn_services_list() {
        let pixel = [service(&["_fbp", "fr"], &["fb_pixel", "fbq_*"])];
        let hotjar = [service(&["_hj*", "<any>"], &["_hjSession*"])];
        let header = "_fbp=1; fr=2; frx=3; _hjSession=4; _hj=5; cart=6";
        assert_eq!(
            to_delete(header, &withdraw(false, false, &pixel)),
            ["_fbp", "fr"]
        );
        assert_eq!(
            to_delete(header, &withdraw(false, false, &hotjar)),
            ["_hjSession"]
        );
        for (key, want) in [
            ("fb_pixel", true),
            ("fbq_events", true),
            ("fbq_", false),
            ("fb_pixel2", false),
            ("cart", false),
        ] {
            assert_eq!(
                storage_key_withdrawn(key, &withdraw(false, false, &pixel)),
                want,
                "{key}"
            );
        }
        assert!(!storage_key_withdrawn(
            "fb_pixel",
            &withdraw(true, true, &hotjar)
        ));
    }

    #[test]
    fn listed_patterns() {
        for (name, listed, want) in [
            ("_ga_ABC", "_ga_<container-id>", true),
            ("_ga_", "_ga_<container-id>", false),
            ("_hjSession", "_hj*", true),
            ("fr", "fr", true),
            ("frx", "fr", false),
            ("anything", "<x>", false),
            ("anything", "*", false),
        ] {
            assert_eq!(matches_listed(name, listed), want, "{name} {listed}");
        }
    }

    #[test]
    fn domain_table() {
        for (host, want) in [
            ("www.shop.example", vec!["www.shop.example", "shop.example"]),
            ("shop.example", vec!["shop.example"]),
            (
                "a.b.shop.co.uk",
                vec!["a.b.shop.co.uk", "b.shop.co.uk", "shop.co.uk", "co.uk"],
            ),
            ("localhost", vec![]),
            ("127.0.0.1", vec![]),
            ("[::1]", vec![]),
            ("", vec![]),
        ] {
            assert_eq!(domains(host), want, "{host}");
        }
    }
}
