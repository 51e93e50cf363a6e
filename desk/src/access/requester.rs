//! The requester's side: `GET /access?t=&lang=` asks for the e-mail address (and
//! looks nothing up); `POST /access` (token, address, format in the body, never in
//! a URL) opens the package when the token's hash is stored, the link has not
//! expired and the address matches in constant time. Every failure is the same
//! page. Each opening or download is an event in the request's audit trail.

use answer::package::{DownloadForm, PageLinks};
use answer::{Package, PackageInput};

use super::{html, token_hash, token_well_formed, Delivery};
use crate::app::{App, Ctx, Failure, Outcome, Request};
use crate::http::reply::Reply;
use crate::owner::case::{self, CaseEvent, EventKind};
use crate::owner::pages::Page;
use crate::platform::{Guard, Mailer, Store};
use crate::store::{digest, keys};
use crate::time::Timestamp;

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// `GET|POST /access`.
    pub(crate) async fn access_page(
        &self,
        request: &Request,
        ctx: &Ctx,
        page: &Page,
        post: bool,
    ) -> Outcome {
        let chrome = page.chrome(false);
        if !post {
            let query = request.query();
            let token = query.get("t").unwrap_or_default();
            return Ok(Reply::empty(200).html(html::access_form(&chrome, token, false)));
        }
        let form = self.form_body(request, ctx)?;
        let token = form.get("t").unwrap_or("");
        let email = form.get("email").unwrap_or("");
        let Some(delivery) = self.open_delivery(token, email, ctx.now).await? else {
            return Ok(Reply::empty(404).html(html::access_form(&chrome, token, true)));
        };
        let shops = self.shops()?;
        let shop = shops.get(&delivery.shop);
        let package = Package::build(&PackageInput {
            shop_name: shop.map_or(delivery.shop.as_str(), |shop| shop.name.as_str()),
            privacy_contact: shop.map_or("", |shop| shop.privacy_contact.as_str()),
            reference: &delivery.reference,
            lang: delivery.lang,
            prepared_on: delivery.prepared_on,
            processing: &delivery.processing,
            found: &delivery.found,
        });
        let format = match form.get("format") {
            Some("json") => "json",
            Some("csv") => "csv",
            _ => "page",
        };
        let mut event = CaseEvent::new(ctx.now, case::REQUESTER, EventKind::PackageDownloaded);
        event.text = Some(format.to_owned());
        self.append_event(
            &self.keyring()?,
            &delivery.shop,
            &delivery.reference,
            &event,
        )
        .await?;
        let file = |extension: &str| {
            format!(
                "attachment; filename=\"{}-{}.{extension}\"",
                delivery.shop, delivery.reference
            )
        };
        Ok(match format {
            "json" => Reply::empty(200)
                .html(package.to_json())
                .with_header("Content-Type", "application/json; charset=utf-8")
                .with_header("Content-Disposition", file("json")),
            "csv" => Reply::empty(200)
                .html(package.to_csv())
                .with_header("Content-Type", "text/csv; charset=utf-8")
                .with_header("Content-Disposition", file("csv")),
            _ => {
                let links = PageLinks {
                    stylesheet: Some("/admin/admin.css".into()),
                    download_form: Some(DownloadForm {
                        action: format!("/access?lang={}", delivery.lang.code()),
                        fields: vec![("t".into(), token.into()), ("email".into(), email.into())],
                    }),
                    ..PageLinks::default()
                };
                Reply::empty(200).html(package.to_html(&links))
            }
        })
    }

    /// The delivery behind `token`, if it is there, has not expired and `email` is
    /// the verified address. An expired one is deleted on the way.
    async fn open_delivery(
        &self,
        token: &str,
        email: &str,
        now: Timestamp,
    ) -> Result<Option<Delivery>, Failure> {
        if !token_well_formed(token) {
            return Ok(None);
        }
        let key = keys::package(&token_hash(token));
        let Some(delivery) = self.get_sealed::<Delivery>(&self.keyring()?, &key).await? else {
            return Ok(None);
        };
        let expired = Timestamp::parse_rfc3339(&delivery.expires_at).is_none_or(|end| now >= end);
        if expired {
            self.store.delete(&key).await?;
            return Ok(None);
        }
        let matches =
            digest::email_proof_matches(&delivery.reference, email, &delivery.email_proof);
        Ok(matches.then_some(delivery))
    }
}
