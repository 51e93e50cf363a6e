//! The Workers runtime shell (wasm32 only): reads the request, the clock, the
//! configuration and randomness, calls the pure core, writes KV, sends mail, and
//! copies the core's [`Reply`] into a Response. No decisions live here.

use futures_util::StreamExt;
use protocol::{ApiError, ConsentAccepted, ErrorCode, Lang, MAX_BODY_BYTES};
use worker::{
    console_error, console_log, console_warn, event, js_sys, Context, EmailMessage, Env, Headers,
    KvStore, Request, Response, ScheduleContext, ScheduledEvent,
};

use crate::abuse::{self, TurnstileVerdict};
use crate::bindings;
use crate::config::{validate_mail_from, validate_shops, Shop, ShopEntry, Shops};
use crate::cors::{self, Cors};
use crate::digest;
use crate::mail;
use crate::records::{self, random_bytes};
use crate::redact;
use crate::reference;
use crate::reply::{self, Reply};
use crate::route::{Method, Route};
use crate::store::{
    self, keys, IdempotencyEntry, OutboxEntry, OutboxMail, StoredConsent, StoredRequest,
};
use crate::time::Timestamp;

/// The owner page, verification, exports and the owner's cron (`entry/owner.rs`).
mod owner;

/// Why a handler stopped early: a domain answer for the visitor, or a bug / an
/// infrastructure failure that becomes an opaque 500.
enum Failure {
    Api(ApiError),
    Bug(worker::Error),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure::Api(error)
    }
}

impl From<worker::Error> for Failure {
    fn from(error: worker::Error) -> Failure {
        Failure::Bug(error)
    }
}

impl From<worker::wasm_bindgen::JsValue> for Failure {
    fn from(error: worker::wasm_bindgen::JsValue) -> Failure {
        Failure::Bug(error.into())
    }
}

impl From<worker::KvError> for Failure {
    fn from(error: worker::KvError) -> Failure {
        Failure::Bug(error.into())
    }
}

type Outcome = std::result::Result<Reply, Failure>;

