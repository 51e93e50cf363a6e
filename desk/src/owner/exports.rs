//! What the owner takes away: the JSON lists of the owner API (bearer token) and
//! the exports (JSON with each request's history, CSV). `mail_pending` comes from
//! the outbox in all of them; an unreadable record is named, never a failed export.

use protocol::{ApiError, ErrorCode, Lang};
use serde::Deserialize;

use super::case::AnonymisedRequest;
use super::csv;
use crate::app::{App, Ctx, Failure, Outcome, Request};
use std::rc::Rc;

use crate::config::{Shop, Shops};
use crate::http::reply::Reply;
use crate::platform::{Guard, Mailer, Store};
use crate::redact;
use crate::store::{keys, StoredConsent, StoredRequest};
use crate::time::Timestamp;

/// Owner listings read every value; beyond this, pagination is needed.
const ADMIN_LIST_LIMIT: usize = 1000;

/// The body of `POST /api/admin/requests/by-email`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailLookup {
    shop: String,
    email: String,
}

fn download(body: String, content_type: &str, name: &str, now: Timestamp) -> Reply {
    Reply {
        status: 200,
        body: Some(body),
        headers: Vec::new(),
    }
    .with_header("Content-Type", content_type.to_owned())
    .with_header(
        "Content-Disposition",
        format!("attachment; filename=\"{name}-{}\"", now.date().iso()),
    )
    .with_header("Cache-Control", "no-store")
}

