//! The whole edge as two functions a test can call: [`handle`] answers one HTTP
//! request and [`scheduled`](crate::cron::run::scheduled) runs the cron, both
//! against the platform's traits (`crate::platform`). The shell only translates.

mod dispatch;
pub mod failure;

use protocol::{ErrorCode, Lang};

use std::cell::RefCell;
use std::rc::Rc;

use crate::config::{validate_mail_from, validate_shops, ShopEntry, Shops};
use crate::http::form::Form;
use crate::http::reply::{self, Reply};
use crate::owner::settings::{self, MailerChoice, RequestPolicy};
use crate::platform::{Entropy, Guard, Level, Log, Mailer, PlatformError, Store, Vars};
use crate::store::crypto::Keyring;
use crate::store::digest;
use crate::time::Timestamp;
use crate::{bindings, redact};

pub use failure::{Failure, Fault, Outcome, Surface};

thread_local! {
    /// The last `SHOPS` text and what it parsed to (see [`App::shops`]).
    static PARSED_SHOPS: RefCell<Option<(String, Rc<Shops>)>> = const { RefCell::new(None) };
}

/// The platform the core runs on: storage, mail, abuse guards, configuration,
/// randomness and a log.
pub struct App<'a, S, M, G> {
    pub store: &'a S,
    pub mailer: &'a M,
    pub guard: &'a G,
    pub vars: &'a dyn Vars,
    pub entropy: &'a dyn Entropy,
    pub log: &'a dyn Log,
    /// Outbound HTTP to the shops' platforms (Shopify's Admin API).
    pub outbound: &'a dyn crate::platform::Outbound,
}

/// A request's body as the shell read it: at most `protocol::MAX_BODY_BYTES`
/// (the shell stops reading beyond that, whatever `Content-Length` claims).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Body {
    Complete(Vec<u8>),
    TooLarge,
    /// The platform failed while reading it.
    Broken(String),
}

/// An HTTP request as plain data.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Request {
    pub method: String,
    /// The Worker's own origin, `scheme://host[:port]`.
    pub origin: String,
    /// The URL's path, still percent-encoded.
    pub path: String,
    /// The URL's query without `?` (empty if none).
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Request {
    /// The first header of that name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn query(&self) -> Form {
        Form::parse(&self.query)
    }

    pub fn secure(&self) -> bool {
        self.origin.starts_with("https:")
    }
}

/// Work the core hands back to be done after the answer is sent (the Worker runs
/// it with `waitUntil`). Nothing in it is needed for the answer, and all of it is
/// already queued in KV before the answer, so if it never runs the cron does it.
pub enum Followup {
    /// Mail a new rights request to the privacy contact, then the requester's
    /// verification link (`verify_token` is the link's secret, whose hash is
    /// stored; `verify_entry` its queue entry).
    NewRequest {
        stored: Box<crate::store::StoredRequest>,
        verify_token: String,
        verify_entry: String,
    },
}

/// Answers one request at `now` and does its follow-up work before returning: for
/// callers that have nothing to answer early with (host tests, the cron).
pub async fn handle<S: Store, M: Mailer, G: Guard>(
    app: &App<'_, S, M, G>,
    request: &Request,
    now: Timestamp,
) -> Reply {
    let (reply, followups) = respond(app, request, now).await;
    follow_up(app, followups, now).await;
    reply
}

/// Answers one request at `now`, and says what is left to do once the answer is
/// out ([`follow_up`]). Every answer, errors included, comes back as a [`Reply`]
/// with its final headers; an infrastructure failure is logged (without personal
/// data) and answered as an opaque 500.
pub async fn respond<S: Store, M: Mailer, G: Guard>(
    app: &App<'_, S, M, G>,
    request: &Request,
    now: Timestamp,
) -> (Reply, Vec<Followup>) {
    let mut ctx = Ctx {
        lang: reply::request_lang(request.header("Accept-Language")),
        cors: Vec::new(),
        now,
        surface: Surface::Api,
        followups: Vec::new(),
    };
    let reply = match app.route(request, &mut ctx).await {
        Ok(reply) => reply,
        Err(failure) => {
            if let Failure::Fault(fault) = &failure {
                app.log(
                    Level::Error,
                    &format!(
                        "internal error on {} {}: {}",
                        request.method,
                        request.path,
                        redact::addresses(&fault.to_string())
                    ),
                );
            }
            failure.reply(&ctx)
        }
    };
    let mut headers = std::mem::take(&mut ctx.cors);
    headers.extend(reply.headers.iter().cloned());
    (Reply { headers, ..reply }.finish(), ctx.followups)
}

