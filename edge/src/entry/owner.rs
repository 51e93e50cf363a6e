//! The owner's side in the Workers runtime (wasm32 only): owner page and exports,
//! the requester's verification link, the `Mailer` for mail to requesters, and the
//! cron's reminders, expiry and purge. It reads and writes KV and sends mail; every
//! decision is in `crate::owner`. Request records go through `crate::records`
//! only, so encryption at rest applies here too.

use protocol::{ApiError, ErrorCode, Lang};
use serde::{Deserialize, Serialize};
use worker::{console_log, console_warn, EmailMessage, Env, Headers, KvStore, Request};

use super::{header, kv, list_keys, load_shops, query_param, to_json, Ctx, Failure, Outcome};
use crate::bindings;
use crate::config::{validate_mail_from, Shop, Shops};
use crate::crypto::{Keyring, NONCE_BYTES};
use crate::digest;
use crate::owner::case::{
    self, keys, Applied, CaseEvent, EventKind, Filter, Notice, Row, VerifyOutcome,
};
use crate::owner::cron::{self, Task};
use crate::owner::form::Form;
use crate::owner::html::{self, Chrome, Flash};
use crate::owner::notice::{self, OutgoingMail, ReminderItem};
use crate::owner::route::OwnerRoute;
use crate::owner::session;
use crate::owner::settings::{self, MailerChoice, RequestPolicy};
use crate::owner::status;
use crate::records::{self, random_bytes};
use crate::redact;
use crate::reference;
use crate::reply::{self, Reply};
use crate::route::Method;
use crate::store::{self, RequestMeta, StoredConsent, StoredRequest};
use crate::time::Timestamp;

/// Binding names of the owner's side (see `wrangler.toml`).
pub mod names {
    /// send_email binding for mail to requesters (unrestricted locally).
    pub const REQUESTER_EMAIL: &str = "REQUESTER_EMAIL";
    /// Var: `send_email` (default) or `http`.
    pub const REQUESTER_MAILER: &str = "REQUESTER_MAILER";
    /// Var: the HTTP mail API's endpoint (with `REQUESTER_MAILER = "http"`).
    pub const MAIL_API_URL: &str = "MAIL_API_URL";
    /// Secret: the HTTP mail API's key.
    pub const MAIL_API_KEY: &str = "MAIL_API_KEY";
    /// Var (optional JSON): `owner::settings::RequestPolicy`.
    pub const REQUESTS: &str = "REQUESTS";
}

/// Mail to the requester not sent yet: rendered again from the record when sent.
#[derive(Serialize, Deserialize)]
struct NotifyEntry {
    shop: String,
    reference: String,
    notice: Notice,
    /// The event whose text (reason, message) the mail carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event_key: Option<String>,
    /// The Worker's origin, for the verification link.
    origin: String,
    created_at: String,
}

fn bug(message: impl std::fmt::Display) -> Failure {
    Failure::Bug(worker::Error::from(message.to_string()))
}

fn text_var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string())
}

/// `REQUESTS` may be a TOML table (an object var) or a JSON string.
fn policy(env: &Env) -> Result<RequestPolicy, Failure> {
    let value = worker::js_sys::Reflect::get(env.as_ref(), &names::REQUESTS.into())?;
    let json: Option<String> = if value.is_undefined() || value.is_null() {
        None
    } else if let Some(text) = value.as_string() {
        Some(text)
    } else {
        Some(worker::js_sys::JSON::stringify(&value)?.into())
    };
    settings::parse_policy(json.as_deref()).map_err(bug)
}

fn mail_from(env: &Env) -> Result<String, Failure> {
    validate_mail_from(&env.var(bindings::MAIL_FROM)?.to_string()).map_err(bug)
}

fn keyring(env: &Env) -> Result<Keyring, Failure> {
    Ok(records::keyring(env)?)
}

fn random_hex<const N: usize>() -> Result<String, Failure> {
    Ok(digest::random_hex(&random_bytes::<N>()?))
}

// ---------------------------------------------------------------------------
// Mailer: one way to send mail to requesters, two transports.

enum Mailer {
    SendEmail,
    HttpApi { url: String, key: String },
}

impl Mailer {
    fn from_env(env: &Env) -> worker::Result<Mailer> {
        let choice = settings::parse_mailer(
            text_var(env, names::REQUESTER_MAILER).as_deref(),
            text_var(env, names::MAIL_API_URL).as_deref(),
        )
        .map_err(worker::Error::from)?;
        Ok(match choice {
            MailerChoice::SendEmail => Mailer::SendEmail,
            MailerChoice::HttpApi { url } => Mailer::HttpApi {
                url,
                key: env
                    .secret(names::MAIL_API_KEY)
                    .map_err(|_| worker::Error::from("MAIL_API_KEY is not set"))?
                    .to_string(),
            },
        })
    }

    async fn send(&self, env: &Env, mail: &OutgoingMail, now: Timestamp) -> worker::Result<()> {
        match self {
            Mailer::SendEmail => send_binding(env, names::REQUESTER_EMAIL, mail, now).await,
            Mailer::HttpApi { url, key } => {
                let headers = Headers::new();
                headers.set("Content-Type", "application/json")?;
                headers.set("Authorization", &format!("Bearer {key}"))?;
                let mut init = worker::RequestInit::new();
                init.with_method(worker::Method::Post)
                    .with_headers(headers)
                    .with_body(Some(notice::http_body(mail).into()));
                let answer = worker::Fetch::Request(Request::new_with_init(url, &init)?)
                    .send()
                    .await?;
                match answer.status_code() {
                    200..=299 => Ok(()),
                    status => Err(worker::Error::from(format!("mail API answered {status}"))),
                }
            }
        }
    }
}