/// Per-request state the error path needs too.
struct Ctx {
    /// Language for messages: `Accept-Language`, then the body's `lang` once parsed.
    lang: Lang,
    /// CORS headers to put on every answer, errors included, so the widget can read them.
    cors: Vec<(&'static str, String)>,
    /// The Worker's own origin, always allowed.
    own_origin: String,
    now: Timestamp,
}

impl Ctx {
    fn api(&self, code: ErrorCode) -> Failure {
        Failure::Api(ApiError::new(code, self.lang))
    }
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let url = req.url()?;
    let mut ctx = Ctx {
        lang: reply::request_lang(header(&req, "Accept-Language").as_deref()),
        cors: Vec::new(),
        own_origin: url.origin().ascii_serialization(),
        now: now(),
    };
    let reply = match route(&mut req, &env, &mut ctx, &url).await {
        Ok(reply) => reply,
        Err(Failure::Api(error)) => Reply::error(&error),
        Err(Failure::Bug(error)) => {
            // Errors from KV, mail or configuration never carry request bodies.
            console_error!(
                "internal error on {} {}: {}",
                req.method().as_ref(),
                url.path(),
                redact::addresses(&error.to_string())
            );
            Reply::code(ErrorCode::Internal, ctx.lang)
        }
    };
    let mut headers = std::mem::take(&mut ctx.cors);
    headers.extend(reply.headers.iter().cloned());
    to_response(Reply { headers, ..reply })
}

async fn route(req: &mut Request, env: &Env, ctx: &mut Ctx, url: &worker::Url) -> Outcome {
    // Every POST counts, the owner's and the requester's included, before any work.
    if Method::parse(req.method().as_ref()) == Method::Post {
        rate_limit(req, env, ctx, url.path()).await?;
    }
    if let Some(owner_route) = crate::owner::route::OwnerRoute::parse(url.path()) {
        return owner::handle(req, env, ctx, url, owner_route).await;
    }
    let Some(route) = Route::parse(url.path()) else {
        return Err(ctx.api(ErrorCode::NotFound));
    };
    // An e-mail address in a URL ends up in logs and browser history: refused on
    // every API route, before anything is looked up.
    if query_param(url, "email").is_some() {
        return Err(ctx.api(ErrorCode::EmailInUrl));
    }
    let method = Method::parse(req.method().as_ref());
    if method == Method::Options && route.is_cross_origin() {
        return preflight(req, env, ctx);
    }
    let method_ok =
        method == route.method() || (method == Method::Head && route.method() == Method::Get);
    if !method_ok {
        return Ok(Reply::method_not_allowed(route.allow(), ctx.lang));
    }
    match route {
        Route::ShopConfig(shop) => shop_config(env, ctx, &shop),
        Route::Consent => post_consent(req, env, ctx).await,
        Route::Requests => post_request(req, env, ctx).await,
        Route::RequestStatus(reference) => request_status(req, env, ctx, &reference).await,
        Route::AdminConsent => admin_list(req, env, ctx, url, AdminList::Consent).await,
        Route::AdminRequests => admin_list(req, env, ctx, url, AdminList::Requests).await,
        Route::AdminRequestsByEmail => admin_list(req, env, ctx, url, AdminList::ByEmail).await,
    }
}

fn preflight(req: &Request, env: &Env, ctx: &Ctx) -> Outcome {
    let shops = load_shops(env)?;
    match cors::for_any_shop(header(req, "Origin").as_deref(), &ctx.own_origin, &shops) {
        Cors::Allow(origin) => Ok(Reply::empty(204).with_headers(cors::preflight_headers(&origin))),
        Cors::NoOrigin => Ok(Reply::empty(204).with_header("Allow", "GET, POST, OPTIONS")),
        Cors::Deny => Err(ctx.api(ErrorCode::OriginNotAllowed)),
    }
}

/// `GET /api/shops/<shop>/config`: public, the same for everyone, so `*` and a
/// short shared cache are right here.
fn shop_config(env: &Env, ctx: &mut Ctx, shop_id: &str) -> Outcome {
    let shops = load_shops(env)?;
    let shop = shops
        .get(shop_id)
        .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
    Ok(Reply::json(200, &shop.widget_config())
        .with_header("Cache-Control", "public, max-age=300")
        .with_header("Access-Control-Allow-Origin", "*"))
}

/// `POST /api/consent`: validate, store with server time, then answer 201.
async fn post_consent(req: &mut Request, env: &Env, ctx: &mut Ctx) -> Outcome {
    let shops = load_shops(env)?;
    let origin = header(req, "Origin");
    allow_any_shop_origin(ctx, origin.as_deref(), &shops)?;
    let body = read_json_body(req, ctx).await?;
    let record = protocol::json::consent_record(&body, ctx.lang)?;
    ctx.lang = record.lang;
    let shop = shops
        .get(&record.shop)
        .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
    allow_shop_origin(ctx, origin.as_deref(), shop)?;

    let user_agent = header(req, "User-Agent");
    let stored = store::new_consent(
        record,
        ctx.now,
        &digest::random_hex(&random_bytes::<8>()?),
        user_agent.as_deref(),
    );
    let key = keys::consent(&stored.shop, &ctx.now.year_month(), &stored.record_id);
    kv(env)?
        .put(&key, to_json(&stored)?)?
        .expiration_ttl(shop.consent_ttl_seconds())
        .execute()
        .await?;

    let accepted = ConsentAccepted {
        record_id: stored.record_id,
        recorded_at: stored.recorded_at,
    };
    Ok(Reply::json(201, &accepted))
}

/// `POST /api/requests`: validate, answer a replay from its idempotency key, else
/// store the request and its outbox entry, then mail the privacy contact.
async fn post_request(req: &mut Request, env: &Env, ctx: &mut Ctx) -> Outcome {
    let shops = load_shops(env)?;
    let mail_from = validate_mail_from(&env.var(bindings::MAIL_FROM)?.to_string())
        .map_err(|e| Failure::Bug(e.to_string().into()))?;
    let origin = header(req, "Origin");
    allow_any_shop_origin(ctx, origin.as_deref(), &shops)?;
    let body = read_json_body(req, ctx).await?;
    let mut request = protocol::json::rights_request(&body, ctx.lang)?;
    ctx.lang = request.lang;
    // Stored and mailed in the form every mail service accepts (IDNA domain); an
    // address that has none is refused now, not left unmailable until it expires.
    request.email = crate::address::deliverable(&request.email).ok_or_else(|| {
        ApiError::from_field_error(
            protocol::FieldError {
                field: protocol::Field::Email,
                problem: protocol::Problem::InvalidFormat,
            },
            request.lang,
        )
    })?;
    let shop = shops
        .get(&request.shop)
        .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
    allow_shop_origin(ctx, origin.as_deref(), shop)?;
    if abuse::honeypot_tripped(request.honeypot.as_deref()) {
        return Err(ctx.api(ErrorCode::SpamSuspected));
    }
    let keyring = records::keyring(env)?;

    let kv = kv(env)?;
    let idem_key = keys::idempotency(&shop.id, &request.idempotency_key);
    if let Some(previous) = kv.get(&idem_key).json::<IdempotencyEntry>().await? {
        let replay = protocol::RequestAccepted {
            reference: previous.reference,
            due_date: previous.due_date,
            status: previous.status.code().to_owned(),
        };
        return Ok(Reply::json(200, &replay));
    }
    // After the replay check: a retry reuses its (already spent) Turnstile token.
    let turnstile_token = request.turnstile_token.take();
    check_turnstile(req, env, ctx, shop, turnstile_token.as_deref()).await?;

    let reference = new_reference()?;
    let mut stored = store::new_request(request, shop, reference, ctx.now);
    let outbox_key = keys::outbox(&stored.reference, 0);
    // All stored before anything is acknowledged or sent: nothing accepted is lost.
    // The outbox entry goes first, so a stored request always has its mail queued
    // (an entry whose request write failed is dropped by the cron later).
    let outbox = OutboxEntry {
        shop: shop.id.clone(),
        reference: stored.reference.clone(),
        mail: OutboxMail::PrivacyContact,
        created_at: ctx.now.rfc3339(),
    };
    kv.put(&outbox_key, to_json(&outbox)?)?.execute().await?;
    // The requester confirms their address through a single-use link (owner::case).
    let verify_token = owner::arm_verification(env, &mut stored, ctx.now)?;
    records::put_request(&kv, &keyring, &stored).await?;
    records::put_email_index(&kv, &keyring, &stored).await?;
    let idem = IdempotencyEntry {
        reference: stored.reference.clone(),
        due_date: stored.due_date.clone(),
        status: stored.status,
    };
    kv.put(&idem_key, to_json(&idem)?)?
        .expiration_ttl(store::IDEMPOTENCY_TTL_SECONDS)
        .execute()
        .await?;

    match send_privacy_contact_mail(env, &stored, shop, &mail_from, ctx.now).await {
        Ok(()) => {
            if let Err(error) = kv.delete(&outbox_key).await {
                console_warn!(
                    "outbox entry {} not deleted, the cron may send it again: {}",
                    stored.reference,
                    redact::addresses(&error.to_string())
                );
            }
        }
        Err(error) => {
            console_warn!(
                "mail for {} not sent, left in the outbox: {}",
                stored.reference,
                redact::addresses(&error.to_string())
            );
            stored.mail_outcome(false, ctx.now);
            if let Err(error) = records::put_request(&kv, &keyring, &stored).await {
                console_warn!(
                    "mail_pending flag for {} not stored (the outbox still has it): {}",
                    stored.reference,
                    redact::addresses(&error.to_string())
                );
            }
        }
    }
    owner::send_verification(env, &kv, &stored, &verify_token, &ctx.own_origin, ctx.now).await;
    Ok(Reply::json(201, &stored.accepted()))
}

/// The body of `POST /api/requests/<ref>/status`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusLookup {
    email: String,
}