/// Does what [`respond`] left for after the answer. Never fails: what cannot be
/// sent stays queued (outbox, requester queue) for the cron.
pub async fn follow_up<S: Store, M: Mailer, G: Guard>(
    app: &App<'_, S, M, G>,
    followups: Vec<Followup>,
    now: Timestamp,
) {
    for followup in followups {
        match followup {
            Followup::NewRequest {
                stored,
                verify_token,
                verify_entry,
            } => {
                app.mail_new_request(*stored, &verify_token, &verify_entry, now)
                    .await
            }
        }
    }
}

/// Per-request state the error path needs too.
pub(crate) struct Ctx {
    /// Language for messages: `Accept-Language`, then the body's `lang` once parsed.
    pub lang: Lang,
    /// CORS headers to put on every answer, errors included, so the widget can read them.
    pub cors: Vec<(&'static str, String)>,
    pub now: Timestamp,
    /// Whether failures answer as the API's JSON or as a page.
    pub surface: Surface,
    /// Work for after the answer ([`follow_up`]).
    pub followups: Vec<Followup>,
}

impl Ctx {
    pub fn api(&self, code: ErrorCode) -> Failure {
        Failure::Answer(protocol::ApiError::new(code, self.lang))
    }
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    pub(crate) fn log(&self, level: Level, line: &str) {
        self.log.log(level, line);
    }

    pub(crate) fn warn(&self, line: &str) {
        self.log(Level::Warn, line);
    }

    fn var(&self, name: &str) -> Option<String> {
        self.vars.var(name)
    }

    /// `SHOPS`, validated; a missing or invalid configuration is a fault (500).
    /// Parsed once per isolate and kept for as long as the var's text is the same:
    /// parsing and validating the demo's 14 KB took 109 µs natively, and a request
    /// may ask more than once (an invalid var is parsed again each time, so its
    /// fault is reported on every request).
    pub(crate) fn shops(&self) -> Result<Rc<Shops>, Fault> {
        let json = self
            .var(bindings::SHOPS)
            .ok_or_else(|| Fault::Config("the SHOPS var is not set".into()))?;
        if let Some(shops) = PARSED_SHOPS.with(|cell| {
            cell.borrow()
                .as_ref()
                .filter(|(text, _)| *text == json)
                .map(|(_, shops)| Rc::clone(shops))
        }) {
            return Ok(shops);
        }
        let entries: Vec<ShopEntry> = serde_json::from_str(&json)
            .map_err(|error| Fault::Config(format!("SHOPS: {error}")))?;
        let shops =
            Rc::new(validate_shops(entries).map_err(|error| Fault::Config(error.to_string()))?);
        PARSED_SHOPS.with(|cell| *cell.borrow_mut() = Some((json, Rc::clone(&shops))));
        Ok(shops)
    }

    pub(crate) fn mail_from(&self) -> Result<String, Fault> {
        let value = self
            .var(bindings::MAIL_FROM)
            .ok_or_else(|| Fault::Config("the MAIL_FROM var is not set".into()))?;
        validate_mail_from(&value).map_err(|error| Fault::Config(error.to_string()))
    }

    /// The origin links in mail start with: the `PUBLIC_ORIGIN` var, https (plain
    /// http only on loopback, for local runs). Never the request's `Host`, which
    /// anyone can set.
    pub(crate) fn public_origin(&self) -> Result<String, Fault> {
        let value = self
            .var(bindings::PUBLIC_ORIGIN)
            .ok_or_else(|| Fault::Config("the PUBLIC_ORIGIN var is not set".into()))?;
        settings::parse_public_origin(&value).map_err(Fault::Config)
    }

    pub(crate) fn policy(&self) -> Result<RequestPolicy, Fault> {
        settings::parse_policy(self.var(bindings::REQUESTS).as_deref()).map_err(Fault::Config)
    }

    /// The keyring from the secrets. Missing or malformed keys are an operator's
    /// mistake: the error names the secret, never a value.
    pub(crate) fn keyring(&self) -> Result<Keyring, Fault> {
        let secret = |name: &str| self.vars.secret(name);
        Keyring::from_secrets(
            secret(bindings::DATA_KEY).as_deref(),
            secret(bindings::DATA_KEYS_OLD).as_deref(),
            secret(bindings::INDEX_KEY).as_deref(),
        )
        .map_err(|error| Fault::Config(error.to_string()))
    }

