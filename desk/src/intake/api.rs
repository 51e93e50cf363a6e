//! The public intake routes: a shop's widget configuration, consent records and
//! rights requests. A request is acknowledged only after it is stored (outbox
//! entry, record, blind index, idempotency key and verification queue entry, at
//! once: `super::accept`), then 201, then the mail.

use futures_util::future;
use protocol::{ApiError, ConsentAccepted, ErrorCode, Field, FieldError, Problem};

use super::abuse::{self, TurnstileVerdict};
use super::{address, reference};
use crate::app::{App, Ctx, Failure, Fault, Followup, Outcome, Request};
use crate::config::{Shop, Shops};
use crate::http::cors::{self, Cors};
use crate::http::etag;
use crate::http::reply::Reply;
use crate::mail::contact;
use crate::platform::{Envelope, Guard, Mailer, Put, Store};
use crate::store::{self, digest, keys, IdempotencyEntry, StoredRequest};
use crate::time::Timestamp;
use crate::{bindings, redact};

/// How a shop's configuration may be cached (see [`App::shop_config`]).
pub(crate) const CONFIG_CACHE: &str = "public, max-age=0, stale-while-revalidate=300";

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// `GET /api/shops/<shop>/config`: public, the same for everyone, so `*` and a
    /// shared cache are right here. Stale at once but usable while it is
    /// revalidated (`stale-while-revalidate`): within five minutes of the last
    /// page view the browser uses its copy without waiting and asks in the
    /// background, later it asks first; either way an unchanged configuration
    /// costs a 304 without a body, and an edited policy version (which decides
    /// whether the visitor is asked again) is seen by the next page view but one.
    pub(crate) fn shop_config(&self, request: &Request, ctx: &Ctx, shop_id: &str) -> Outcome {
        let shops = self.shops()?;
        let shop = shops
            .get(shop_id)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        let reply = Reply::json(200, &shop.public_config());
        let tag = etag::of(reply.body.as_deref().unwrap_or_default());
        let reply = if etag::none_match_fails(request.header("If-None-Match"), &tag) {
            Reply::empty(304)
        } else {
            reply
        };
        Ok(reply
            .with_header("ETag", tag)
            .with_header("Cache-Control", CONFIG_CACHE)
            .with_header("Access-Control-Allow-Origin", "*"))
    }

    /// `POST /api/consent`: validate, store with server time, then answer 201.
    pub(crate) async fn post_consent(&self, request: &Request, ctx: &mut Ctx) -> Outcome {
        let shops = self.shops()?;
        let origin = request.header("Origin");
        allow_any_shop_origin(ctx, request, &shops)?;
        let body = self.json_body(request, ctx)?;
        let record = protocol::json::consent_record(body, ctx.lang)?;
        ctx.lang = record.lang;
        let shop = shops
            .get(&record.shop)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        allow_shop_origin(ctx, origin, &request.origin, shop)?;
        let stored = store::new_consent(
            record,
            ctx.now,
            &self.random_hex::<8>()?,
            request.header("User-Agent"),
        );
        let key = keys::consent(&stored.shop, &ctx.now.year_month(), &stored.record_id);
        let ttl = Put {
            ttl_seconds: Some(shop.consent_ttl_seconds()),
            ..Put::default()
        };
        self.put_json(&key, &stored, ttl).await?;
        let accepted = ConsentAccepted {
            record_id: stored.record_id,
            recorded_at: stored.recorded_at,
        };
        Ok(Reply::json(201, &accepted))
    }

    /// `POST /api/requests`: validate, answer a replay from its idempotency key, else
    /// store the request and its outbox entry, then mail the privacy contact.
    pub(crate) async fn post_request(&self, request: &Request, ctx: &mut Ctx) -> Outcome {
        let shops = self.shops()?;
        // A sender the mail could never leave with is refused before anything is stored.
        self.mail_from()?;
        let origin = request.header("Origin");
        allow_any_shop_origin(ctx, request, &shops)?;
        let body = self.json_body(request, ctx)?;
        let mut new = protocol::json::rights_request(body, ctx.lang)?;
        ctx.lang = new.lang;
        // Stored and mailed in the form every mail service accepts (IDNA domain); an
        // address that has none is refused now, not left unmailable until it expires.
        new.email = address::deliverable(&new.email).ok_or_else(|| {
            ApiError::from_field_error(
                FieldError {
                    field: Field::Email,
                    problem: Problem::InvalidFormat,
                },
                new.lang,
            )
        })?;
        let shop = shops
            .get(&new.shop)
            .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
        allow_shop_origin(ctx, origin, &request.origin, shop)?;
        if abuse::honeypot_tripped(new.honeypot.as_deref()) {
            return Err(ctx.api(ErrorCode::SpamSuspected));
        }
        let keyring = self.keyring()?;
        let idem_key = keys::idempotency(&shop.id, &new.idempotency_key);
        let fingerprint = digest::request_fingerprint(&new);
        if let Some(previous) = self.get_json::<IdempotencyEntry>(&idem_key).await? {
            // The same key for other content is a bug or an attack, never a retry.
            if !previous.same_request(&fingerprint) {
                return Err(ctx.api(ErrorCode::IdempotencyConflict));
            }
            // The key is written with its record, so it may outlive a batch that
            // failed (and was answered with an error): then this is the retry of a
            // request that was never accepted, and it is stored afresh below.
            if self.replay_is_stored(&shop.id, &previous).await? {
                let replay = protocol::RequestAccepted {
                    reference: previous.reference,
                    due_date: previous.due_date,
                    status: previous.status.code().to_owned(),
                };
                return Ok(Reply::json(200, &replay));
            }
        }
        // After the replay check: a retry reuses its (already spent) Turnstile token.
        let turnstile_token = new.turnstile_token.take();
        self.check_turnstile(request, ctx, shop, turnstile_token.as_deref())
            .await?;

        let reference = self.new_reference()?;
        let mut stored = store::new_request(new, shop, reference, ctx.now);
        // The requester confirms their address through a single-use link (owner::case).
        let verify_token = self.arm_verification(&mut stored, ctx.now)?;
        let idem = IdempotencyEntry {
            reference: stored.reference.clone(),
            due_date: stored.due_date.clone(),
            status: stored.status,
            fingerprint: Some(fingerprint),
        };
        // All stored before anything is acknowledged or sent, in one round trip
        // (`store_new_request`): nothing accepted is lost, nothing half-stored is
        // accepted.
        let verify_entry = self
            .store_new_request(&keyring, &stored, &idem_key, &idem, ctx.now)
            .await?;

        // Stored: answer now, mail after the answer (the shell's waitUntil). The
        // outbox and requester queue hold both mails already, so the cron sends
        // them if the Worker stops before it gets there.
        let accepted = stored.accepted();
        ctx.followups.push(Followup::NewRequest {
            stored: Box::new(stored),
            verify_token,
            verify_entry,
        });
        Ok(Reply::json(201, &accepted))
    }

    /// After the answer to a new rights request, at once (they touch different
    /// keys): the mail to the privacy contact (its outbox entry goes once it is
    /// sent; a failure marks the request `mail_pending` and leaves the entry for the
    /// cron), and the requester's verification mail (queued before it is sent).
    pub(crate) async fn mail_new_request(
        &self,
        stored: StoredRequest,
        verify_token: &str,
        verify_entry: &str,
        now: Timestamp,
    ) {
        future::join(
            self.mail_privacy_contact(&stored, now),
            self.send_verification(&stored, verify_token, verify_entry, now),
        )
        .await;
    }

    async fn mail_privacy_contact(&self, stored: &StoredRequest, now: Timestamp) {
        let outbox_key = keys::outbox(&stored.reference, 0);
        let sent = match (self.shops(), self.mail_from()) {
            (Ok(shops), Ok(mail_from)) => match shops.get(&stored.shop) {
                Some(shop) => {
                    self.send_privacy_contact_mail(stored, shop, &mail_from, now)
                        .await
                }
                None => Err(Fault::Config("shop gone".into()).into()),
            },
            (Err(fault), _) | (_, Err(fault)) => Err(fault.into()),
        };
        match sent {
            Ok(()) => {
                if let Err(error) = self.store.delete(&outbox_key).await {
                    self.warn(&format!(
                        "outbox entry {} not deleted, the cron may send it again: {}",
                        stored.reference,
                        redact::addresses(&error.to_string())
                    ));
                }
            }
            Err(failure) => {
                self.warn(&format!(
                    "mail for {} not sent, left in the outbox: {}",
                    stored.reference,
                    failure.describe()
                ));
                let mut pending = stored.clone();
                pending.mail_outcome(false, now);
                let written = match self.keyring() {
                    Ok(keyring) => self.put_request(&keyring, &pending).await,
                    Err(fault) => Err(fault.into()),
                };
                if let Err(failure) = written {
                    self.warn(&format!(
                        "mail_pending flag for {} not stored (the outbox still has it): {}",
                        stored.reference,
                        failure.describe()
                    ));
                }
            }
        }
    }

    /// Turnstile for shops that have a `TURNSTILE_SECRET_<SHOP>` secret: the token
    /// must pass Cloudflare's siteverify (or the `TURNSTILE_VERIFY_URL` stand-in).
    async fn check_turnstile(
        &self,
        request: &Request,
        ctx: &Ctx,
        shop: &Shop,
        token: Option<&str>,
    ) -> Result<(), Failure> {
        let Some(secret) = self.vars.secret(&abuse::turnstile_secret_name(&shop.id)) else {
            return Ok(());
        };
        let Some(token) = token.filter(|token| !token.is_empty()) else {
            return Err(ctx.api(ErrorCode::ChallengeFailed));
        };
        let url = self
            .vars
            .var(bindings::TURNSTILE_VERIFY_URL)
            .unwrap_or_else(|| abuse::SITEVERIFY_URL.to_owned());
        let form = abuse::siteverify_form(&secret, token, request.header("CF-Connecting-IP"));
        let verdict = match self.guard.siteverify(&url, &form).await {
            Ok((status, body)) => abuse::turnstile_verdict(status, &body),
            Err(error) => {
                let error = redact::addresses(&error.to_string());
                self.warn(&format!("turnstile siteverify unreachable: {error}"));
                TurnstileVerdict::Unavailable
            }
        };
        match verdict {
            TurnstileVerdict::Pass => Ok(()),
            TurnstileVerdict::Fail => Err(ctx.api(ErrorCode::ChallengeFailed)),
            TurnstileVerdict::Unavailable => Err(ctx.api(ErrorCode::ChallengeUnavailable)),
        }
    }

    /// A fresh reference from the platform's randomness.
    fn new_reference(&self) -> Result<String, Failure> {
        // 64 bytes almost always suffice for 12 symbols (each byte is kept with
        // probability 15/16); refill in the rare case they do not.
        let mut pool = self.random::<64>()?.to_vec();
        let mut failed = None;
        let reference = reference::generate(|| {
            if pool.is_empty() {
                match self.random::<64>() {
                    Ok(more) => pool.extend_from_slice(&more),
                    Err(fault) => {
                        failed = Some(fault);
                        return 0;
                    }
                }
            }
            pool.pop().unwrap_or(0)
        });
        match failed {
            Some(fault) => Err(fault.into()),
            None => Ok(reference),
        }
    }

    /// The new request's mail to the shop's privacy contact (raw MIME, `EMAIL`).
    pub(crate) async fn send_privacy_contact_mail(
        &self,
        stored: &StoredRequest,
        shop: &Shop,
        mail_from: &str,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let token = self.random_hex::<8>()?;
        let mail = contact::render(stored, shop, mail_from, now, &token);
        let envelope = Envelope::Binding {
            binding: bindings::EMAIL,
            from: mail.from,
            to: mail.to,
            raw: mail.raw,
        };
        Ok(self.mailer.send(&envelope).await?)
    }
}

/// Before the body is read: an origin that no shop lists is refused outright;
/// otherwise errors carry CORS headers so the widget can read them.
pub(crate) fn allow_any_shop_origin(
    ctx: &mut Ctx,
    request: &Request,
    shops: &Shops,
) -> Result<(), Failure> {
    match cors::for_any_shop(request.header("Origin"), &request.origin, shops) {
        Cors::Deny => Err(ctx.api(ErrorCode::OriginNotAllowed)),
        decision => {
            ctx.cors = decision.headers();
            Ok(())
        }
    }
}

/// Once the shop is known: only its own origins (and the Worker's) may post for it.
fn allow_shop_origin(
    ctx: &Ctx,
    origin: Option<&str>,
    own_origin: &str,
    shop: &Shop,
) -> Result<(), Failure> {
    if cors::for_shop(origin, own_origin, shop).is_denied() {
        return Err(ctx.api(ErrorCode::OriginNotAllowed));
    }
    Ok(())
}
