//! `desk`'s platform traits over the Workers runtime: KV, send_email and the HTTP
//! mail API, the rate-limit bindings and Turnstile's siteverify, vars and secrets,
//! `crypto.getRandomValues`, the console, and outbound `fetch` with a timeout.

use desk::bindings;
use desk::platform::{
    Entropy, Envelope, Fetched, Guard, HttpAnswer, HttpError, Level, ListPage, Listed, Log, Mailer,
    Outbound, PlatformError, Put, Store, Vars,
};
use futures_util::future::{select, Either};
use worker::{js_sys, AbortController, EmailMessage, Env, Headers, KvStore, Request};

/// Everything `desk` needs from this Worker, for one request or cron run.
pub struct Platform<'a> {
    store: Kv,
    mailer: Mail<'a>,
    guard: Guards<'a>,
    vars: Settings<'a>,
}

impl<'a> Platform<'a> {
    pub fn new(env: &'a Env) -> Platform<'a> {
        Platform {
            store: Kv::new(env),
            mailer: Mail(env),
            guard: Guards(env),
            vars: Settings(env),
        }
    }

    pub fn app(&self) -> desk::App<'_, Kv, Mail<'a>, Guards<'a>> {
        desk::App {
            store: &self.store,
            mailer: &self.mailer,
            guard: &self.guard,
            vars: &self.vars,
            entropy: &RandomValues,
            log: &Console,
            outbound: &Fetcher,
        }
    }
}

fn platform(error: impl std::fmt::Display) -> PlatformError {
    PlatformError(error.to_string())
}

/// The `KV` namespace; a missing binding fails each call (a 500), as before.
pub struct Kv(Result<KvStore, PlatformError>);

impl Kv {
    pub fn new(env: &Env) -> Kv {
        Kv(env.kv(bindings::KV).map_err(platform))
    }

    fn kv(&self) -> Result<&KvStore, PlatformError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

impl Store for Kv {
    async fn get(&self, key: &str) -> Result<Option<String>, PlatformError> {
        self.kv()?.get(key).text().await.map_err(platform)
    }

    async fn put(&self, key: &str, value: &str, options: Put) -> Result<(), PlatformError> {
        let mut put = self.kv()?.put(key, value).map_err(platform)?;
        if let Some(metadata) = options.metadata {
            put = put.metadata(metadata).map_err(platform)?;
        }
        if let Some(ttl) = options.ttl_seconds {
            put = put.expiration_ttl(ttl);
        }
        put.execute().await.map_err(platform)
    }

    async fn delete(&self, key: &str) -> Result<(), PlatformError> {
        self.kv()?.delete(key).await.map_err(platform)
    }

    async fn list(&self, prefix: &str, cursor: Option<&str>) -> Result<ListPage, PlatformError> {
        let mut list = self.kv()?.list().prefix(prefix.to_owned());
        if let Some(cursor) = cursor {
            list = list.cursor(cursor.to_owned());
        }
        let page = list.execute().await.map_err(platform)?;
        Ok(ListPage {
            keys: page
                .keys
                .into_iter()
                .map(|key| Listed {
                    name: key.name,
                    metadata: key.metadata,
                })
                .collect(),
            cursor: page.cursor.filter(|_| !page.list_complete),
        })
    }
}

/// send_email bindings and the HTTP mail API.
pub struct Mail<'a>(pub &'a Env);

impl Mailer for Mail<'_> {
    async fn send(&self, mail: &Envelope) -> Result<(), PlatformError> {
        match mail {
            Envelope::Binding {
                binding,
                from,
                to,
                raw,
            } => {
                let js = |error: worker::js_sys::Error| platform(worker::Error::from(error));
                let message = EmailMessage::new(from, to, raw).map_err(js)?;
                let sender = self.0.send_email(binding).map_err(platform)?;
                sender.send(&message).await.map_err(js)?;
                Ok(())
            }
            Envelope::Http { url, key, body } => {
                let headers = Headers::new();
                headers
                    .set("Content-Type", "application/json")
                    .map_err(platform)?;
                headers
                    .set("Authorization", &format!("Bearer {key}"))
                    .map_err(platform)?;
                let answer = post(url, headers, body).await?;
                match answer.status_code() {
                    200..=299 => Ok(()),
                    status => Err(PlatformError(format!("mail API answered {status}"))),
                }
            }
        }
    }
}

async fn post(url: &str, headers: Headers, body: &str) -> Result<worker::Response, PlatformError> {
    let request = post_request(url, &headers, body).map_err(platform)?;
    worker::Fetch::Request(request)
        .send()
        .await
        .map_err(platform)
}