    /// The owner's secret, if it is set and at least
    /// [`MIN_SECRET_CHARS`](crate::owner::session::MIN_SECRET_CHARS) long; without
    /// it the owner routes stay closed (and the login page says why).
    pub(crate) fn admin_token(&self) -> Option<String> {
        match self.vars.secret(bindings::ADMIN_TOKEN) {
            Some(secret) if crate::owner::session::secret_strong_enough(&secret) => Some(secret),
            Some(_) => {
                self.warn("ADMIN_TOKEN is shorter than 32 characters; owner routes are closed");
                None
            }
            None => {
                self.warn("ADMIN_TOKEN is not set; owner routes are closed");
                None
            }
        }
    }

    /// How mail to requesters leaves: `REQUESTER_MAILER`, `MAIL_API_URL`, `MAIL_API_KEY`.
    pub(crate) fn requester_transport(&self) -> Result<RequesterTransport, Fault> {
        let choice = settings::parse_mailer(
            self.var(bindings::REQUESTER_MAILER).as_deref(),
            self.var(bindings::MAIL_API_URL).as_deref(),
        )
        .map_err(Fault::Config)?;
        Ok(match choice {
            MailerChoice::SendEmail => RequesterTransport::SendEmail,
            MailerChoice::HttpApi { url } => RequesterTransport::Http {
                url,
                key: self
                    .vars
                    .secret(bindings::MAIL_API_KEY)
                    .ok_or_else(|| Fault::Config("MAIL_API_KEY is not set".into()))?,
            },
        })
    }

    /// `N` random bytes.
    pub(crate) fn random<const N: usize>(&self) -> Result<[u8; N], Fault> {
        let mut out = [0u8; N];
        self.entropy.fill(&mut out)?;
        Ok(out)
    }

    /// Lower-case hex of `N` random bytes, for ids and tokens.
    pub(crate) fn random_hex<const N: usize>(&self) -> Result<String, Fault> {
        Ok(digest::hex(&self.random::<N>()?))
    }

    /// The body of a JSON route: `application/json`, at most `MAX_BODY_BYTES`.
    pub(crate) fn json_body<'r>(
        &self,
        request: &'r Request,
        ctx: &Ctx,
    ) -> Result<&'r [u8], Failure> {
        if !reply::is_json_content_type(request.header("Content-Type")) {
            return Err(ctx.api(ErrorCode::UnsupportedMediaType));
        }
        self.body(request, ctx)
    }

    /// The body of a form post (`application/x-www-form-urlencoded`).
    pub(crate) fn form_body(&self, request: &Request, ctx: &Ctx) -> Result<Form, Failure> {
        let body = self.body(request, ctx)?;
        Ok(Form::parse(&String::from_utf8_lossy(body)))
    }

    /// The body of the order-export upload: the declared length against
    /// `access::UPLOAD_BODY_BYTES` (the shell reads that much on this route);
    /// `None` when it is too large (the page then says how large it may be).
    pub(crate) fn upload_body<'r>(
        &self,
        request: &'r Request,
    ) -> Result<Option<&'r [u8]>, Failure> {
        let declared = request
            .header("Content-Length")
            .and_then(|value| value.trim().parse::<u64>().ok());
        if declared.is_some_and(|length| length > crate::access::UPLOAD_BODY_BYTES as u64) {
            return Ok(None);
        }
        match &request.body {
            Body::Complete(bytes) => Ok(Some(bytes)),
            Body::TooLarge => Ok(None),
            Body::Broken(error) => Err(Fault::Platform(PlatformError(error.clone())).into()),
        }
    }

    /// The declared length is checked first, then what the shell actually read.
    fn body<'r>(&self, request: &'r Request, ctx: &Ctx) -> Result<&'r [u8], Failure> {
        reply::check_content_length(request.header("Content-Length"), ctx.lang)?;
        match &request.body {
            Body::Complete(bytes) => Ok(bytes),
            Body::TooLarge => Err(ctx.api(ErrorCode::BodyTooLarge)),
            Body::Broken(error) => Err(Fault::Platform(PlatformError(error.clone())).into()),
        }
    }
}

/// How mail to requesters is sent, from the configuration.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum RequesterTransport {
    SendEmail,
    Http { url: String, key: String },
}
