//! Paths of the owner page, the requester's verification and status pages and the
//! exports, matched on plain strings (tested on the host). Shop ids and references
//! are passed on raw; handlers validate them.

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OwnerRoute {
    /// `GET /admin/admin.css`
    Stylesheet,
    /// `GET|POST /admin/login`
    Login,
    /// `POST /admin/logout`
    Logout,
    /// `GET /admin/` - the request list with filters.
    List,
    /// `GET /admin/requests/<shop>/<ref>` (detail), `POST` (an action).
    Request { shop: String, reference: String },
    /// `POST /admin/requests/<shop>/<ref>/upload`: an order export (multipart).
    Upload { shop: String, reference: String },
    /// `GET /access?t=&lang=` (asks for the address), `POST /access`: the
    /// requester's answer behind its download link.
    Access,
    /// `GET /verify?ref=&token=` (confirmation page), `POST /verify` (confirm).
    VerifyPage,
    /// `GET /request-status?ref=&lang=` (the requester's form), `POST /request-status`
    /// (reference and e-mail address in the body: where the request stands).
    StatusPage,
    /// `POST /api/requests/<ref>/verify` with `{"token":...}`.
    VerifyApi(String),
    /// `GET /api/admin/export/requests.json[?shop=]`
    ExportRequestsJson,
    /// `GET /api/admin/export/requests.csv[?shop=]`
    ExportRequestsCsv,
    /// `GET /api/admin/export/consent.csv[?shop=]`
    ExportConsentCsv,
}

impl OwnerRoute {
    pub fn parse(path: &str) -> Option<OwnerRoute> {
        if path == "/admin" || path == "/admin/" {
            return Some(OwnerRoute::List);
        }
        if path == "/verify" || path == "/verify/" {
            return Some(OwnerRoute::VerifyPage);
        }
        if path == "/request-status" || path == "/request-status/" {
            return Some(OwnerRoute::StatusPage);
        }
        if path == "/access" || path == "/access/" {
            return Some(OwnerRoute::Access);
        }
        if let Some(rest) = path.strip_prefix("/admin/") {
            let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
            return match segments.as_slice() {
                ["admin.css"] => Some(OwnerRoute::Stylesheet),
                ["login"] => Some(OwnerRoute::Login),
                ["logout"] => Some(OwnerRoute::Logout),
                ["requests", shop, reference] => Some(OwnerRoute::Request {
                    shop: (*shop).to_owned(),
                    reference: (*reference).to_owned(),
                }),
                ["requests", shop, reference, "upload"] => Some(OwnerRoute::Upload {
                    shop: (*shop).to_owned(),
                    reference: (*reference).to_owned(),
                }),
                _ => None,
            };
        }
        let rest = path.strip_prefix("/api/")?;
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        match segments.as_slice() {
            ["requests", reference, "verify"] => {
                Some(OwnerRoute::VerifyApi((*reference).to_owned()))
            }
            ["admin", "export", "requests.json"] => Some(OwnerRoute::ExportRequestsJson),
            ["admin", "export", "requests.csv"] => Some(OwnerRoute::ExportRequestsCsv),
            ["admin", "export", "consent.csv"] => Some(OwnerRoute::ExportConsentCsv),
            _ => None,
        }
    }

    /// The `Allow` header of this route's 405.
    pub fn allow(&self) -> &'static str {
        match self {
            OwnerRoute::Stylesheet
            | OwnerRoute::List
            | OwnerRoute::ExportRequestsJson
            | OwnerRoute::ExportRequestsCsv
            | OwnerRoute::ExportConsentCsv => "GET, HEAD",
            OwnerRoute::Logout | OwnerRoute::VerifyApi(_) | OwnerRoute::Upload { .. } => "POST",
            OwnerRoute::Login
            | OwnerRoute::Access
            | OwnerRoute::Request { .. }
            | OwnerRoute::VerifyPage
            | OwnerRoute::StatusPage => "GET, HEAD, POST",
        }
    }

    /// Whether this is a page of the requester's (verification, status): it keeps
    /// no preference of the owner's, such as the language cookie.
    pub fn is_requesters(&self) -> bool {
        matches!(
            self,
            OwnerRoute::VerifyPage
                | OwnerRoute::StatusPage
                | OwnerRoute::VerifyApi(_)
                | OwnerRoute::Access
        )
    }

    /// Whether this route answers JSON or a download (not a page): no CSRF form
    /// check, a bearer token instead of the session, refusals as JSON.
    pub fn is_api(&self) -> bool {
        matches!(
            self,
            OwnerRoute::VerifyApi(_)
                | OwnerRoute::ExportRequestsJson
                | OwnerRoute::ExportRequestsCsv
                | OwnerRoute::ExportConsentCsv
        )
    }

    /// Whether this is an owner-only route (session cookie or bearer token).
    pub fn needs_owner(&self) -> bool {
        !matches!(
            self,
            OwnerRoute::Stylesheet
                | OwnerRoute::Login
                | OwnerRoute::VerifyPage
                | OwnerRoute::StatusPage
                | OwnerRoute::VerifyApi(_)
                | OwnerRoute::Access
        )
    }
}