/// `?shop=` narrows an export to one shop; without it, every shop.
fn chosen_shops<'a>(shops: &'a Shops, request: &Request) -> Result<Vec<&'a Shop>, Failure> {
    match request.query().get("shop").filter(|s| !s.is_empty()) {
        Some(id) => Ok(vec![shops
            .get(id)
            .ok_or_else(|| ApiError::new(ErrorCode::UnknownShop, Lang::En))?]),
        None => Ok(shops.iter().collect()),
    }
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// The owner API takes the bearer token only (a failure counts, see `auth`).
    async fn authorize(&self, request: &Request, ctx: &mut Ctx) -> Result<Rc<Shops>, Failure> {
        self.require_bearer(request, ctx).await?;
        Ok(self.shops()?)
    }

    /// `GET /api/admin/consent?shop=`: every consent record of one shop.
    pub(crate) async fn admin_consent(&self, request: &Request, ctx: &mut Ctx) -> Outcome {
        let shops = self.authorize(request, ctx).await?;
        let shop_id = request.query().get("shop").unwrap_or_default().to_owned();
        let shop = shops
            .get(&shop_id)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        let mut records: Vec<StoredConsent> = Vec::new();
        let listed = self.key_names(&keys::consent_prefix(&shop.id)).await?;
        for key in listed.into_iter().take(ADMIN_LIST_LIMIT) {
            // A key listed but expired or not yet visible is skipped.
            if let Some(record) = self.get_json(&key).await? {
                records.push(record);
            }
        }
        Ok(Reply::json(200, &records))
    }

    /// `GET /api/admin/requests?shop=`, or one person's requests through the blind
    /// index (`POST /api/admin/requests/by-email`, the address in the body).
    pub(crate) async fn admin_requests(
        &self,
        request: &Request,
        ctx: &mut Ctx,
        by_email: bool,
    ) -> Outcome {
        let shops = self.authorize(request, ctx).await?;
        let (shop_id, email) = if by_email {
            let body = self.json_body(request, ctx)?;
            let lookup: EmailLookup =
                serde_json::from_slice(body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
            (lookup.shop, Some(lookup.email))
        } else {
            let shop = request.query().get("shop").unwrap_or_default().to_owned();
            (shop, None)
        };
        let shop = shops
            .get(&shop_id)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        let keyring = self.keyring()?;
        let listed: Vec<String> = match email {
            Some(email) => self
                .references_by_email(&keyring, &shop.id, &email)
                .await?
                .iter()
                .map(|reference| keys::request(&shop.id, reference))
                .collect(),
            None => self.key_names(&keys::request_prefix(&shop.id)).await?,
        };
        let mut requests: Vec<StoredRequest> = Vec::new();
        for key in listed.into_iter().take(ADMIN_LIST_LIMIT) {
            match self.get_request_at(&keyring, &key).await {
                Ok(Some(request)) => requests.push(request),
                Ok(None) => {}
                // One unreadable record (e.g. sealed with a key no longer configured)
                // must not hide all the others; the export lists it by reference.
                Err(failure) => self.warn(&format!(
                    "{key} not readable, left out of the list: {}",
                    failure.describe()
                )),
            }
        }
        self.mark_mail_pending(&mut requests).await?;
        Ok(Reply::json(200, &requests))
    }

    async fn mark_mail_pending(&self, requests: &mut [StoredRequest]) -> Result<(), Failure> {
        let pending = self.key_names(keys::OUTBOX_PREFIX).await?;
        super::list::mark_mail_pending(requests, &pending);
        Ok(())
    }

    /// `GET /api/admin/export/requests.json|requests.csv[?shop=]`.
    pub(crate) async fn export_requests(
        &self,
        request: &Request,
        as_csv: bool,
        now: Timestamp,
    ) -> Outcome {
        let shops = self.shops()?;
        let keyring = self.keyring()?;
        let mut all = Vec::new();
        let mut anonymised: Vec<AnonymisedRequest> = Vec::new();
        // References of records that cannot be opened (e.g. sealed with a key that is
        // no longer configured): named, so the owner knows, and never a failed export.
        let mut unreadable = Vec::new();
        for shop in chosen_shops(&shops, request)? {
            let prefix = keys::request_prefix(&shop.id);
            for key in self.key_names(&prefix).await? {
                match self.get_request_at(&keyring, &key).await {
                    Ok(Some(record)) => all.push(record),
                    Ok(None) => {}
                    Err(failure) => {
                        self.warn(&format!(
                            "{key} not readable, listed as unreadable in the export: {}",
                            redact::addresses(&failure.describe())
                        ));
                        unreadable.push(key.strip_prefix(&prefix).unwrap_or(&key).to_owned());
                    }
                }
            }
            if !as_csv {
                for key in self.key_names(&keys::anonymised_prefix(&shop.id)).await? {
                    if let Some(record) = self.get_json(&key).await? {
                        anonymised.push(record);
                    }
                }
            }
        }
        self.mark_mail_pending(&mut all).await?;
        if as_csv {
            let body = csv::requests(&all);
            return Ok(download(
                body,
                "text/csv; charset=utf-8",
                "requests.csv",
                now,
            ));
        }
        let mut requests = Vec::new();
        for record in &all {
            let mut value = serde_json::to_value(record)?;
            let history = self
                .read_events(&keyring, &record.shop, &record.reference)
                .await?;
            if let Some(object) = value.as_object_mut() {
                object.insert("history".into(), serde_json::to_value(history)?);
            }
            requests.push(value);
        }
        let body = serde_json::json!({
            "exported_at": now.rfc3339(),
            "requests": requests,
            "anonymised": anonymised,
            "unreadable": unreadable,
        });
        let json = "application/json; charset=utf-8";
        Ok(download(body.to_string(), json, "requests.json", now))
    }

    /// `GET /api/admin/export/consent.csv[?shop=]`.
    pub(crate) async fn export_consent(&self, request: &Request, now: Timestamp) -> Outcome {
        let shops = self.shops()?;
        let mut all: Vec<StoredConsent> = Vec::new();
        for shop in chosen_shops(&shops, request)? {
            for key in self.key_names(&keys::consent_prefix(&shop.id)).await? {
                if let Some(record) = self.get_json(&key).await? {
                    all.push(record);
                }
            }
        }
        let body = csv::consent(&all);
        Ok(download(
            body,
            "text/csv; charset=utf-8",
            "consent.csv",
            now,
        ))
    }
}
