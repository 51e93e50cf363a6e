//! The owner's side of an answer, on a request's page: prepare it (a Shopify
//! look-up, or an uploaded order export; Privacy Desk's own records are added),
//! review the draft, send it. A failed look-up, a bad upload or a mail that cannot
//! go shows its message and changes nothing: the request is never lost.

use answer::orders_csv::CsvError;
use answer::own::{self, OwnConsent, OwnRequest};
use answer::Found;
use maud::Markup;
use protocol::Lang;

use super::platform::Looked;
use super::texts::Problem;
use super::{
    gets_package, html, multipart, token_hash, Delivery, Draft, DraftSource,
    DELIVERY_PERSONAL_FIELDS, DRAFT_PERSONAL_FIELDS, DRAFT_TTL_SECONDS, UPLOAD_BODY_BYTES,
};
use crate::app::{App, Failure, Fault, Outcome, Request};
use crate::config::Shop;
use crate::http::form::{encode_component, Form};
use crate::mail::requester::{self as notice, Links};
use crate::owner::case::{self, Action, CaseEvent, EventKind, Notice};
use crate::owner::pages::Page;
use crate::platform::{Guard, Mailer, Put, Store};
use crate::requester::status;
use crate::store::crypto::Keyring;
use crate::store::{digest, keys, StoredRequest};
use crate::time::Timestamp;

/// The answer actions of the request page's form (`action=`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AnswerAction {
    /// Look the requester up in Shopify.
    PrepareShopify,
    /// Store the package and mail its link.
    Send,
}

impl AnswerAction {
    pub fn parse(action: Option<&str>) -> Option<AnswerAction> {
        match action? {
            "prepare_answer" => Some(AnswerAction::PrepareShopify),
            "send_answer" => Some(AnswerAction::Send),
            _ => None,
        }
    }
}

/// At most this many consent records are read to find one by its consent id
/// (Workers allow about 1,000 KV operations per request).
const CONSENT_SCAN: usize = 300;

/// Whether an answer may be prepared or sent: open, and the address confirmed (by
/// the requester) or the identity verified (by the owner).
fn answerable(record: &StoredRequest) -> bool {
    record.status == crate::store::Status::Received && !record.case.awaiting_requester()
}

