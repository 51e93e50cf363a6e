//! The owner's routes: sign-in, the list, a request's page and its actions, and
//! the dispatch of every path of [`OwnerRoute`] (the requester's pages and the
//! exports included). CSRF and the session are checked here, before any handler.

use protocol::{ErrorCode, Lang};

use super::auth::Signed;
use super::case::{self, Applied, EventKind, Filter, Row};
use super::html::{self, Chrome, Flash, LoginProblem};
use super::session;
use crate::access::AnswerAction;
use crate::app::{App, Ctx, Failure, Fault, Outcome, Request};
use crate::config::Shops;
use crate::http::form::{encode_component, Form};
use crate::http::owner_route::OwnerRoute;
use crate::http::reply::{self, Reply};
use crate::http::route::Method;
use crate::intake::reference;
use crate::platform::{Guard, Mailer, Store};
use crate::store::digest;
use crate::store::{keys, RequestMeta, StoredRequest};
use crate::time::Timestamp;

/// What every page of a request needs: its language and the language toggle.
pub(crate) struct Page {
    pub lang: Lang,
    self_en: String,
    self_nl: String,
    /// The owner chose a language (`?lang=`): kept in a cookie. Requesters get none.
    pub set_lang_cookie: bool,
    secure: bool,
}

impl Page {
    pub(crate) fn new(request: &Request, route: &OwnerRoute) -> Page {
        let query = request.query();
        let from_query = query.get("lang").map(Lang::from_tag);
        let lang = from_query
            .or_else(|| {
                session::cookie(request.header("Cookie"), session::LANG_COOKIE).map(Lang::from_tag)
            })
            .unwrap_or_else(|| reply::request_lang(request.header("Accept-Language")));
        Page {
            lang,
            self_en: html::with_lang(&request.path, &query, Lang::En),
            self_nl: html::with_lang(&request.path, &query, Lang::Nl),
            set_lang_cookie: from_query.is_some() && !route.is_requesters(),
            secure: request.secure(),
        }
    }