/// The body of `POST /api/admin/requests/by-email`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailLookup {
    shop: String,
    email: String,
}

/// `POST /api/requests/<ref>/status` with `{"email"}`: the status only for whoever
/// knows the requester's address; every failure is the same 404, and the work done
/// is the same whether or not the reference exists (every shop is looked in, the
/// proof is always computed and compared in constant time).
async fn request_status(req: &mut Request, env: &Env, ctx: &mut Ctx, reference: &str) -> Outcome {
    let shops = load_shops(env)?;
    if let Cors::Allow(origin) =
        cors::for_any_shop(header(req, "Origin").as_deref(), &ctx.own_origin, &shops)
    {
        ctx.cors = Cors::Allow(origin).headers();
    }
    let body = read_json_body(req, ctx).await?;
    let lookup: StatusLookup =
        serde_json::from_slice(&body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
    let parsed = reference::parse(reference);
    let kv = kv(env)?;
    let keyring = records::keyring(env)?;
    let mut found = None;
    for shop in shops.iter() {
        let stored = match &parsed {
            Some(reference) => records::get_request(&kv, &keyring, &shop.id, reference).await?,
            None => None,
        };
        if found.is_none() {
            found = stored;
        }
    }
    let proof = found
        .as_ref()
        .map_or("", |stored| stored.email_proof.as_str());
    let matches =
        digest::email_proof_matches(parsed.as_deref().unwrap_or(reference), &lookup.email, proof);
    match found {
        Some(stored) if matches && !lookup.email.trim().is_empty() => {
            Ok(Reply::json(200, &stored.accepted()))
        }
        _ => Err(ctx.api(ErrorCode::NotFound)),
    }
}

enum AdminList {
    Consent,
    Requests,
    /// One person's requests (address in the POST body).
    ByEmail,
}

/// Owner routes: every stored consent record or rights request of one shop.
async fn admin_list(
    req: &mut Request,
    env: &Env,
    ctx: &mut Ctx,
    url: &worker::Url,
    what: AdminList,
) -> Outcome {
    let expected = match env.secret(bindings::ADMIN_TOKEN) {
        Ok(secret) => secret.to_string(),
        Err(_) => {
            console_warn!("ADMIN_TOKEN is not set; owner routes are closed");
            String::new()
        }
    };
    let presented = header(req, "Authorization");
    let authorized = reply::bearer_token(presented.as_deref())
        .is_some_and(|token| digest::secret_matches(token, &expected));
    if !authorized {
        return Err(ctx.api(ErrorCode::Unauthorized));
    }
    let shops = load_shops(env)?;
    let (shop_id, email) = match what {
        AdminList::ByEmail => {
            let body = read_json_body(req, ctx).await?;
            let lookup: EmailLookup =
                serde_json::from_slice(&body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
            (lookup.shop, Some(lookup.email))
        }
        _ => (query_param(url, "shop").unwrap_or_default(), None),
    };
    let shop = shops
        .get(&shop_id)
        .ok_or_else(|| ctx.api(ErrorCode::UnknownShop))?;
    let kv = kv(env)?;
    if let AdminList::Consent = what {
        let records: Vec<StoredConsent> = read_all(&kv, &keys::consent_prefix(&shop.id)).await?;
        return Ok(Reply::json(200, &records));
    }
    let keyring = records::keyring(env)?;
    let listed = match email {
        // Only that person's requests, found through the blind index.
        Some(email) => records::references_by_email(&kv, &keyring, &shop.id, &email)
            .await?
            .iter()
            .map(|reference| keys::request(&shop.id, reference))
            .collect(),
        None => list_keys(&kv, &keys::request_prefix(&shop.id)).await?,
    };
    let mut requests: Vec<StoredRequest> = Vec::new();
    for key in listed.into_iter().take(ADMIN_LIST_LIMIT) {
        match records::get_request_at(&kv, &keyring, &key).await {
            Ok(Some(request)) => requests.push(request),
            Ok(None) => {}
            // One unreadable record (e.g. sealed with a key no longer configured)
            // must not hide all the others; the export lists it by reference.
            Err(error) => console_warn!(
                "{} not readable, left out of the list: {}",
                key,
                redact::addresses(&error.to_string())
            ),
        }
    }
    mark_mail_pending(&kv, &mut requests).await?;
    Ok(Reply::json(200, &requests))
}

/// Sets each request's `mail_pending` from the outbox, which is the truth about
/// unsent mail whatever the record says (the owner list and the exports agree).
async fn mark_mail_pending(kv: &KvStore, requests: &mut [StoredRequest]) -> Result<(), Failure> {
    let pending = list_keys(kv, keys::OUTBOX_PREFIX).await?;
    for request in requests {
        let prefix = keys::outbox_prefix(&request.reference);
        request.mail_pending = pending.iter().any(|key| key.starts_with(&prefix));
    }
    Ok(())
}

/// Cron, at the event's scheduled time (tests choose it): retry every mail still in
/// the outbox, then the owner's steps. A failing step or item never stops the others.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let now = Timestamp(event.schedule() as u64);
    if let Err(error) = retry_outbox(&env, now).await {
        console_error!(
            "outbox retry failed: {}",
            redact::addresses(&error.to_string())
        );
    }
    if let Err(error) = owner::scheduled(&env, now).await {
        console_error!(
            "owner cron failed: {}",
            redact::addresses(&failure_to_error(error).to_string())
        );
    }
}

async fn retry_outbox(env: &Env, now: Timestamp) -> worker::Result<()> {
    let shops = load_shops(env).map_err(failure_to_error)?;
    let mail_from = validate_mail_from(&env.var(bindings::MAIL_FROM)?.to_string())
        .map_err(|e| worker::Error::from(e.to_string()))?;
    let kv = kv(env).map_err(failure_to_error)?;
    let keyring = records::keyring(env)?;
    let mut tally = owner::Tally::default();
    for key in list_keys(&kv, keys::OUTBOX_PREFIX)
        .await
        .map_err(failure_to_error)?
    {
        let outcome = retry_outbox_entry(env, &kv, &keyring, &shops, &mail_from, &key, now).await;
        tally.count("outbox", &key, outcome);
    }
    console_log!(
        "outbox retry: {} sent, {} still pending",
        tally.done,
        tally.failed
    );
    Ok(())
}

/// One outbox entry: `Ok(true)` when its mail went out, `Ok(false)` when there was
/// nothing to send (yet); an error leaves the entry for the next run.
async fn retry_outbox_entry(
    env: &Env,
    kv: &KvStore,
    keyring: &crate::crypto::Keyring,
    shops: &Shops,
    mail_from: &str,
    key: &str,
    now: Timestamp,
) -> Result<bool, Failure> {
    let Some(entry) = kv.get(key).json::<OutboxEntry>().await? else {
        return Ok(false);
    };
    let Some(shop) = shops.get(&entry.shop) else {
        console_warn!(
            "outbox {}: shop {} is no longer configured",
            key,
            entry.shop
        );
        return Ok(false);
    };
    let Some(mut stored) = records::get_request(kv, keyring, &shop.id, &entry.reference).await?
    else {
        if entry.is_orphan(false, now) {
            console_warn!(
                "outbox {}: its request was never stored; dropping the entry",
                key
            );
            kv.delete(key).await?;
        } else {
            console_warn!("outbox {}: request not readable yet", key);
        }
        return Ok(false);
    };
    match entry.mail {
        OutboxMail::PrivacyContact => {
            send_privacy_contact_mail(env, &stored, shop, mail_from, now).await?;
            kv.delete(key).await?;
            if stored.mail_pending {
                stored.mail_outcome(true, now);
                records::put_request(kv, keyring, &stored).await?;
            }
            Ok(true)
        }
    }
}

/// Counts a POST against its rate limiter, keyed by a keyed hash of the client's
/// address (never the address). Over the limit: 429 `rate_limited` with
/// `Retry-After`. A missing or failing limiter lets the request through (a rights
/// request must not be lost to an outage of the limiter) and says so in the log.
async fn rate_limit(req: &Request, env: &Env, ctx: &mut Ctx, path: &str) -> Result<(), Failure> {
    let switch = env
        .var(bindings::RATE_LIMIT)
        .ok()
        .map(|var| var.to_string());
    if !abuse::rate_limit_enabled(switch.as_deref()) {
        return Ok(());
    }
    let binding = abuse::limiter_for(path);
    let limiter = match env.rate_limiter(binding) {
        Ok(limiter) => limiter,
        Err(_) => {
            console_warn!("rate limiter {} is not bound; not limiting", binding);
            return Ok(());
        }
    };
    let address = header(req, "CF-Connecting-IP");
    let client = records::keyring(env)?.client_key(abuse::client_address(address.as_deref()));
    match limiter.limit(client).await {
        Ok(outcome) if !outcome.success => {
            // CORS headers, so that a widget on a shop's own origin can read the 429.
            let shops = load_shops(env)?;
            if let Cors::Allow(origin) =
                cors::for_any_shop(header(req, "Origin").as_deref(), &ctx.own_origin, &shops)
            {
                ctx.cors = Cors::Allow(origin).headers();
            }
            Err(ctx.api(ErrorCode::RateLimited))
        }
        Ok(_) => Ok(()),
        Err(error) => {
            console_warn!("rate limiter {} failed; not limiting: {}", binding, error);
            Ok(())
        }
    }
}

/// Turnstile for shops that have a `TURNSTILE_SECRET_<SHOP>` secret: the token
/// must pass Cloudflare's siteverify (or the `TURNSTILE_VERIFY_URL` stand-in).
async fn check_turnstile(
    req: &Request,
    env: &Env,
    ctx: &Ctx,
    shop: &Shop,
    token: Option<&str>,
) -> Result<(), Failure> {
    let Ok(secret) = env.secret(&abuse::turnstile_secret_name(&shop.id)) else {
        return Ok(());
    };
    let Some(token) = token.filter(|token| !token.is_empty()) else {
        return Err(ctx.api(ErrorCode::ChallengeFailed));
    };
    let url = env
        .var(bindings::TURNSTILE_VERIFY_URL)
        .map(|var| var.to_string())
        .unwrap_or_else(|_| abuse::SITEVERIFY_URL.to_owned());
    let address = header(req, "CF-Connecting-IP");
    let form = abuse::siteverify_form(&secret.to_string(), token, address.as_deref());
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post)
        .with_headers(headers)
        .with_body(Some(form.into()));
    let verdict = match worker::Fetch::Request(Request::new_with_init(&url, &init)?)
        .send()
        .await
    {
        Ok(mut answer) => {
            let status = answer.status_code();
            let body = answer.bytes().await.unwrap_or_default();
            abuse::turnstile_verdict(status, &body)
        }
        Err(error) => {
            console_warn!("turnstile siteverify unreachable: {}", error);
            TurnstileVerdict::Unavailable
        }
    };
    match verdict {
        TurnstileVerdict::Pass => Ok(()),
        TurnstileVerdict::Fail => Err(ctx.api(ErrorCode::ChallengeFailed)),
        TurnstileVerdict::Unavailable => Err(ctx.api(ErrorCode::ChallengeUnavailable)),
    }
}

