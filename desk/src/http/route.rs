//! The API's routes, matched on plain strings so that routing (and every JSON
//! 404/405) is tested on the host.

/// An `/api/` endpoint. Path segments are passed on raw; handlers validate them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Route {
    /// `GET /api/shops/<shop>/config`
    ShopConfig(String),
    /// `GET /api/shops/<shop>/form?lang=`: the rights-request form's markup.
    RequestForm(String),
    /// `POST /api/consent`
    Consent,
    /// `POST /api/requests`
    Requests,
    /// `POST /api/requests/<ref>/status` with `{"email":...}`: never the address in
    /// a URL, where logs and browser history would keep it.
    RequestStatus(String),
    /// `GET /api/admin/consent?shop=`
    AdminConsent,
    /// `GET /api/admin/requests?shop=`
    AdminRequests,
    /// `POST /api/admin/requests/by-email` with `{"shop":...,"email":...}`: one
    /// person's requests, found through the blind index.
    AdminRequestsByEmail,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Get,
    Head,
    Post,
    Options,
    Other,
}

impl Method {
    pub fn parse(name: &str) -> Method {
        match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }
}

impl Route {
    /// Matches a URL path (without query); `None` is a 404.
    pub fn parse(path: &str) -> Option<Route> {
        let rest = path.strip_prefix("/api/")?;
        let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        match segments.as_slice() {
            ["shops", shop, "config"] => Some(Route::ShopConfig((*shop).to_owned())),
            ["shops", shop, "form"] => Some(Route::RequestForm((*shop).to_owned())),
            ["consent"] => Some(Route::Consent),
            ["requests"] => Some(Route::Requests),
            ["requests", reference, "status"] => {
                Some(Route::RequestStatus((*reference).to_owned()))
            }
            ["admin", "consent"] => Some(Route::AdminConsent),
            ["admin", "requests"] => Some(Route::AdminRequests),
            ["admin", "requests", "by-email"] => Some(Route::AdminRequestsByEmail),
            _ => None,
        }
    }

    /// The method this route answers (besides `OPTIONS` for browser-facing routes).
    pub fn method(&self) -> Method {
        match self {
            Route::Consent
            | Route::Requests
            | Route::RequestStatus(_)
            | Route::AdminRequestsByEmail => Method::Post,
            Route::ShopConfig(_)
            | Route::RequestForm(_)
            | Route::AdminConsent
            | Route::AdminRequests => Method::Get,
        }
    }

    /// The `Allow` header of this route's 405.
    pub fn allow(&self) -> &'static str {
        match (self.method(), self.is_cross_origin()) {
            (Method::Post, true) => "POST, OPTIONS",
            (Method::Get, true) => "GET, HEAD, OPTIONS",
            (Method::Post, false) => "POST",
            _ => "GET, HEAD",
        }
    }

    /// Whether shop pages on other origins call this route (and so may preflight).
    pub fn is_cross_origin(&self) -> bool {
        !matches!(
            self,
            Route::AdminConsent | Route::AdminRequests | Route::AdminRequestsByEmail
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table() {
        for (path, want) in [
            (
                "/api/shops/demo-en/config",
                Some(Route::ShopConfig("demo-en".into())),
            ),
            ("/api/consent", Some(Route::Consent)),
            ("/api/consent/", Some(Route::Consent)),
            ("/api/requests", Some(Route::Requests)),
            (
                "/api/requests/PR-7KQ4-M2XD-9HTW/status",
                Some(Route::RequestStatus("PR-7KQ4-M2XD-9HTW".into())),
            ),
            ("/api/admin/consent", Some(Route::AdminConsent)),
            ("/api/admin/requests", Some(Route::AdminRequests)),
            (
                "/api/admin/requests/by-email",
                Some(Route::AdminRequestsByEmail),
            ),
            ("/api/", None),
            ("/api/shops/demo-en", None),
            ("/api/shops//config", Some(Route::ShopConfig(String::new()))),
            ("/api/consent/x", None),
            ("/shop/en/", None),
            ("/api", None),
        ] {
            assert_eq!(Route::parse(path), want, "{path}");
        }
        assert_eq!(Method::parse("POST"), Method::Post);
        assert_eq!(Method::parse("post"), Method::Other);
        assert!(!Route::AdminConsent.is_cross_origin());
    }

    #[test]
    fn allow_lists_the_asked_routes_methods() {
        for (route, want) in [
            (Route::ShopConfig("x".into()), "GET, HEAD, OPTIONS"),
            (Route::Consent, "POST, OPTIONS"),
            (Route::RequestStatus("x".into()), "POST, OPTIONS"),
            (Route::AdminRequests, "GET, HEAD"),
            (Route::AdminRequestsByEmail, "POST"),
        ] {
            assert_eq!(route.allow(), want, "{route:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(path in "\\PC{0,80}") {
            let _ = Route::parse(&path);
            let _ = Route::parse(&format!("/api/{path}"));
        }
    }
}