/// How many bytes of a body the shell reads for `path`: the order-export upload
/// gets room for its file, everything else `protocol::MAX_BODY_BYTES`.
pub fn body_limit(path: &str) -> usize {
    match OwnerRoute::parse(path) {
        Some(OwnerRoute::Upload { .. }) => crate::access::UPLOAD_BODY_BYTES,
        _ => protocol::MAX_BODY_BYTES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table() {
        let request = |shop: &str, reference: &str| OwnerRoute::Request {
            shop: shop.into(),
            reference: reference.into(),
        };
        for (path, want) in [
            ("/admin", Some(OwnerRoute::List)),
            ("/admin/", Some(OwnerRoute::List)),
            ("/admin/login", Some(OwnerRoute::Login)),
            ("/admin/logout", Some(OwnerRoute::Logout)),
            ("/admin/admin.css", Some(OwnerRoute::Stylesheet)),
            (
                "/admin/requests/demo-en/PR-7KQ4-M2XD-9HTW",
                Some(request("demo-en", "PR-7KQ4-M2XD-9HTW")),
            ),
            ("/admin/requests/demo-en", None),
            ("/admin/other", None),
            ("/verify", Some(OwnerRoute::VerifyPage)),
            ("/request-status", Some(OwnerRoute::StatusPage)),
            ("/request-status/", Some(OwnerRoute::StatusPage)),
            ("/request-status/x", None),
            ("/access", Some(OwnerRoute::Access)),
            ("/access/x", None),
            (
                "/admin/requests/demo-nl/PR-7KQ4-M2XD-9HTW/upload",
                Some(OwnerRoute::Upload {
                    shop: "demo-nl".into(),
                    reference: "PR-7KQ4-M2XD-9HTW".into(),
                }),
            ),
            (
                "/api/requests/PR-7KQ4-M2XD-9HTW/verify",
                Some(OwnerRoute::VerifyApi("PR-7KQ4-M2XD-9HTW".into())),
            ),
            ("/api/requests/PR-7KQ4-M2XD-9HTW/status", None),
            (
                "/api/admin/export/requests.json",
                Some(OwnerRoute::ExportRequestsJson),
            ),
            (
                "/api/admin/export/requests.csv",
                Some(OwnerRoute::ExportRequestsCsv),
            ),
            (
                "/api/admin/export/consent.csv",
                Some(OwnerRoute::ExportConsentCsv),
            ),
            ("/api/admin/requests", None),
            ("/administrator", None),
            ("/", None),
        ] {
            assert_eq!(OwnerRoute::parse(path), want, "{path}");
        }
        assert!(!OwnerRoute::Login.needs_owner());
        assert!(OwnerRoute::List.needs_owner());
        assert!(!OwnerRoute::StatusPage.needs_owner());
        assert!(!OwnerRoute::Access.needs_owner());
        assert!(OwnerRoute::parse("/admin/requests/a/b/upload")
            .unwrap()
            .needs_owner());
        assert_eq!(body_limit("/api/requests"), protocol::MAX_BODY_BYTES);
        assert!(body_limit("/admin/requests/a/b/upload") > 4 << 20);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(path in "\\PC{0,80}") {
            let _ = OwnerRoute::parse(&path);
            let _ = OwnerRoute::parse(&format!("/admin/{path}"));
        }
    }
}
