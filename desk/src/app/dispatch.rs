//! Which handler answers a request: the rate limit first (every POST and every
//! look-up), then the owner's and requester's paths, then the API with its
//! `email_in_url`, preflight and method rules. The rate limiters themselves
//! (count, 429) are here too; failed owner authentication uses them from
//! `owner::auth`.

use protocol::ErrorCode;

use super::{App, Ctx, Failure, Outcome, Request, Surface};
use crate::http::cors::{self, Cors};
use crate::http::owner_route::OwnerRoute;
use crate::http::reply::Reply;
use crate::http::route::{Method, Route};
use crate::intake::abuse;
use crate::owner::pages::Page;
use crate::platform::{Guard, Mailer, Store};

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    pub(super) async fn route(&self, request: &Request, ctx: &mut Ctx) -> Outcome {
        let method = Method::parse(&request.method);
        let owner_route = OwnerRoute::parse(&request.path);
        if let Some(route) = owner_route.as_ref().filter(|route| !route.is_api()) {
            // From here on, refusals and failures of a page answer as a page.
            ctx.surface = Surface::Page(Page::new(request, route).lang);
        }
        // Every POST and every look-up counts, the owner's and the requester's
        // included, before any work.
        if let Some(binding) = abuse::limiter_for(method, &request.path) {
            if !self.within_limit(binding, request).await? {
                return Err(self.over_limit(request, ctx)?);
            }
        }
        if let Some(route) = owner_route {
            return self.owner_route(request, ctx, route).await;
        }
        let Some(route) = Route::parse(&request.path) else {
            return Err(ctx.api(ErrorCode::NotFound));
        };
        // An e-mail address in a URL ends up in logs and browser history: refused on
        // every API route, before anything is looked up.
        if request.query().get("email").is_some() {
            return Err(ctx.api(ErrorCode::EmailInUrl));
        }
        if method == Method::Options && route.is_cross_origin() {
            return self.preflight(request, ctx);
        }
        let method_ok =
            method == route.method() || (method == Method::Head && route.method() == Method::Get);
        if !method_ok {
            return Ok(Reply::method_not_allowed(route.allow(), ctx.lang));
        }
        match route {
            Route::ShopConfig(shop) => self.shop_config(request, ctx, &shop),
            Route::RequestForm(shop) => self.request_form(request, ctx, &shop),
            Route::Consent => self.post_consent(request, ctx).await,
            Route::Requests => self.post_request(request, ctx).await,
            Route::RequestStatus(reference) => self.request_status(request, ctx, &reference).await,
            Route::AdminConsent => self.admin_consent(request, ctx).await,
            Route::AdminRequests => self.admin_requests(request, ctx, false).await,
            Route::AdminRequestsByEmail => self.admin_requests(request, ctx, true).await,
        }
    }

    fn preflight(&self, request: &Request, ctx: &Ctx) -> Outcome {
        let shops = self.shops()?;
        match cors::for_any_shop(request.header("Origin"), &request.origin, &shops) {
            Cors::Allow(origin) => {
                Ok(Reply::empty(204).with_headers(cors::preflight_headers(&origin)))
            }
            Cors::NoOrigin => Ok(Reply::empty(204).with_header("Allow", "GET, POST, OPTIONS")),
            Cors::Deny => Err(ctx.api(ErrorCode::OriginNotAllowed)),
        }
    }

    /// The rate limiters' key for this request's client: a keyed hash of its
    /// address (an IPv6 client's /64), never the address.
    pub(crate) fn client_key(&self, request: &Request) -> Result<String, Failure> {
        let address = abuse::client_address(request.header("CF-Connecting-IP"));
        Ok(self.keyring()?.client_key(&address))
    }

    /// Counts one request of this client against the limiter bound as `binding`:
    /// `false` when over the limit. A missing or failing limiter lets the request
    /// through (a rights request must not be lost to an outage of the limiter) and
    /// says so in the log; `RATE_LIMIT=off` turns every limiter off.
    pub(crate) async fn within_limit(
        &self,
        binding: &'static str,
        request: &Request,
    ) -> Result<bool, Failure> {
        if !self.rate_limited() {
            return Ok(true);
        }
        let client = self.client_key(request)?;
        match self.guard.within_limit(binding, &client).await {
            Ok(within) => Ok(within),
            Err(error) => {
                self.warn(&format!(
                    "rate limiter {binding} unavailable; not limiting: {}",
                    crate::redact::addresses(&error.to_string())
                ));
                Ok(true)
            }
        }
    }

    /// Whether the rate limiters are on (`RATE_LIMIT` is not `off`).
    pub(crate) fn rate_limited(&self) -> bool {
        let switch = self.vars.var(crate::bindings::RATE_LIMIT);
        abuse::rate_limit_enabled(switch.as_deref())
    }

    /// 429 `rate_limited` (with `Retry-After`), with CORS headers so that a widget
    /// on a shop's own origin can read it.
    pub(crate) fn over_limit(&self, request: &Request, ctx: &mut Ctx) -> Result<Failure, Failure> {
        let shops = self.shops()?;
        if let Cors::Allow(origin) =
            cors::for_any_shop(request.header("Origin"), &request.origin, &shops)
        {
            ctx.cors = Cors::Allow(origin).headers();
        }
        Ok(ctx.api(ErrorCode::RateLimited))
    }
}