fn failure_to_error(failure: Failure) -> worker::Error {
    match failure {
        Failure::Bug(error) => error,
        Failure::Api(error) => worker::Error::from(error.error.code.code()),
    }
}

async fn send_privacy_contact_mail(
    env: &Env,
    stored: &StoredRequest,
    shop: &Shop,
    mail_from: &str,
    now: Timestamp,
) -> worker::Result<()> {
    let token = digest::random_hex(&random_bytes::<8>()?);
    let mail = mail::render(stored, shop, mail_from, now, &token);
    let message = EmailMessage::new(&mail.from, &mail.to, &mail.raw)?;
    env.send_email(bindings::EMAIL)?.send(&message).await?;
    Ok(())
}

/// Every key under a prefix, following the list cursor.
async fn list_keys(kv: &KvStore, prefix: &str) -> Result<Vec<String>, Failure> {
    let keys = crate::listing::all_keys(kv, prefix).await?;
    Ok(keys.into_iter().map(|key| key.name).collect())
}

/// The values under a prefix, in key order (at most [`ADMIN_LIST_LIMIT`]).
async fn read_all<T: serde::de::DeserializeOwned>(
    kv: &KvStore,
    prefix: &str,
) -> Result<Vec<T>, Failure> {
    let mut values = Vec::new();
    for key in list_keys(kv, prefix)
        .await?
        .into_iter()
        .take(ADMIN_LIST_LIMIT)
    {
        // A key listed but expired or not yet visible is skipped.
        if let Some(value) = kv.get(&key).json::<T>().await? {
            values.push(value);
        }
    }
    Ok(values)
}