fn consent_id(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|id| {
            use protocol::validate::{limits, token};
            token(id, limits::CONSENT_ID_MIN, limits::CONSENT_ID_MAX).is_ok()
        })
        .map(str::to_owned)
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// The request page's "Answer" section: the prepare form, or the draft.
    pub(crate) async fn answer_section(
        &self,
        shop: &Shop,
        record: &StoredRequest,
        lang: Lang,
        now: Timestamp,
    ) -> Result<Markup, Failure> {
        if record.status != crate::store::Status::Received {
            return Ok(maud::html! {});
        }
        if !answerable(record) {
            return Ok(html::not_yet(lang));
        }
        let keyring = self.keyring()?;
        let draft: Option<Draft> = self
            .get_sealed(
                &keyring,
                &keys::answer_draft(&record.shop, &record.reference),
            )
            .await?;
        let Some(draft) = draft else {
            return Ok(html::prepare(lang, shop, record));
        };
        let mut found = draft.found.clone();
        found.extend(
            self.own_records(&keyring, record, draft.consent_id.as_deref(), record.lang)
                .await?,
        );
        let package = shop.processing.as_ref().map(|processing| {
            answer::Package::build(&answer::PackageInput {
                shop_name: &shop.name,
                privacy_contact: &shop.privacy_contact,
                reference: &record.reference,
                lang: record.lang,
                prepared_on: (now.0 / 86_400_000) as i64,
                processing,
                found: &found,
            })
        });
        let reply = (!gets_package(record.right))
            .then(|| answer::draft_reply(record.right, &found, record.lang));
        Ok(html::draft(
            lang,
            shop,
            record,
            &draft,
            package.as_ref(),
            reply,
        ))
    }

    /// `action=prepare_answer` / `send_answer` on a request's page.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn answer_action(
        &self,
        page: &Page,
        shop_id: &str,
        reference: &str,
        form: &Form,
        action: AnswerAction,
        actor: &str,
        now: Timestamp,
    ) -> Outcome {
        let shops = self.shops()?;
        let Some((shop, record)) = self.answer_target(&shops, shop_id, reference).await? else {
            return self.detail_missing(page);
        };
        let outcome = match action {
            AnswerAction::PrepareShopify => {
                let consent = consent_id(form.get("consent_id"));
                self.prepare_shopify(&shop, &record, consent, actor, now)
                    .await?
            }
            AnswerAction::Send => self.send_package(&shop, record.clone(), actor, now).await?,
        };
        self.after_answer(page, &record, outcome, now).await
    }

    /// `POST /admin/requests/<shop>/<ref>/upload`: the order export, as a form with
    /// a file (`orders`) and an optional `consent_id`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn answer_upload(
        &self,
        request: &Request,
        page: &Page,
        shop_id: &str,
        reference: &str,
        actor: &str,
        now: Timestamp,
    ) -> Outcome {
        let shops = self.shops()?;
        let Some((_, record)) = self.answer_target(&shops, shop_id, reference).await? else {
            return self.detail_missing(page);
        };
        let Some(body) = self.upload_body(request)? else {
            let declared = request
                .header("Content-Length")
                .and_then(|v| v.trim().parse().ok());
            let too_large = CsvError::TooLarge {
                bytes: declared.unwrap_or(UPLOAD_BODY_BYTES + 1),
                limit: answer::orders_csv::MAX_UPLOAD_BYTES,
            };
            return self
                .after_answer(page, &record, Err(Problem::Csv(too_large)), now)
                .await;
        };
        let content_type = request.header("Content-Type").unwrap_or("");
        let parts = multipart::parse(content_type, body).unwrap_or_default();
        let consent = parts
            .iter()
            .find(|part| part.name == "consent_id" && part.filename.is_none())
            .and_then(|part| std::str::from_utf8(part.data).ok())
            .and_then(|id| consent_id(Some(id)));
        let outcome = match multipart::file_field(&parts, "orders").filter(|f| !f.is_empty()) {
            None => Err(Problem::NoFile),
            Some(_) if !answerable(&record) => Err(Problem::NotAnswerable),
            Some(file) => match answer::orders_csv::rows_for(file, &record.email) {
                Err(error) => Err(Problem::Csv(error)),
                Ok(export) => {
                    let draft = Draft {
                        prepared_at: now.rfc3339(),
                        source: DraftSource::OrderExport,
                        known_customer: !export.found.records.is_empty(),
                        orders_limited: false,
                        rows_read: export.rows_read,
                        consent_id: consent,
                        found: export.found,
                    };
                    self.store_draft(&record, &draft, actor, now).await?;
                    Ok(())
                }
            },
        };
        self.after_answer(page, &record, outcome, now).await
    }

    async fn answer_target(
        &self,
        shops: &crate::config::Shops,
        shop_id: &str,
        reference: &str,
    ) -> Result<Option<(Shop, StoredRequest)>, Failure> {
        let Some(record) = self.find_request(shops, shop_id, reference).await? else {
            return Ok(None);
        };
        let shop = shops
            .get(&record.shop)
            .cloned()
            .ok_or_else(|| Fault::Config("shop gone".into()))?;
        Ok(Some((shop, record)))
    }

    /// Post/redirect/get on success; the page with the problem otherwise.
    async fn after_answer(
        &self,
        page: &Page,
        record: &StoredRequest,
        outcome: Result<(), Problem>,
        now: Timestamp,
    ) -> Outcome {
        match outcome {
            Ok(()) => {
                let location = format!(
                    "/admin/requests/{}/{}?done=1#answer-title",
                    encode_component(&record.shop),
                    encode_component(&record.reference)
                );
                Ok(crate::owner::pages::redirect(&location))
            }
            Err(problem) => {
                self.warn(&format!(
                    "answer to {} not done: {}",
                    record.reference,
                    problem.code()
                ));
                let flash = Some(crate::owner::detail::Flash::Problem(
                    problem.message(page.lang),
                ));
                self.detail_page(
                    page,
                    &record.shop,
                    &record.reference,
                    flash,
                    now,
                    problem.status(),
                )
                .await
            }
        }
    }

    async fn prepare_shopify(
        &self,
        shop: &Shop,
        record: &StoredRequest,
        consent: Option<String>,
        actor: &str,
        now: Timestamp,
    ) -> Result<Result<(), Problem>, Failure> {
        if !answerable(record) {
            return Ok(Err(Problem::NotAnswerable));
        }
        let looked = match self.look_up_shopify(shop, &record.email, now).await? {
            Ok(looked) => looked,
            Err(problem) => return Ok(Err(problem)),
        };
        let Looked {
            found,
            known_customer,
            orders_limited,
        } = looked;
        let draft = Draft {
            prepared_at: now.rfc3339(),
            source: DraftSource::Shopify,
            known_customer,
            orders_limited,
            rows_read: 0,
            consent_id: consent,
            found,
        };
        self.store_draft(record, &draft, actor, now).await?;
        Ok(Ok(()))
    }

    async fn store_draft(
        &self,
        record: &StoredRequest,
        draft: &Draft,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let keyring = self.keyring()?;
        let key = keys::answer_draft(&record.shop, &record.reference);
        let put = Put {
            ttl_seconds: Some(DRAFT_TTL_SECONDS),
            ..Put::default()
        };
        self.put_sealed(&keyring, &key, draft, DRAFT_PERSONAL_FIELDS, put)
            .await?;
        let event = CaseEvent::new(now, actor, EventKind::AnswerPrepared);
        self.append_event(&keyring, &record.shop, &record.reference, &event)
            .await?;
        Ok(())
    }

    /// Stores the package behind a fresh link, mails the link to the verified
    /// address, then completes the request. A mail that cannot go deletes the
    /// package again and changes nothing else (the owner tries again).
    async fn send_package(
        &self,
        shop: &Shop,
        mut record: StoredRequest,
        actor: &str,
        now: Timestamp,
    ) -> Result<Result<(), Problem>, Failure> {
        if !answerable(&record) {
            return Ok(Err(Problem::NotAnswerable));
        }
        if !gets_package(record.right) {
            return Ok(Err(Problem::NoDraft));
        }
        let Some(processing) = shop.processing.clone() else {
            return Ok(Err(Problem::NoProcessing));
        };
        let keyring = self.keyring()?;
        let draft_key = keys::answer_draft(&record.shop, &record.reference);
        let Some(draft) = self.get_sealed::<Draft>(&keyring, &draft_key).await? else {
            return Ok(Err(Problem::NoDraft));
        };
        let mut found = draft.found;
        found.extend(
            self.own_records(&keyring, &record, draft.consent_id.as_deref(), record.lang)
                .await?,
        );
        let token = self.random_hex::<{ super::TOKEN_BYTES }>()?;
        let days = u64::from(shop.package_link_days);
        let expires = Timestamp(now.0 + days * 86_400_000);
        let delivery = Delivery {
            shop: record.shop.clone(),
            reference: record.reference.clone(),
            lang: record.lang,
            right: record.right,
            expires_at: expires.rfc3339(),
            email_proof: digest::email_proof(&record.reference, &record.email),
            prepared_on: (now.0 / 86_400_000) as i64,
            processing,
            found,
        };
        let package_key = keys::package(&token_hash(&token));
        let put = Put {
            ttl_seconds: Some(days * 86_400),
            metadata: Some(serde_json::json!({ "expires": expires.0 })),
        };
        self.put_sealed(
            &keyring,
            &package_key,
            &delivery,
            DELIVERY_PERSONAL_FIELDS,
            put,
        )
        .await?;
        // Completion first as a value: its event carries no text; the mail carries the link.
        let applied = case::apply(&mut record, Action::Complete { message: None }, actor, now)
            .map_err(|_| Fault::Config("the request cannot be completed".into()))?;
        let origin = self.public_origin()?;
        let download_url = format!("{origin}/access?t={token}&lang={}", record.lang.code());
        let status_url = status::status_url(&origin, &record.reference, record.lang);
        let expires_at = expires.rfc3339();
        let links = Links {
            status_url: Some(&status_url),
            download_url: Some(&download_url),
            download_expires: Some(&expires_at),
            ..Links::default()
        };
        let mail = notice::requester_mail(
            Notice::Completed,
            &record,
            shop,
            &self.mail_from()?,
            Some(&applied.event),
            links,
        )
        .ok_or_else(|| Fault::Config("the requester's address cannot be used".into()))?;
        if let Err(failure) = self
            .send_to_requester(&mail, &record, Notice::Completed, now)
            .await
        {
            self.warn(&format!(
                "answer mail for {} not sent: {}",
                record.reference,
                failure.describe()
            ));
            self.store.delete(&package_key).await?;
            return Ok(Err(Problem::MailFailed));
        }
        self.append_event(&keyring, &record.shop, &record.reference, &applied.event)
            .await?;
        let mut sent = CaseEvent::new(now, actor, EventKind::AnswerSent);
        sent.due_date = Some(expires_at.get(..10).unwrap_or_default().to_owned());
        self.append_event(&keyring, &record.shop, &record.reference, &sent)
            .await?;
        self.put_request(&keyring, &record).await?;
        self.store.delete(&draft_key).await?;
        Ok(Ok(()))
    }

    /// Privacy Desk's own records of the person: every request of theirs at this
    /// shop (with its history), and the consent records with the consent id given.
    pub(crate) async fn own_records(
        &self,
        keyring: &Keyring,
        record: &StoredRequest,
        consent_id: Option<&str>,
        lang: Lang,
    ) -> Result<Found, Failure> {
        let mut found = Found::default();
        let mut references = self
            .references_by_email(keyring, &record.shop, &record.email)
            .await?;
        if !references.contains(&record.reference) {
            references.push(record.reference.clone());
        }
        for reference in references {
            let Some(other) = self.get_request(keyring, &record.shop, &reference).await? else {
                continue;
            };
            let events = self.read_events(keyring, &record.shop, &reference).await?;
            let history = html::history(lang, &other, &events);
            let pairs: Vec<(&str, &str)> = history
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let status = crate::owner::texts::status_label(lang, other.status);
            found.records.push(own::request_record(
                &OwnRequest {
                    reference: &other.reference,
                    right: other.right,
                    received: other.received_at.get(..10).unwrap_or_default(),
                    status,
                    details: other.details.as_deref(),
                    history: &pairs,
                },
                lang,
            ));
        }
        if let Some(id) = consent_id {
            found.extend(self.consent_records(&record.shop, id, lang).await?);
        }
        Ok(found)
    }

    /// Consent records with this consent id (read as JSON, so that a newer record
    /// shape still counts), at most [`CONSENT_SCAN`] of them read.
    async fn consent_records(&self, shop: &str, id: &str, lang: Lang) -> Result<Found, Failure> {
        let mut found = Found::default();
        let names = self.key_names(&keys::consent_prefix(shop)).await?;
        found.truncated = names.len() > CONSENT_SCAN;
        for name in names.iter().rev().take(CONSENT_SCAN) {
            let Some(value) = self.get_json::<serde_json::Value>(name).await? else {
                continue;
            };
            if value["consent_id"].as_str() != Some(id) {
                continue;
            }
            let text = |field: &str| value[field].as_str().unwrap_or_default().to_owned();
            let recorded = text("recorded_at");
            found.records.push(own::consent_record(
                &OwnConsent {
                    consent_id: id,
                    recorded: recorded.get(..10).unwrap_or_default(),
                    analytics: value["choices"]["analytics"].as_bool().unwrap_or(false),
                    marketing: value["choices"]["marketing"].as_bool().unwrap_or(false),
                    policy_version: &text("policy_version"),
                },
                lang,
            ));
        }
        Ok(found)
    }
}
