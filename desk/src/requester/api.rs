//! The requester's routes: the JSON status look-up and e-mail verification, and
//! the pages `/verify` and `/request-status`. Whoever asks must know the address
//! (or hold the link's token); every miss looks the same.

use protocol::{ErrorCode, Lang};
use serde::{Deserialize, Serialize};

use super::status;
use crate::app::{App, Ctx, Failure, Outcome, Request};
use crate::config::Shops;
use crate::http::cors::{self, Cors};
use crate::http::reply::{self, Reply};
use crate::intake::reference;
use crate::owner::case::{self, CaseEvent, EventKind, VerifyOutcome};
use crate::owner::html::{self, Chrome};
use crate::owner::pages::Page;
use crate::platform::{Guard, Mailer, Store};
use crate::store::digest;
use crate::store::StoredRequest;
use crate::time::Timestamp;

/// The body of `POST /api/requests/<ref>/status`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusLookup {
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyBody {
    token: String,
}

#[derive(Serialize)]
struct Verified {
    reference: String,
    email_verified: bool,
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// `POST /api/requests/<ref>/status` with `{"email"}`: the status only for
    /// whoever knows the requester's address; every failure is the same 404, and
    /// the work done is the same whether or not the reference exists (every shop is
    /// looked in, the proof is always computed and compared in constant time).
    pub(crate) async fn request_status(
        &self,
        request: &Request,
        ctx: &mut Ctx,
        reference: &str,
    ) -> Outcome {
        let shops = self.shops()?;
        if let Cors::Allow(origin) =
            cors::for_any_shop(request.header("Origin"), &request.origin, &shops)
        {
            ctx.cors = Cors::Allow(origin).headers();
        }
        let body = self.json_body(request, ctx)?;
        let lookup: StatusLookup =
            serde_json::from_slice(body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
        let parsed = reference::parse(reference);
        let keyring = self.keyring()?;
        let mut found = None;
        for shop in shops.iter() {
            let stored = match &parsed {
                Some(reference) => self.get_request(&keyring, &shop.id, reference).await?,
                None => None,
            };
            if found.is_none() {
                found = stored;
            }
        }
        let proof = found
            .as_ref()
            .map_or("", |stored| stored.email_proof.as_str());
        let matches = digest::email_proof_matches(
            parsed.as_deref().unwrap_or(reference),
            &lookup.email,
            proof,
        );
        match found {
            Some(stored) if matches && !lookup.email.trim().is_empty() => {
                Ok(Reply::json(200, &stored.accepted()))
            }
            _ => Err(ctx.api(ErrorCode::NotFound)),
        }
    }

    /// `POST /api/requests/<ref>/verify` with `{"token"}`.
    pub(crate) async fn verify_api(
        &self,
        request: &Request,
        ctx: &Ctx,
        reference: &str,
    ) -> Outcome {
        let body = self.json_body(request, ctx)?;
        let body: VerifyBody =
            serde_json::from_slice(body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
        let shops = self.shops()?;
        let mut record = self
            .find_any(&shops, reference)
            .await?
            .ok_or_else(|| ctx.api(ErrorCode::NotFound))?;
        match self.use_token(&mut record, &body.token, ctx.now).await? {
            VerifyOutcome::Verified | VerifyOutcome::AlreadyVerified => Ok(Reply::json(
                200,
                &Verified {
                    reference: record.reference.clone(),
                    email_verified: true,
                },
            )),
            VerifyOutcome::Expired | VerifyOutcome::Invalid => Err(ctx.api(ErrorCode::NotFound)),
        }
    }

    /// Finds a request by reference in any shop (references are unique).
    pub(crate) async fn find_any(
        &self,
        shops: &Shops,
        reference: &str,
    ) -> Result<Option<StoredRequest>, Failure> {
        let Some(reference) = reference::parse(reference) else {
            return Ok(None);
        };
        let keyring = self.keyring()?;
        for shop in shops.iter() {
            if let Some(record) = self.get_request(&keyring, &shop.id, &reference).await? {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    /// Uses a verification token; stores the record and the event when it verified.
    async fn use_token(
        &self,
        record: &mut StoredRequest,
        token: &str,
        now: Timestamp,
    ) -> Result<VerifyOutcome, Failure> {
        let outcome = case::verify_email(record, token, now);
        if outcome == VerifyOutcome::Verified {
            let keyring = self.keyring()?;
            self.put_request(&keyring, record).await?;
            let event = CaseEvent::new(now, case::REQUESTER, EventKind::EmailVerified);
            self.append_event(&keyring, &record.shop, &record.reference, &event)
                .await?;
        }
        Ok(outcome)
    }

    /// `GET /verify` shows a button (mail scanners open links) and looks nothing
    /// up, so it answers the same for every reference; `POST` verifies, and every
    /// failure (unknown reference, wrong or expired token, closed request) gets
    /// the same page. The language is the link's `lang` (else `Accept-Language`),
    /// never the record's, which would tell a real reference from an unknown one.
    pub(crate) async fn verify_page(
        &self,
        page: &Page,
        reference: &str,
        token: &str,
        confirm: bool,
        now: Timestamp,
    ) -> Outcome {
        let chrome = page.chrome(false);
        if !confirm {
            let body = html::verify_page(&chrome, reference, token, None);
            return Ok(Reply::empty(200).html(body));
        }
        let shops = self.shops()?;
        let outcome = match self.find_any(&shops, reference).await? {
            Some(mut record) => self.use_token(&mut record, token, now).await?,
            None => VerifyOutcome::Invalid,
        };
        let status = html::verify_page_status(outcome);
        let body = html::verify_page(&chrome, reference, token, Some(outcome));
        Ok(Reply::empty(status).html(body))
    }

    /// `GET /request-status?ref=&lang=`: the form. `POST /request-status` (`ref`,
    /// `email`, `lang` in the body, never in a URL): where the request stands, only
    /// for whoever knows the requester's address (checked in constant time against
    /// the stored proof, as the JSON status route does). An unknown reference and a
    /// wrong address get the same answer: the form again, 200. Language: `lang` (the
    /// query, or the form's hidden field), else `Accept-Language`.
    pub(crate) async fn status_page(
        &self,
        request: &Request,
        ctx: &mut Ctx,
        post: bool,
    ) -> Outcome {
        let query = request.query();
        let form = if post {
            self.form_body(request, ctx)?
        } else {
            crate::http::form::Form::default()
        };
        let source = if post { &form } else { &query };
        let lang = source
            .get("lang")
            .or_else(|| query.get("lang"))
            .map(Lang::from_tag)
            .unwrap_or_else(|| reply::request_lang(request.header("Accept-Language")));
        ctx.surface = crate::app::Surface::Page(lang);
        let typed_ref: String = source
            .get("ref")
            .unwrap_or("")
            .trim()
            .chars()
            .take(40)
            .collect();
        let email = form.get("email").unwrap_or("").trim();
        let render = |reference: &str, body: &dyn Fn(&Chrome) -> String| {
            let (self_en, self_nl) = (
                status::status_path(reference, Lang::En),
                status::status_path(reference, Lang::Nl),
            );
            let chrome = Chrome {
                lang,
                self_en: &self_en,
                self_nl: &self_nl,
                signed_in: false,
            };
            Reply::empty(200).html(body(&chrome))
        };
        if !post {
            return Ok(render(&typed_ref, &|chrome| {
                status::form_page(chrome, &typed_ref, "", false)
            }));
        }
        let shops = self.shops()?;
        let found = self.find_any(&shops, &typed_ref).await?;
        let matched = match found {
            Some(record)
                if !email.is_empty()
                    && digest::email_proof_matches(
                        &record.reference,
                        email,
                        &record.email_proof,
                    ) =>
            {
                Some(record)
            }
            Some(_) => None,
            None => {
                // The same work as a wrong address, so the answer's timing tells less.
                let _ = digest::email_proof_matches(&typed_ref, email, "");
                None
            }
        };
        let Some(record) = matched else {
            return Ok(render(&typed_ref, &|chrome| {
                status::form_page(chrome, &typed_ref, email, true)
            }));
        };
        let shop_name = shops
            .get(&record.shop)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let view = status::StatusView::of(&record, &shop_name);
        Ok(render(&record.reference, &|chrome| {
            status::result_page(chrome, &view, ctx.now.date())
        }))
    }
}