/// Sends through a send_email binding as raw MIME.
async fn send_binding(
    env: &Env,
    binding: &str,
    mail: &OutgoingMail,
    now: Timestamp,
) -> worker::Result<()> {
    let token = digest::random_hex(&random_bytes::<8>()?);
    let raw = notice::mime(mail, now, &token);
    let message = EmailMessage::new(&mail.from, &mail.to, &raw)?;
    env.send_email(binding)?.send(&message).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Intake: the verification mail after `POST /api/requests`.

/// Arms the e-mail check on a new request before it is first stored; returns the
/// token for the link (only its hash is stored).
pub(super) fn arm_verification(
    env: &Env,
    stored: &mut StoredRequest,
    now: Timestamp,
) -> Result<String, Failure> {
    let token = random_hex::<24>()?;
    case::start_email_check(stored, &token, now, &policy(env)?);
    Ok(token)
}

/// Queues and sends the verification mail of a stored request. Never fails the
/// intake: what is not sent stays queued for the cron.
pub(super) async fn send_verification(
    env: &Env,
    kv: &KvStore,
    stored: &StoredRequest,
    token: &str,
    origin: &str,
    now: Timestamp,
) {
    let result: Result<(), Failure> = async {
        let entry = NotifyEntry {
            shop: stored.shop.clone(),
            reference: stored.reference.clone(),
            notice: Notice::Verify,
            event_key: None,
            origin: origin.to_owned(),
            created_at: now.rfc3339(),
        };
        let entry_key = keys::notify(
            &stored.shop,
            &stored.reference,
            &case::event_seq(now, &random_hex::<4>()?),
        );
        kv.put(&entry_key, to_json(&entry)?)?.execute().await?;
        let shops = load_shops(env)?;
        let shop = shops.get(&stored.shop).ok_or_else(|| bug("shop gone"))?;
        let sent = deliver_verification(env, stored, shop, token, origin, now).await;
        finish_notice(
            kv,
            &keyring(env)?,
            stored,
            &entry_key,
            sent,
            EventKind::VerificationMailSent,
            EventKind::VerificationMailFailed,
            now,
        )
        .await
    }
    .await;
    if let Err(error) = result {
        console_warn!(
            "verification mail for {}: {}",
            stored.reference,
            describe(&error)
        );
    }
}

async fn deliver_verification(
    env: &Env,
    stored: &StoredRequest,
    shop: &Shop,
    token: &str,
    origin: &str,
    now: Timestamp,
) -> Result<(), Failure> {
    let url = format!(
        "{origin}/verify?ref={}&token={}",
        crate::owner::form::encode_component(&stored.reference),
        crate::owner::form::encode_component(token)
    );
    let expires = stored.case.email.as_ref().map(|c| c.expires_at.clone());
    let status_url = status::status_url(origin, &stored.reference, stored.lang);
    let mail = notice::requester_mail(
        Notice::Verify,
        stored,
        shop,
        &mail_from(env)?,
        None,
        notice::Links {
            verify_url: Some(&url),
            verify_expires: expires.as_deref(),
            status_url: Some(&status_url),
        },
    )
    .ok_or_else(|| bug("the requester's address cannot be used"))?;
    Mailer::from_env(env)?.send(env, &mail, now).await?;
    Ok(())
}

/// After a send attempt: drop the queue entry on success; record the outcome.
#[allow(clippy::too_many_arguments)]
async fn finish_notice(
    kv: &KvStore,
    keyring: &Keyring,
    stored: &StoredRequest,
    entry_key: &str,
    sent: Result<(), Failure>,
    ok: EventKind,
    failed: EventKind,
    now: Timestamp,
) -> Result<(), Failure> {
    let kind = match &sent {
        Ok(()) => {
            kv.delete(entry_key).await?;
            ok
        }
        Err(error) => {
            console_warn!(
                "mail to the requester of {} not sent, queued: {}",
                stored.reference,
                describe(error)
            );
            failed
        }
    };
    append_event(
        kv,
        keyring,
        &stored.shop,
        &stored.reference,
        &CaseEvent::new(now, case::SYSTEM, kind),
    )
    .await?;
    sent
}

fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Bug(error) => redact::addresses(&error.to_string()),
        Failure::Api(error) => error.error.code.code().to_owned(),
    }
}

/// The owner's free text (notes, reasons) may name people: it is sealed like a
/// request's personal fields, bound to the event's key.
const EVENT_PERSONAL_FIELDS: &[&str] = &["text"];

async fn append_event(
    kv: &KvStore,
    keyring: &Keyring,
    shop: &str,
    reference: &str,
    event: &CaseEvent,
) -> Result<String, Failure> {
    let at = Timestamp::parse_rfc3339(&event.at).unwrap_or(Timestamp(0));
    let key = keys::event(shop, reference, &case::event_seq(at, &random_hex::<4>()?));
    let value = store::seal_record(
        event,
        EVENT_PERSONAL_FIELDS,
        &key,
        keyring,
        random_bytes::<NONCE_BYTES>()?,
    )
    .map_err(bug)?;
    kv.put(&key, value)?.execute().await?;
    Ok(key)
}

