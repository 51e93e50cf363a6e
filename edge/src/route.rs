//! The API's routes, matched on plain strings so that routing (and every JSON
//! 404/405) is tested on the host.

/// An `/api/` endpoint. Path segments are passed on raw; handlers validate them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Route {
    /// `GET /api/shops/<shop>/config`
    ShopConfig(String),
    /// `POST /api/consent`
    Consent,
    /// `POST /api/requests`
    Requests,
    /// `GET /api/requests/<ref>/status?email=`
    RequestStatus(String),
    /// `GET /api/admin/consent?shop=`
    AdminConsent,
    /// `GET /api/admin/requests?shop=`
    AdminRequests,
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
            ["consent"] => Some(Route::Consent),
            ["requests"] => Some(Route::Requests),
            ["requests", reference, "status"] => {
                Some(Route::RequestStatus((*reference).to_owned()))
            }
            ["admin", "consent"] => Some(Route::AdminConsent),
            ["admin", "requests"] => Some(Route::AdminRequests),
            _ => None,
        }
    }

    /// The method this route answers (besides `OPTIONS` for browser-facing routes).
    pub fn method(&self) -> Method {
        match self {
            Route::Consent | Route::Requests => Method::Post,
            Route::ShopConfig(_)
            | Route::RequestStatus(_)
            | Route::AdminConsent
            | Route::AdminRequests => Method::Get,
        }
    }

    /// Whether shop pages on other origins call this route (and so may preflight).
    pub fn is_cross_origin(&self) -> bool {
        !matches!(self, Route::AdminConsent | Route::AdminRequests)
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

    proptest::proptest! {
        #[test]
        fn parse_never_panics(path in "\\PC{0,80}") {
            let _ = Route::parse(&path);
            let _ = Route::parse(&format!("/api/{path}"));
        }
    }
}