/// Owner listings read every value; beyond this, pagination is needed.
const ADMIN_LIST_LIMIT: usize = 1000;

/// Reads `SHOPS` through `JSON.stringify` and serde_json: `Env::object_var` refuses
/// arrays, and this is the same parser the host tests use. A string var holding
/// the JSON (`wrangler dev --var SHOPS:'[...]'`, a dashboard var) works too.
fn load_shops(env: &Env) -> Result<Shops, Failure> {
    let value = js_sys::Reflect::get(env.as_ref(), &bindings::SHOPS.into())?;
    if value.is_undefined() {
        return Err(Failure::Bug("the SHOPS var is not set".into()));
    }
    let json: String = match value.as_string() {
        Some(text) => text,
        None => js_sys::JSON::stringify(&value)?.into(),
    };
    let entries: Vec<ShopEntry> = serde_json::from_str(&json)
        .map_err(|error| Failure::Bug(format!("SHOPS: {error}").into()))?;
    validate_shops(entries).map_err(|error| Failure::Bug(error.to_string().into()))
}

fn kv(env: &Env) -> Result<KvStore, Failure> {
    Ok(env.kv(bindings::KV)?)
}

/// Before the body is read: an origin that no shop lists is refused outright;
/// otherwise errors carry CORS headers so the widget can read them.
fn allow_any_shop_origin(
    ctx: &mut Ctx,
    origin: Option<&str>,
    shops: &Shops,
) -> Result<(), Failure> {
    match cors::for_any_shop(origin, &ctx.own_origin, shops) {
        Cors::Deny => Err(ctx.api(ErrorCode::OriginNotAllowed)),
        decision => {
            ctx.cors = decision.headers();
            Ok(())
        }
    }
}