async fn get_event(
    kv: &KvStore,
    keyring: &Keyring,
    key: &str,
) -> Result<Option<CaseEvent>, Failure> {
    let Some(text) = kv.get(key).text().await? else {
        return Ok(None);
    };
    store::open_record(&text, key, keyring)
        .map(Some)
        .map_err(|e| bug(format!("{key}: {e}")))
}

async fn read_events(
    kv: &KvStore,
    keyring: &Keyring,
    shop: &str,
    reference: &str,
) -> Result<Vec<CaseEvent>, Failure> {
    let mut events = Vec::new();
    for key in list_keys(kv, &keys::event_prefix(shop, reference)).await? {
        if let Some(event) = get_event(kv, keyring, &key).await? {
            events.push(event);
        }
    }
    Ok(events)
}

// ---------------------------------------------------------------------------
// HTTP: owner page, exports, verification.

/// Security headers of every HTML page.
fn html_reply(status: u16, body: String) -> Reply {
    Reply {
        status,
        body: Some(body),
        headers: Vec::new(),
    }
    .with_header("Content-Type", "text/html; charset=utf-8")
    .with_header("Content-Security-Policy", html::CSP)
    .with_header("Cache-Control", "no-store")
    .with_header("X-Frame-Options", "DENY")
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null`
    // on form posts, and the CSRF check needs the real origin.
    .with_header("Referrer-Policy", "same-origin")
}

fn redirect(location: &str) -> Reply {
    Reply::empty(303)
        .with_header("Location", location)
        .with_header("Cache-Control", "no-store")
}

struct Page {
    lang: Lang,
    self_en: String,
    self_nl: String,
    set_lang_cookie: bool,
    secure: bool,
}

impl Page {
    fn new(req: &Request, url: &worker::Url, route: &OwnerRoute) -> Page {
        let query = Form::parse(url.query().unwrap_or(""));
        let cookies = header(req, "Cookie");
        let from_query = query.get("lang").map(Lang::from_tag);
        let lang = from_query
            .or_else(|| {
                session::cookie(cookies.as_deref(), session::LANG_COOKIE).map(Lang::from_tag)
            })
            .unwrap_or_else(|| reply::request_lang(header(req, "Accept-Language").as_deref()));
        Page {
            lang,
            self_en: html::with_lang(url.path(), &query, Lang::En),
            self_nl: html::with_lang(url.path(), &query, Lang::Nl),
            // The language cookie is the owner's preference; requesters get none.
            set_lang_cookie: from_query.is_some() && !route.is_requesters(),
            secure: url.scheme() == "https",
        }
    }

    fn chrome(&self, signed_in: bool) -> Chrome<'_> {
        Chrome {
            lang: self.lang,
            self_en: &self.self_en,
            self_nl: &self.self_nl,
            signed_in,
        }
    }

    fn finish(&self, reply: Reply) -> Reply {
        if self.set_lang_cookie && !reply.headers.iter().any(|(n, _)| *n == "Set-Cookie") {
            let value = session::set_cookie(
                session::LANG_COOKIE,
                Some(self.lang.code()),
                self.secure,
                365 * 86_400,
            );
            reply.with_header("Set-Cookie", value)
        } else {
            reply
        }
    }
}

fn admin_token(env: &Env) -> String {
    match env.secret(bindings::ADMIN_TOKEN) {
        Ok(secret) => secret.to_string(),
        Err(_) => {
            console_warn!("ADMIN_TOKEN is not set; owner routes are closed");
            String::new()
        }
    }
}

/// The signed-in owner's name (session cookie), or, for exports, a valid bearer token.
fn owner(req: &Request, env: &Env, now: Timestamp, allow_bearer: bool) -> Option<String> {
    let token = admin_token(env);
    let cookies = header(req, "Cookie");
    if let Some(actor) = session::cookie(cookies.as_deref(), session::COOKIE)
        .and_then(|v| session::verify(&token, v, now))
    {
        return Some(actor);
    }
    let authorization = header(req, "Authorization");
    (allow_bearer
        && reply::bearer_token(authorization.as_deref())
            .is_some_and(|presented| digest::secret_matches(presented, &token)))
    .then(|| "api".to_owned())
}

fn same_origin(req: &Request, ctx: &Ctx) -> bool {
    session::same_origin_post(
        header(req, "Origin").as_deref(),
        header(req, "Sec-Fetch-Site").as_deref(),
        &ctx.own_origin,
    )
}

async fn read_form(req: &mut Request, ctx: &Ctx) -> Result<Form, Failure> {
    reply::check_content_length(header(req, "Content-Length").as_deref(), ctx.lang)?;
    let text = req.text().await?;
    if text.len() > protocol::MAX_BODY_BYTES {
        return Err(ctx.api(ErrorCode::BodyTooLarge));
    }
    Ok(Form::parse(&text))
}

/// Entry point for every path of [`OwnerRoute`].
pub(super) async fn handle(
    req: &mut Request,
    env: &Env,
    ctx: &mut Ctx,
    url: &worker::Url,
    route: OwnerRoute,
) -> Outcome {
    let method = Method::parse(req.method().as_ref());
    let page = Page::new(req, url, &route);
    let get = method == Method::Get || method == Method::Head;
    let post = method == Method::Post;
    let is_api = matches!(
        route,
        OwnerRoute::VerifyApi(_)
            | OwnerRoute::ExportRequestsJson
            | OwnerRoute::ExportRequestsCsv
            | OwnerRoute::ExportConsentCsv
    );
    // CSRF: no state changes from another site, whatever the session.
    if post && !is_api && !same_origin(req, ctx) {
        return Err(ctx.api(ErrorCode::OriginNotAllowed));
    }
    let actor = owner(req, env, ctx.now, is_api);
    if route.needs_owner() && actor.is_none() {
        return if is_api {
            Err(ctx.api(ErrorCode::Unauthorized))
        } else {
            Ok(redirect("/admin/login"))
        };
    }
    let reply = match (route, get, post) {
        (OwnerRoute::Stylesheet, true, _) => Reply {
            status: 200,
            body: Some(html::STYLESHEET.to_owned()),
            headers: Vec::new(),
        }
        .with_header("Content-Type", "text/css; charset=utf-8")
        .with_header("Cache-Control", "public, max-age=300"),
        (OwnerRoute::Login, true, _) => {
            if actor.is_some() {
                redirect("/admin/")
            } else {
                html_reply(200, html::login(&page.chrome(false), false))
            }
        }
        (OwnerRoute::Login, _, true) => {
            let form = read_form(req, ctx).await?;
            let token = admin_token(env);
            if digest::secret_matches(form.get("token").unwrap_or(""), &token) {
                let value = session::issue(&token, form.get("actor").unwrap_or(""), ctx.now);
                redirect("/admin/").with_header(
                    "Set-Cookie",
                    session::set_cookie(
                        session::COOKIE,
                        Some(&value),
                        page.secure,
                        session::SESSION_MS / 1000,
                    ),
                )
            } else {
                html_reply(401, html::login(&page.chrome(false), true))
            }
        }
        (OwnerRoute::Logout, _, true) => redirect("/admin/login").with_header(
            "Set-Cookie",
            session::set_cookie(session::COOKIE, None, page.secure, 0),
        ),
        (OwnerRoute::List, true, _) => list_page(env, &page, url, ctx.now).await?,
        (OwnerRoute::Request { shop, reference }, true, _) => {
            let flash = match query_param(url, "done").as_deref() {
                Some("1") => Some(Flash::Done),
                Some("mail") => Some(Flash::DoneMailPending),
                _ => None,
            };
            detail_page(env, &page, &shop, &reference, flash, ctx.now, 200).await?
        }
        (OwnerRoute::Request { shop, reference }, _, true) => {
            let form = read_form(req, ctx).await?;
            act(
                env,
                &page,
                &shop,
                &reference,
                &form,
                actor.as_deref().unwrap_or("owner"),
                &ctx.own_origin,
                ctx.now,
            )
            .await?
        }
        (OwnerRoute::VerifyPage, true, _) => {
            let reference = query_param(url, "ref").unwrap_or_default();
            let token = query_param(url, "token").unwrap_or_default();
            verify_page(env, &page, &reference, &token, false, ctx.now).await?
        }
        (OwnerRoute::VerifyPage, _, true) => {
            let form = read_form(req, ctx).await?;
            verify_page(
                env,
                &page,
                form.get("ref").unwrap_or(""),
                form.get("token").unwrap_or(""),
                true,
                ctx.now,
            )
            .await?
        }
        // The requester's page: its own language rule, no owner cookie.
        (OwnerRoute::StatusPage, true, _) => return status_page(req, env, ctx, url, false).await,
        (OwnerRoute::StatusPage, _, true) => return status_page(req, env, ctx, url, true).await,
        (OwnerRoute::VerifyApi(reference), _, true) => {
            verify_api(req, env, ctx, &reference).await?
        }
        (OwnerRoute::ExportRequestsJson, true, _) => {
            export_requests(env, url, false, ctx.now).await?
        }
        (OwnerRoute::ExportRequestsCsv, true, _) => {
            export_requests(env, url, true, ctx.now).await?
        }
        (OwnerRoute::ExportConsentCsv, true, _) => export_consent(env, url, ctx.now).await?,
        (route, _, _) => return Ok(Reply::method_not_allowed(route.allow(), ctx.lang)),
    };
    Ok(page.finish(reply))
}

/// Every `req/` key of a shop with its listing metadata.
async fn list_rows(kv: &KvStore, shop: &str) -> Result<Vec<Row>, Failure> {
    let prefix = store::keys::request_prefix(shop);
    let mut rows = Vec::new();
    for key in crate::listing::all_keys(kv, &prefix).await? {
        let Some(reference) = key.name.strip_prefix(&prefix) else {
            continue;
        };
        let Some(meta) = key
            .metadata
            .and_then(|m| serde_json::from_value::<RequestMeta>(m).ok())
        else {
            continue;
        };
        rows.push(Row {
            shop: shop.to_owned(),
            reference: reference.to_owned(),
            meta,
        });
    }
    Ok(rows)
}

async fn list_page(
    env: &Env,
    page: &Page,
    url: &worker::Url,
    now: Timestamp,
) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let filter = Filter::parse(&Form::parse(url.query().unwrap_or("")));
    let kv = kv(env)?;
    let today = now.date();
    let mut rows = Vec::new();
    for shop in shops.iter() {
        rows.extend(
            list_rows(&kv, &shop.id)
                .await?
                .into_iter()
                .filter(|row| filter.matches(row, today)),
        );
    }
    // Most urgent first: open before closed, then by due date.
    rows.sort_by(|a, b| {
        (
            a.meta.status != store::Status::Received,
            &a.meta.due_date,
            &a.reference,
        )
            .cmp(&(
                b.meta.status != store::Status::Received,
                &b.meta.due_date,
                &b.reference,
            ))
    });
    Ok(html_reply(
        200,
        html::list(&page.chrome(true), &shops, &filter, &rows, today),
    ))
}

async fn find_request(
    env: &Env,
    shops: &Shops,
    shop: &str,
    reference: &str,
) -> Result<Option<StoredRequest>, Failure> {
    let (Some(shop), Some(reference)) = (shops.get(shop), reference::parse(reference)) else {
        return Ok(None);
    };
    Ok(records::get_request(&kv(env)?, &keyring(env)?, &shop.id, &reference).await?)
}

async fn detail_page(
    env: &Env,
    page: &Page,
    shop_id: &str,
    reference: &str,
    flash: Option<Flash>,
    now: Timestamp,
    status: u16,
) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let Some(record) = find_request(env, &shops, shop_id, reference).await? else {
        return Ok(html_reply(404, html::message(&page.chrome(true), true)));
    };
    let events = read_events(&kv(env)?, &keyring(env)?, &record.shop, &record.reference).await?;
    let shop_name = shops
        .get(&record.shop)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    Ok(html_reply(
        status,
        html::detail(
            &page.chrome(true),
            &shop_name,
            &record,
            &events,
            flash,
            now.date(),
        ),
    ))
}

/// An owner's action: append the event, store the record if it changed, then mail
/// the requester where the law expects it. Post/redirect/get on success.
#[allow(clippy::too_many_arguments)]
async fn act(
    env: &Env,
    page: &Page,
    shop_id: &str,
    reference: &str,
    form: &Form,
    actor: &str,
    origin: &str,
    now: Timestamp,
) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let Some(mut record) = find_request(env, &shops, shop_id, reference).await? else {
        return Ok(html_reply(404, html::message(&page.chrome(true), true)));
    };
    let applied =
        case::parse_action(form).and_then(|action| case::apply(&mut record, action, actor, now));
    let Applied {
        event,
        record_changed,
        notice,
    } = match applied {
        Ok(applied) => applied,
        Err(error) => {
            return detail_page(
                env,
                page,
                shop_id,
                reference,
                Some(Flash::Error(error)),
                now,
                422,
            )
            .await
        }
    };
    let (kv, keyring) = (kv(env)?, keyring(env)?);
    let event_key = append_event(&kv, &keyring, &record.shop, &record.reference, &event).await?;
    if record_changed {
        records::put_request(&kv, &keyring, &record).await?;
    }
    let mut mail_ok = true;
    if let Some(notice) = notice {
        let entry = NotifyEntry {
            shop: record.shop.clone(),
            reference: record.reference.clone(),
            notice,
            event_key: Some(event_key),
            origin: origin.to_owned(),
            created_at: now.rfc3339(),
        };
        let entry_key = keys::notify(
            &record.shop,
            &record.reference,
            &case::event_seq(now, &random_hex::<4>()?),
        );
        kv.put(&entry_key, to_json(&entry)?)?.execute().await?;
        let shop = shops.get(&record.shop).ok_or_else(|| bug("shop gone"))?;
        let sent = deliver_notice(env, &record, shop, notice, Some(&event), origin, now).await;
        mail_ok = finish_notice(
            &kv,
            &keyring,
            &record,
            &entry_key,
            sent,
            EventKind::RequesterNotified,
            EventKind::RequesterNoticeFailed,
            now,
        )
        .await
        .is_ok();
    }
    let location = format!(
        "/admin/requests/{}/{}?done={}",
        crate::owner::form::encode_component(&record.shop),
        crate::owner::form::encode_component(&record.reference),
        if mail_ok { "1" } else { "mail" }
    );
    Ok(redirect(&location))
}

async fn deliver_notice(
    env: &Env,
    record: &StoredRequest,
    shop: &Shop,
    notice: Notice,
    event: Option<&CaseEvent>,
    origin: &str,
    now: Timestamp,
) -> Result<(), Failure> {
    let status_url = status::status_url(origin, &record.reference, record.lang);
    let links = notice::Links {
        status_url: Some(&status_url),
        ..notice::Links::default()
    };
    let mail = notice::requester_mail(notice, record, shop, &mail_from(env)?, event, links)
        .ok_or_else(|| bug("the requester's address cannot be used"))?;
    Mailer::from_env(env)?.send(env, &mail, now).await?;
    Ok(())
}

/// Finds a request by reference in any shop (references are unique).
async fn find_any(
    env: &Env,
    shops: &Shops,
    reference: &str,
) -> Result<Option<StoredRequest>, Failure> {
    let Some(reference) = reference::parse(reference) else {
        return Ok(None);
    };
    let (kv, keyring) = (kv(env)?, keyring(env)?);
    for shop in shops.iter() {
        if let Some(record) = records::get_request(&kv, &keyring, &shop.id, &reference).await? {
            return Ok(Some(record));
        }
    }
    Ok(None)
}

/// Uses a verification token; stores the record and the event when it verified.
async fn use_token(
    env: &Env,
    record: &mut StoredRequest,
    token: &str,
    now: Timestamp,
) -> Result<VerifyOutcome, Failure> {
    let outcome = case::verify_email(record, token, now);
    if outcome == VerifyOutcome::Verified {
        let (kv, keyring) = (kv(env)?, keyring(env)?);
        records::put_request(&kv, &keyring, record).await?;
        append_event(
            &kv,
            &keyring,
            &record.shop,
            &record.reference,
            &CaseEvent::new(now, case::REQUESTER, EventKind::EmailVerified),
        )
        .await?;
    }
    Ok(outcome)
}

async fn verify_page(
    env: &Env,
    page: &Page,
    reference: &str,
    token: &str,
    confirm: bool,
    now: Timestamp,
) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let found = find_any(env, &shops, reference).await?;
    let lang_from_record = |record: &StoredRequest| {
        if page.set_lang_cookie {
            page.lang
        } else {
            record.lang
        }
    };
    let Some(mut record) = found else {
        let chrome = page.chrome(false);
        return Ok(html_reply(
            404,
            html::verify_page(&chrome, "", reference, token, Some(VerifyOutcome::Invalid)),
        ));
    };
    let lang = lang_from_record(&record);
    let chrome = Chrome {
        lang,
        ..page.chrome(false)
    };
    let shop_name = shops
        .get(&record.shop)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    if !confirm {
        return Ok(html_reply(
            200,
            html::verify_page(&chrome, &shop_name, &record.reference, token, None),
        ));
    }
    let outcome = use_token(env, &mut record, token, now).await?;
    let status = match outcome {
        VerifyOutcome::Verified | VerifyOutcome::AlreadyVerified => 200,
        VerifyOutcome::Expired => 410,
        VerifyOutcome::Invalid => 404,
    };
    Ok(html_reply(
        status,
        html::verify_page(&chrome, &shop_name, &record.reference, token, Some(outcome)),
    ))
}

/// `GET /request-status?ref=&lang=`: the form. `POST /request-status` (`ref`,
/// `email`, `lang` in the body, never in a URL): where the request stands, only
/// for whoever knows the requester's address (checked in constant time against
/// the stored proof, as the JSON status route does). An unknown reference and a
/// wrong address get the same answer: the form again, 200. Language: `lang` (the
/// query, or the form's hidden field), else `Accept-Language`.
async fn status_page(
    req: &mut Request,
    env: &Env,
    ctx: &Ctx,
    url: &worker::Url,
    post: bool,
) -> Outcome {
    let query = Form::parse(url.query().unwrap_or(""));
    let form = if post {
        read_form(req, ctx).await?
    } else {
        Form::default()
    };
    let source = if post { &form } else { &query };
    let lang = source
        .get("lang")
        .or_else(|| query.get("lang"))
        .map(Lang::from_tag)
        .unwrap_or_else(|| reply::request_lang(header(req, "Accept-Language").as_deref()));
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
        html_reply(200, body(&chrome))
    };
    if !post {
        return Ok(render(&typed_ref, &|chrome| {
            status::form_page(chrome, &typed_ref, "", false)
        }));
    }
    let shops = load_shops(env)?;
    let found = find_any(env, &shops, &typed_ref).await?;
    let matched = match found {
        Some(record)
            if !email.is_empty()
                && digest::email_proof_matches(&record.reference, email, &record.email_proof) =>
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

async fn verify_api(
    req: &mut Request,
    env: &Env,
    ctx: &mut Ctx,
    reference: &str,
) -> Result<Reply, Failure> {
    let body = super::read_json_body(req, ctx).await?;
    let body: VerifyBody =
        serde_json::from_slice(&body).map_err(|_| ctx.api(ErrorCode::InvalidJson))?;
    let shops = load_shops(env)?;
    let not_found = || Failure::Api(ApiError::new(ErrorCode::NotFound, ctx.lang));
    let mut record = find_any(env, &shops, reference)
        .await?
        .ok_or_else(not_found)?;
    match use_token(env, &mut record, &body.token, ctx.now).await? {
        VerifyOutcome::Verified | VerifyOutcome::AlreadyVerified => Ok(Reply::json(
            200,
            &Verified {
                reference: record.reference.clone(),
                email_verified: true,
            },
        )),
        VerifyOutcome::Expired | VerifyOutcome::Invalid => Err(not_found()),
    }
}

fn chosen_shops<'a>(shops: &'a Shops, url: &worker::Url) -> Result<Vec<&'a Shop>, Failure> {
    match query_param(url, "shop").filter(|s| !s.is_empty()) {
        Some(id) => Ok(vec![shops.get(&id).ok_or_else(|| {
            Failure::Api(ApiError::new(ErrorCode::UnknownShop, Lang::En))
        })?]),
        None => Ok(shops.iter().collect()),
    }
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

async fn export_requests(
    env: &Env,
    url: &worker::Url,
    csv: bool,
    now: Timestamp,
) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let (kv, keyring) = (kv(env)?, keyring(env)?);
    let mut all = Vec::new();
    let mut anonymised = Vec::new();
    // References of records that cannot be opened (e.g. sealed with a key that is
    // no longer configured): named, so the owner knows, and never a failed export.
    let mut unreadable = Vec::new();
    for shop in chosen_shops(&shops, url)? {
        let prefix = store::keys::request_prefix(&shop.id);
        for key in list_keys(&kv, &prefix).await? {
            match records::get_request_at(&kv, &keyring, &key).await {
                Ok(Some(record)) => all.push(record),
                Ok(None) => {}
                Err(error) => {
                    console_warn!(
                        "{} not readable, listed as unreadable in the export: {}",
                        key,
                        redact::addresses(&error.to_string())
                    );
                    unreadable.push(key.strip_prefix(&prefix).unwrap_or(&key).to_owned());
                }
            }
        }
        if !csv {
            for key in list_keys(&kv, &keys::anonymised_prefix(&shop.id)).await? {
                if let Some(record) = kv.get(&key).json::<case::AnonymisedRequest>().await? {
                    anonymised.push(record);
                }
            }
        }
    }
    super::mark_mail_pending(&kv, &mut all).await?;
    if csv {
        return Ok(download(
            crate::owner::csv::requests(&all),
            "text/csv; charset=utf-8",
            "requests.csv",
            now,
        ));
    }
    let mut requests = Vec::new();
    for record in &all {
        let mut value = serde_json::to_value(record).map_err(bug)?;
        let history = read_events(&kv, &keyring, &record.shop, &record.reference).await?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "history".into(),
                serde_json::to_value(history).map_err(bug)?,
            );
        }
        requests.push(value);
    }
    let body = serde_json::json!({
        "exported_at": now.rfc3339(),
        "requests": requests,
        "anonymised": anonymised,
        "unreadable": unreadable,
    });
    Ok(download(
        body.to_string(),
        "application/json; charset=utf-8",
        "requests.json",
        now,
    ))
}

async fn export_consent(env: &Env, url: &worker::Url, now: Timestamp) -> Result<Reply, Failure> {
    let shops = load_shops(env)?;
    let kv = kv(env)?;
    let mut all = Vec::new();
    for shop in chosen_shops(&shops, url)? {
        for key in list_keys(&kv, &store::keys::consent_prefix(&shop.id)).await? {
            if let Some(record) = kv.get(&key).json::<StoredConsent>().await? {
                all.push(record);
            }
        }
    }
    Ok(download(
        crate::owner::csv::consent(&all),
        "text/csv; charset=utf-8",
        "consent.csv",
        now,
    ))
}

// ---------------------------------------------------------------------------
// Cron.

/// What one step of a scheduled run did, for the log (counts only, no personal data).
#[derive(Default)]
pub(super) struct Tally {
    pub done: u32,
    pub failed: u32,
}

impl Tally {
    /// Counts one item's outcome; a failure is logged (reference and code, nothing
    /// personal) and the run goes on with the next item.
    pub(super) fn count(&mut self, step: &str, item: &str, outcome: Result<bool, Failure>) {
        match outcome {
            Ok(true) => self.done += 1,
            Ok(false) => {}
            Err(failure) => {
                self.failed += 1;
                console_warn!("cron {}: {} skipped: {}", step, item, describe(&failure));
            }
        }
    }
}

/// The owner's part of the scheduled run, at the event's scheduled time: retry
/// mail to requesters, expire unverified requests, remind the privacy contacts,
/// purge closed requests past retention. Every request is handled on its own: one
/// that cannot be read or written is logged and counted, and the others and the
/// later steps still run.
pub(super) async fn scheduled(env: &Env, now: Timestamp) -> Result<(), Failure> {
    let policy = policy(env)?;
    let shops = load_shops(env)?;
    let (kv, keyring) = (kv(env)?, keyring(env)?);
    let mail_from = mail_from(env)?;
    let notices = retry_notices(env, &kv, &keyring, &shops, &policy, now).await;
    let today = now.date();
    let (mut expired, mut purged, mut reminded) =
        (Tally::default(), Tally::default(), Tally::default());
    for shop in shops.iter() {
        let rows = match list_rows(&kv, &shop.id).await {
            Ok(rows) => rows,
            Err(failure) => {
                console_warn!(
                    "cron: requests of {} not listed: {}",
                    shop.id,
                    describe(&failure)
                );
                continue;
            }
        };
        let mut due = Vec::new();
        for row in rows {
            match cron::task(&row, today, &policy) {
                None => {}
                Some(Task::Expire) => {
                    let outcome = expire(&kv, &keyring, &row, now).await;
                    expired.count("expire", &row.reference, outcome);
                }
                Some(Task::Purge) => {
                    let outcome = purge(&kv, &keyring, &shop.id, &row.reference, now).await;
                    purged.count("purge", &row.reference, outcome.map(|()| true));
                }
                Some(Task::Remind(urgency)) => {
                    let marker = keys::reminded(&shop.id, &row.reference, &today.iso());
                    match kv.get(&marker).text().await {
                        Ok(Some(_)) => {}
                        Ok(None) => due.push((
                            marker,
                            ReminderItem {
                                reference: row.reference.clone(),
                                right: row.meta.right,
                                due_date: row.meta.due_date.clone(),
                                urgency,
                            },
                        )),
                        Err(error) => reminded.count("remind", &row.reference, Err(error.into())),
                    }
                }
            }
        }
        if !due.is_empty() {
            remind(
                env,
                &kv,
                &keyring,
                shop,
                &mail_from,
                &due,
                now,
                &mut reminded,
            )
            .await;
        }
    }
    console_log!(
        "owner cron: mail to requesters {} sent, {} failed; {} reminded, {} failed; {} expired, {} failed; {} purged, {} failed",
        notices.done,
        notices.failed,
        reminded.done,
        reminded.failed,
        expired.done,
        expired.failed,
        purged.done,
        purged.failed
    );
    Ok(())
}

/// Closes one unverified request as expired; `false` when it needed nothing.
async fn expire(
    kv: &KvStore,
    keyring: &Keyring,
    row: &Row,
    now: Timestamp,
) -> Result<bool, Failure> {
    let Some(mut record) = records::get_request(kv, keyring, &row.shop, &row.reference).await?
    else {
        return Ok(false);
    };
    let Some(event) = case::expire_unverified(&mut record, now) else {
        return Ok(false);
    };
    append_event(kv, keyring, &row.shop, &row.reference, &event).await?;
    records::put_request(kv, keyring, &record).await?;
    Ok(true)
}

/// One digest mail to the shop's privacy contact; then, per request, the marker
/// that keeps it out of today's later runs and its history event.
#[allow(clippy::too_many_arguments)]
async fn remind(
    env: &Env,
    kv: &KvStore,
    keyring: &Keyring,
    shop: &Shop,
    mail_from: &str,
    due: &[(String, ReminderItem)],
    now: Timestamp,
    tally: &mut Tally,
) {
    let list: Vec<ReminderItem> = due.iter().map(|(_, item)| item.clone()).collect();
    let mail = notice::reminder_mail(shop, mail_from, &list);
    if let Err(error) = send_binding(env, bindings::EMAIL, &mail, now).await {
        console_warn!(
            "reminder for {} not sent: {}",
            shop.id,
            redact::addresses(&error.to_string())
        );
        tally.failed += due.len() as u32;
        return;
    }
    for (marker, item) in due {
        let outcome = async {
            // Kept past the day, so a run just after midnight UTC still sees it.
            kv.put(marker, "1")?
                .expiration_ttl(3 * 86_400)
                .execute()
                .await?;
            let event = CaseEvent::new(now, case::SYSTEM, EventKind::Reminded);
            append_event(kv, keyring, &shop.id, &item.reference, &event).await?;
            Ok(true)
        }
        .await;
        tally.count("remind", &item.reference, outcome);
    }
}

/// Replaces a closed request by its anonymised record and deletes everything
/// personal about it (record, history with its notes, queued mail, blind index).
async fn purge(
    kv: &KvStore,
    keyring: &Keyring,
    shop: &str,
    reference: &str,
    now: Timestamp,
) -> Result<(), Failure> {
    let Some(record) = records::get_request(kv, keyring, shop, reference).await? else {
        return Ok(());
    };
    let anonymised = case::anonymise(&record, now);
    let key = keys::anonymised(shop, &anonymised.closed, &random_hex::<8>()?);
    kv.put(&key, to_json(&anonymised)?)?.execute().await?;
    let mut doomed = list_keys(kv, &keys::event_prefix(shop, reference)).await?;
    doomed.extend(list_keys(kv, &keys::notify_prefix(shop, reference)).await?);
    doomed.extend(list_keys(kv, &store::keys::outbox_prefix(reference)).await?);
    doomed.push(store::keys::email_index(
        shop,
        &keyring.email_index(shop, &record.email),
        reference,
    ));
    for key in doomed {
        kv.delete(&key).await?;
    }
    kv.delete(&store::keys::request(shop, reference)).await?;
    Ok(())
}

/// Sends what is left in the requester mail queue, each entry on its own. A
/// verification mail gets a fresh token (only hashes are stored, so the old link
/// cannot be rebuilt).
async fn retry_notices(
    env: &Env,
    kv: &KvStore,
    keyring: &Keyring,
    shops: &Shops,
    policy: &RequestPolicy,
    now: Timestamp,
) -> Tally {
    let mut tally = Tally::default();
    let queued = match list_keys(kv, keys::NOTIFY_PREFIX).await {
        Ok(queued) => queued,
        Err(failure) => {
            tally.count("notify", "the queue", Err(failure));
            return tally;
        }
    };
    for key in queued {
        let outcome = retry_notice(env, kv, keyring, shops, policy, &key, now).await;
        tally.count("notify", &key, outcome);
    }
    tally
}

/// One queued mail to a requester; `Ok(false)` when there was nothing to send.
async fn retry_notice(
    env: &Env,
    kv: &KvStore,
    keyring: &Keyring,
    shops: &Shops,
    policy: &RequestPolicy,
    key: &str,
    now: Timestamp,
) -> Result<bool, Failure> {
    let Some(entry) = kv.get(key).json::<NotifyEntry>().await? else {
        return Ok(false);
    };
    let Some(shop) = shops.get(&entry.shop) else {
        return Ok(false);
    };
    let Some(mut record) = records::get_request(kv, keyring, &shop.id, &entry.reference).await?
    else {
        kv.delete(key).await?;
        return Ok(false);
    };
    let sent = match entry.notice {
        Notice::Verify => {
            if record.status != store::Status::Received || record.case.email_verified() {
                kv.delete(key).await?;
                return Ok(false);
            }
            let token = random_hex::<24>()?;
            case::start_email_check(&mut record, &token, now, policy);
            records::put_request(kv, keyring, &record).await?;
            deliver_verification(env, &record, shop, &token, &entry.origin, now).await
        }
        notice => {
            let event = match &entry.event_key {
                Some(event_key) => get_event(kv, keyring, event_key).await?,
                None => None,
            };
            deliver_notice(
                env,
                &record,
                shop,
                notice,
                event.as_ref(),
                &entry.origin,
                now,
            )
            .await
        }
    };
    let (ok, failed) = match entry.notice {
        Notice::Verify => (
            EventKind::VerificationMailSent,
            EventKind::VerificationMailFailed,
        ),
        _ => (
            EventKind::RequesterNotified,
            EventKind::RequesterNoticeFailed,
        ),
    };
    sent?;
    finish_notice(kv, keyring, &record, key, Ok(()), ok, failed, now).await?;
    Ok(true)
}
