//! Which Google cookies to delete when consent is withdrawn, and on which domains
//! (Google Analytics sets them on the widest domain it can, e.g. `.shop.example`).

use super::decide::Withdrawn;

/// Analytics cookies: `_ga`, `_ga_<container>`, `_gid`, `_gat`, `_gat_<id>`.
pub fn is_analytics_cookie(name: &str) -> bool {
    name == "_ga" || name.starts_with("_ga_") || name == "_gid" || name.starts_with("_gat")
}

/// Advertising cookies: `_gcl_au` and the other `_gcl_*` conversion linkers.
pub fn is_marketing_cookie(name: &str) -> bool {
    name.starts_with("_gcl_")
}

/// Names in a `document.cookie` string that must go after `withdrawn`.
pub fn to_delete(cookie_header: &str, withdrawn: Withdrawn) -> Vec<&str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.split_once('=').map(|(k, _)| k.trim()))
        .filter(|name| (withdrawn.analytics && is_analytics_cookie(name)) || (withdrawn.marketing && is_marketing_cookie(name)))
        .collect()
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
    while rest.contains('.') {
        out.push(rest);
        rest = &rest[rest.find('.').map_or(rest.len(), |i| i + 1)..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_google_cookies() {
        let header = "_ga=GA1.1.2; _ga_ABC123=GS1; _gid=x; _gat_UA1=1; _gat=1; _gcl_au=1.1; pd_consent=1.11; _gallery=keep; cart=1";
        let all = Withdrawn { analytics: true, marketing: true };
        assert_eq!(to_delete(header, all), ["_ga", "_ga_ABC123", "_gid", "_gat_UA1", "_gat", "_gcl_au"]);
        assert_eq!(to_delete(header, Withdrawn { analytics: false, marketing: true }), ["_gcl_au"]);
        assert_eq!(to_delete(header, Withdrawn { analytics: true, marketing: false }), ["_ga", "_ga_ABC123", "_gid", "_gat_UA1", "_gat"]);
        assert!(to_delete(header, Withdrawn::default()).is_empty());
        assert!(to_delete("", all).is_empty());
    }

    #[test]
    fn domain_table() {
        for (host, want) in [
            ("www.shop.example", vec!["www.shop.example", "shop.example"]),
            ("shop.example", vec!["shop.example"]),
            ("a.b.shop.co.uk", vec!["a.b.shop.co.uk", "b.shop.co.uk", "shop.co.uk", "co.uk"]),
            ("localhost", vec![]),
            ("127.0.0.1", vec![]),
            ("[::1]", vec![]),
            ("", vec![]),
        ] {
            assert_eq!(domains(host), want, "{host}");
        }
    }
}