/// Once the shop is known: only its own origins (and the Worker's) may post for it.
fn allow_shop_origin(ctx: &mut Ctx, origin: Option<&str>, shop: &Shop) -> Result<(), Failure> {
    if cors::for_shop(origin, &ctx.own_origin, shop).is_denied() {
        return Err(ctx.api(ErrorCode::OriginNotAllowed));
    }
    Ok(())
}

/// Reads a JSON body of at most [`MAX_BODY_BYTES`]: the declared length is checked
/// first, and the bytes actually read are counted, so a body without (or with a
/// lying) `Content-Length` is cut off too.
async fn read_json_body(req: &mut Request, ctx: &Ctx) -> Result<Vec<u8>, Failure> {
    if !reply::is_json_content_type(header(req, "Content-Type").as_deref()) {
        return Err(ctx.api(ErrorCode::UnsupportedMediaType));
    }
    reply::check_content_length(header(req, "Content-Length").as_deref(), ctx.lang)?;
    let mut body = Vec::new();
    let Ok(mut stream) = req.stream() else {
        return Ok(body);
    };
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ctx.api(ErrorCode::BodyTooLarge));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

fn query_param(url: &worker::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn now() -> Timestamp {
    Timestamp(worker::Date::now().as_millis())
}

fn new_reference() -> worker::Result<String> {
    // 64 bytes almost always suffice for 12 symbols (each byte is kept with
    // probability 15/16); refill in the rare case they do not.
    let mut pool = random_bytes::<64>()?.to_vec();
    let mut failed = None;
    let reference = reference::generate(|| {
        if pool.is_empty() {
            match random_bytes::<64>() {
                Ok(more) => pool.extend_from_slice(&more),
                Err(error) => {
                    failed = Some(error);
                    return 0;
                }
            }
        }
        pool.pop().unwrap_or(0)
    });
    match failed {
        Some(error) => Err(error),
        None => Ok(reference),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> worker::Result<String> {
    Ok(serde_json::to_string(value)?)
}

fn to_response(reply: Reply) -> worker::Result<Response> {
    let headers = Headers::new();
    if reply.body.is_some() {
        headers.set("Content-Type", "application/json; charset=utf-8")?;
    }
    // Security headers on every API answer; a reply may override them (the shop
    // configuration sets its own cache rule).
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; frame-ancestors 'none'",
    )?;
    headers.set("Cache-Control", "no-store")?;
    for (name, value) in &reply.headers {
        headers.set(name, value)?;
    }
    let response = match reply.body {
        Some(body) => Response::ok(body)?,
        None => Response::empty()?,
    };
    Ok(response.with_status(reply.status).with_headers(headers))
}
