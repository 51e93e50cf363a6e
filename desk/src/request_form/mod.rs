//! `GET /api/shops/<shop>/form?lang=en|nl`: the rights-request form's markup, in
//! the visitor's language, for the widget's form module to insert and enhance
//! (validation, sending, the answer). Rendering it here rather than in the module
//! takes the DOM-building code and the form's texts out of the WASM every privacy
//! page downloads (see ARCHITECTURE.md, "WASM size"). The loader starts this fetch
//! in parallel with the module, so the form appears no later.
//!
//! Public and the same for every visitor of a shop in one language, so it is
//! cached like the shop's configuration (`*`, ETag, revalidated).

mod html;
mod texts;

use protocol::{ErrorCode, Lang};

use crate::app::{App, Ctx, Outcome, Request};
use crate::http::etag;
use crate::http::reply::Reply;
use crate::intake::api::CONFIG_CACHE;
use crate::platform::{Guard, Mailer, Store};

pub use html::{form, ID_PREFIX};

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// The form of a configured shop (`unknown_shop` otherwise, so a page with a
    /// wrong `data-shop` keeps its own fallback content), in `lang` (a BCP 47 tag;
    /// English unless Dutch, the widget's rule).
    pub(crate) fn request_form(&self, request: &Request, ctx: &Ctx, shop_id: &str) -> Outcome {
        let shops = self.shops()?;
        shops
            .get(shop_id)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        let lang = Lang::from_tag(request.query().get("lang").unwrap_or_default());
        let body = form(lang).into_string();
        let tag = etag::of(&body);
        let reply = if etag::none_match_fails(request.header("If-None-Match"), &tag) {
            Reply::empty(304)
        } else {
            Reply::empty(200).html(body)
        };
        Ok(reply
            .with_header("ETag", tag)
            .with_header("Cache-Control", CONFIG_CACHE)
            .with_header("Access-Control-Allow-Origin", "*"))
    }
}