/// A POST with these headers and body, built on `web_sys` directly: `worker`'s
/// `RequestInit` also converts its `cf` properties, whose code (about 11 KB raw
/// in the Worker, measured in ARCHITECTURE.md "Worker weight after access
/// answers") we never use.
fn post_request(url: &str, headers: &Headers, body: &str) -> worker::Result<Request> {
    use worker::web_sys;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers.0);
    init.set_body(&body.into());
    web_sys::Request::new_with_str_and_init(url, &init)
        .map(Request::from)
        .map_err(|e| {
            worker::Error::JsError(
                e.as_string()
                    .unwrap_or_else(|| "invalid URL or options for Request".to_owned()),
            )
        })
}

/// The rate-limit bindings and Turnstile's siteverify.
pub struct Guards<'a>(pub &'a Env);

impl Guard for Guards<'_> {
    async fn within_limit(
        &self,
        binding: &'static str,
        client: &str,
    ) -> Result<bool, PlatformError> {
        let limiter = self
            .0
            .rate_limiter(binding)
            .map_err(|_| PlatformError(format!("{binding} is not bound")))?;
        let outcome = limiter.limit(client.to_owned()).await.map_err(platform)?;
        Ok(outcome.success)
    }

    async fn siteverify(&self, url: &str, form: &str) -> Result<(u16, Vec<u8>), PlatformError> {
        let headers = Headers::new();
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(platform)?;
        let mut answer = post(url, headers, form).await?;
        let status = answer.status_code();
        Ok((status, answer.bytes().await.unwrap_or_default()))
    }
}

/// Vars (a table or array var comes as its JSON: `Env::object_var` refuses arrays)
/// and secrets.
pub struct Settings<'a>(pub &'a Env);

impl Vars for Settings<'_> {
    fn var(&self, name: &str) -> Option<String> {
        let value = js_sys::Reflect::get(self.0.as_ref(), &name.into()).ok()?;
        if value.is_undefined() || value.is_null() {
            return None;
        }
        match value.as_string() {
            Some(text) => Some(text),
            None => js_sys::JSON::stringify(&value).ok().map(String::from),
        }
    }

    fn secret(&self, name: &str) -> Option<String> {
        self.0.secret(name).ok().map(|secret| secret.to_string())
    }
}

/// `crypto.getRandomValues`.
pub struct RandomValues;

impl Entropy for RandomValues {
    fn fill(&self, out: &mut [u8]) -> Result<(), PlatformError> {
        let js = |error: worker::wasm_bindgen::JsValue| PlatformError(format!("{error:?}"));
        let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).map_err(js)?;
        let get_random_values: js_sys::Function =
            js_sys::Reflect::get(&crypto, &"getRandomValues".into())
                .map_err(js)?
                .into();
        let array = js_sys::Uint8Array::new_with_length(out.len() as u32);
        get_random_values.call1(&crypto, &array).map_err(js)?;
        array.copy_to(out);
        Ok(())
    }
}

/// The Workers console.
pub struct Console;

impl Log for Console {
    fn log(&self, level: Level, line: &str) {
        match level {
            Level::Info => worker::console_log!("{}", line),
            Level::Warn => worker::console_warn!("{}", line),
            Level::Error => worker::console_error!("{}", line),
        }
    }
}

/// Outbound `fetch`, raced against a timer: when the timer wins, the request is
/// aborted (`AbortController`) and the core gets `HttpError::Timeout`.
pub struct Fetcher;

impl Outbound for Fetcher {
    fn post<'a>(
        &'a self,
        url: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a str,
        timeout_ms: u32,
    ) -> Fetched<'a> {
        Box::pin(async move {
            let network = |error: worker::Error| HttpError::Network(error.to_string());
            let list = Headers::new();
            for (name, value) in headers {
                list.set(name, value).map_err(network)?;
            }
            let request = post_request(url, &list, body).map_err(network)?;
            let controller = AbortController::default();
            let signal = controller.signal();
            let fetch = worker::Fetch::Request(request);
            let sending = Box::pin(fetch.send_with_signal(&signal));
            let timer = worker::Delay::from(std::time::Duration::from_millis(timeout_ms.into()));
            let mut response = match select(sending, timer).await {
                Either::Left((answer, _)) => answer.map_err(network)?,
                Either::Right(_) => {
                    controller.abort();
                    return Err(HttpError::Timeout);
                }
            };
            let status = response.status_code();
            let headers = response.headers().entries().collect();
            let body = response.text().await.map_err(network)?;
            Ok(HttpAnswer {
                status,
                headers,
                body,
            })
        })
    }
}