    pub fn chrome(&self, signed_in: bool) -> Chrome<'_> {
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

pub(crate) fn redirect(location: &str) -> Reply {
    Reply::empty(303)
        .with_header("Location", location)
        .with_header("Cache-Control", "no-store")
}

pub(crate) fn html_page(status: u16, body: String) -> Reply {
    Reply::empty(status).html(body)
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// The owner behind this request: for the API routes (exports) a bearer
    /// token, if one is presented (a wrong one is a counted failure), else the
    /// session cookie on a top-level navigation. A cookie on anything else is
    /// refused on the routes that need the owner, so a script on a page of this
    /// origin never reads an owner answer.
    async fn owner(
        &self,
        request: &Request,
        ctx: &mut Ctx,
        route: &OwnerRoute,
    ) -> Result<Option<String>, Failure> {
        if route.is_requesters() || *route == OwnerRoute::Stylesheet {
            return Ok(None);
        }
        if route.is_api() && request.header("Authorization").is_some() {
            self.require_bearer(request, ctx).await?;
            return Ok(Some("api".to_owned()));
        }
        match self.signed(request, ctx.now).await? {
            Signed::In(actor) => Ok(Some(actor)),
            Signed::Out => Ok(None),
            Signed::NotNavigation if route.needs_owner() => {
                Err(ctx.api(ErrorCode::NavigationRequired))
            }
            Signed::NotNavigation => Ok(None),
        }
    }

    /// `POST /admin/login`: a reserved name is refused before anything else; then
    /// the secret, compared only while the client is not locked out, each failure
    /// counted. Success: the session cookie of the current generation.
    async fn sign_in(&self, request: &Request, ctx: &mut Ctx, page: &Page) -> Outcome {
        let form = self.form_body(request, ctx)?;
        let chrome = page.chrome(false);
        let actor = form.get("actor").unwrap_or("");
        if session::reserved_actor(actor) {
            let body = html::login(&chrome, Some(LoginProblem::ReservedName));
            return Ok(html_page(422, body));
        }
        self.auth_gate(request, ctx).await?;
        let secret = self.admin_token();
        let problem = match &secret {
            None => LoginProblem::WeakSecret,
            Some(_) => LoginProblem::WrongSecret,
        };
        let presented = form.get("token").unwrap_or("");
        let Some(secret) = secret.filter(|secret| digest::secret_matches(presented, secret)) else {
            self.auth_failed(request, ctx).await?;
            return Ok(html_page(401, html::login(&chrome, Some(problem))));
        };
        let generation = self.session_generation().await?;
        let value = session::issue(&secret, actor, &generation, ctx.now);
        Ok(redirect("/admin/").with_header(
            "Set-Cookie",
            session::set_cookie(
                session::cookie_name(page.secure),
                Some(&value),
                page.secure,
                session::SESSION_MS / 1000,
            ),
        ))
    }

    /// Entry point for every path of [`OwnerRoute`].
    pub(crate) async fn owner_route(
        &self,
        request: &Request,
        ctx: &mut Ctx,
        route: OwnerRoute,
    ) -> Outcome {
        let method = Method::parse(&request.method);
        let page = Page::new(request, &route);
        let get = method == Method::Get || method == Method::Head;
        let post = method == Method::Post;
        let is_api = route.is_api();
        // CSRF: no state changes from another site, whatever the session.
        let same_origin = session::same_origin_post(
            request.header("Origin"),
            request.header("Sec-Fetch-Site"),
            &request.origin,
        );
        if post && !is_api && !same_origin {
            return Err(ctx.api(ErrorCode::OriginNotAllowed));
        }
        let actor = self.owner(request, ctx, &route).await?;
        if route.needs_owner() && actor.is_none() {
            return if is_api {
                self.auth_failed(request, ctx).await?;
                Err(ctx.api(ErrorCode::Unauthorized))
            } else {
                // A language chosen on the way (`/admin/?lang=nl`) stays on the login page.
                Ok(page.finish(redirect("/admin/login")))
            };
        }
        let now = ctx.now;
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
                    let weak = self.admin_token().is_none();
                    let problem = weak.then_some(LoginProblem::WeakSecret);
                    html_page(200, html::login(&page.chrome(false), problem))
                }
            }
            (OwnerRoute::Login, _, true) => self.sign_in(request, ctx, &page).await?,
            // Signing out ends every session, wherever its cookie went.
            (OwnerRoute::Logout, _, true) => {
                self.end_sessions().await?;
                redirect("/admin/login").with_header(
                    "Set-Cookie",
                    session::set_cookie(session::cookie_name(page.secure), None, page.secure, 0),
                )
            }
            (OwnerRoute::List, true, _) => self.list_page(request, &page, now).await?,
            (OwnerRoute::Request { shop, reference }, true, _) => {
                let flash = match request.query().get("done") {
                    Some("1") => Some(Flash::Done),
                    Some("mail") => Some(Flash::DoneMailPending),
                    _ => None,
                };
                self.detail_page(&page, &shop, &reference, flash, now, 200)
                    .await?
            }
            (OwnerRoute::Request { shop, reference }, _, true) => {
                let form = self.form_body(request, ctx)?;
                let actor = actor.as_deref().unwrap_or("owner");
                match AnswerAction::parse(form.get("action")) {
                    Some(action) => {
                        self.answer_action(&page, &shop, &reference, &form, action, actor, now)
                            .await?
                    }
                    None => {
                        self.act(&page, &shop, &reference, &form, actor, now)
                            .await?
                    }
                }
            }
            (OwnerRoute::Upload { shop, reference }, _, true) => {
                let actor = actor.as_deref().unwrap_or("owner");
                self.answer_upload(request, &page, &shop, &reference, actor, now)
                    .await?
            }
            (OwnerRoute::Access, true, _) => self.access_page(request, ctx, &page, false).await?,
            (OwnerRoute::Access, _, true) => self.access_page(request, ctx, &page, true).await?,
            (OwnerRoute::VerifyPage, true, _) => {
                let query = request.query();
                let reference = query.get("ref").unwrap_or_default();
                let token = query.get("token").unwrap_or_default();
                self.verify_page(&page, reference, token, false, now)
                    .await?
            }
            (OwnerRoute::VerifyPage, _, true) => {
                let form = self.form_body(request, ctx)?;
                let (reference, token) = (
                    form.get("ref").unwrap_or(""),
                    form.get("token").unwrap_or(""),
                );
                self.verify_page(&page, reference, token, true, now).await?
            }
            // The requester's page: its own language rule, no owner cookie.
            (OwnerRoute::StatusPage, true, _) => {
                return self.status_page(request, ctx, false).await
            }
            (OwnerRoute::StatusPage, _, true) => return self.status_page(request, ctx, true).await,
            (OwnerRoute::VerifyApi(reference), _, true) => {
                self.verify_api(request, ctx, &reference).await?
            }
            (OwnerRoute::ExportRequestsJson, true, _) => {
                self.export_requests(request, false, now).await?
            }
            (OwnerRoute::ExportRequestsCsv, true, _) => {
                self.export_requests(request, true, now).await?
            }
            (OwnerRoute::ExportConsentCsv, true, _) => self.export_consent(request, now).await?,
            // 405 in the route's own surface (JSON on the API, a page on pages), with
            // the methods the route answers.
            (route, _, _) => {
                let refused = ctx.api(ErrorCode::MethodNotAllowed).reply(ctx);
                return Ok(refused.with_header("Allow", route.allow()));
            }
        };
        Ok(page.finish(reply))
    }

    /// Every `req/` key of a shop with its listing metadata.
    pub(crate) async fn list_rows(&self, shop: &str) -> Result<Vec<Row>, Failure> {
        let prefix = keys::request_prefix(shop);
        let mut rows = Vec::new();
        for key in self.all_keys(&prefix).await? {
            let Some(reference) = key.name.strip_prefix(&prefix) else {
                continue;
            };
            let Some(meta) = key
                .metadata
                // Through text, not `from_value`: see `store::open_record`.
                .and_then(|m| serde_json::to_string(&m).ok())
                .and_then(|text| serde_json::from_str::<RequestMeta>(&text).ok())
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

    async fn list_page(&self, request: &Request, page: &Page, now: Timestamp) -> Outcome {
        let shops = self.shops()?;
        let filter = Filter::parse(&request.query());
        let today = now.date();
        let mut rows = Vec::new();
        for shop in shops.iter() {
            rows.extend(
                self.list_rows(&shop.id)
                    .await?
                    .into_iter()
                    .filter(|row| filter.matches(row, today)),
            );
        }
        super::list::sort_rows(&mut rows);
        let body = html::list(&page.chrome(true), &shops, &filter, &rows, today);
        Ok(html_page(200, body))
    }

    pub(crate) async fn find_request(
        &self,
        shops: &Shops,
        shop: &str,
        reference: &str,
    ) -> Result<Option<StoredRequest>, Failure> {
        let (Some(shop), Some(reference)) = (shops.get(shop), reference::parse(reference)) else {
            return Ok(None);
        };
        self.get_request(&self.keyring()?, &shop.id, &reference)
            .await
    }

    /// The 404 page of a request that is not there.
    pub(crate) fn detail_missing(&self, page: &Page) -> Outcome {
        Ok(html_page(404, html::message(&page.chrome(true), true)))
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn detail_page(
        &self,
        page: &Page,
        shop_id: &str,
        reference: &str,
        flash: Option<Flash>,
        now: Timestamp,
        status: u16,
    ) -> Outcome {
        let shops = self.shops()?;
        let Some(record) = self.find_request(&shops, shop_id, reference).await? else {
            return Ok(html_page(404, html::message(&page.chrome(true), true)));
        };
        let events = self
            .read_events(&self.keyring()?, &record.shop, &record.reference)
            .await?;
        let shop = shops
            .get(&record.shop)
            .ok_or_else(|| Fault::Config("shop gone".into()))?;
        let answer = self.answer_section(shop, &record, page.lang, now).await?;
        let body = html::detail(
            &page.chrome(true),
            &shop.name,
            &record,
            &events,
            flash,
            now.date(),
            answer,
        );
        Ok(html_page(status, body))
    }

    /// An owner's action: append the event, store the record if it changed, then mail
    /// the requester where the law expects it. Post/redirect/get on success.
    #[allow(clippy::too_many_arguments)]
    async fn act(
        &self,
        page: &Page,
        shop_id: &str,
        reference: &str,
        form: &Form,
        actor: &str,
        now: Timestamp,
    ) -> Outcome {
        let shops = self.shops()?;
        let Some(mut record) = self.find_request(&shops, shop_id, reference).await? else {
            return Ok(html_page(404, html::message(&page.chrome(true), true)));
        };
        let applied = case::parse_action(form)
            .and_then(|action| case::apply(&mut record, action, actor, now));
        let Applied {
            event,
            record_changed,
            notice,
        } = match applied {
            Ok(applied) => applied,
            Err(error) => {
                let flash = Some(Flash::Error(error));
                return self
                    .detail_page(page, shop_id, reference, flash, now, 422)
                    .await;
            }
        };
        let keyring = self.keyring()?;
        let event_key = self
            .append_event(&keyring, &record.shop, &record.reference, &event)
            .await?;
        if record_changed {
            self.put_request(&keyring, &record).await?;
        }
        if record.status != crate::store::Status::Received {
            // A prepared answer (e.g. the drafted reply just sent) is not kept past closing.
            let draft = keys::answer_draft(&record.shop, &record.reference);
            self.store.delete(&draft).await?;
        }
        let mut mail_ok = true;
        if let Some(notice) = notice {
            let entry_key = self
                .queue_notice(&record, notice, Some(event_key), now)
                .await?;
            let shop = shops
                .get(&record.shop)
                .ok_or_else(|| Fault::Config("shop gone".into()))?;
            let sent = self
                .deliver_notice(&record, shop, notice, Some(&event), now)
                .await;
            mail_ok = self
                .finish_notice(
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
            encode_component(&record.shop),
            encode_component(&record.reference),
            if mail_ok { "1" } else { "mail" }
        );
        Ok(redirect(&location))
    }
}
