//! Who is the owner: the bearer token of the owner API, the session cookie of the
//! owner page (only on a top-level navigation, only in the current session
//! generation), sign-in and sign-out, and the limit on failed authentication: each
//! failure counts against `AUTH_LIMITER`; over it, the client is locked out (a
//! `lock/auth/` key for a minute), so that not even the right secret is checked.

use protocol::ErrorCode;

use super::session;
use crate::app::{App, Ctx, Failure, Request};
use crate::bindings;
use crate::http::reply;
use crate::platform::{Guard, Mailer, Put, Store};
use crate::store::{digest, keys};
use crate::time::Timestamp;

/// How long a client that went over the auth limit is locked out (KV's shortest TTL,
/// and the limiter's period).
const LOCK_SECONDS: u64 = 60;

/// What the session cookie of a request says.
pub(crate) enum Signed {
    /// A valid session of the current generation: the owner's name.
    In(String),
    /// No cookie, or one that is forged, expired or from before a sign-out.
    Out,
    /// A cookie on a request that is not a top-level navigation (a script's
    /// fetch, a frame): not looked at.
    NotNavigation,
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Refuses (429) while this client is locked out of owner authentication.
    /// Called before a presented secret is compared, so a locked-out guesser
    /// learns nothing, not even from the right secret.
    pub(crate) async fn auth_gate(&self, request: &Request, ctx: &mut Ctx) -> Result<(), Failure> {
        if !self.rate_limited() {
            return Ok(());
        }
        let lock = keys::auth_lock(&self.client_key(request)?);
        match self.store.get(&lock).await {
            Ok(Some(_)) => Err(self.over_limit(request, ctx)?),
            Ok(None) => Ok(()),
            Err(error) => {
                self.warn(&format!("auth lock unreadable; not locking: {error}"));
                Ok(())
            }
        }
    }

    /// Counts one failed owner authentication. Within the limit: `Ok`, and the
    /// caller answers its own refusal (401, the login page). Over it: the client is
    /// locked out for a minute and the answer is 429.
    pub(crate) async fn auth_failed(
        &self,
        request: &Request,
        ctx: &mut Ctx,
    ) -> Result<(), Failure> {
        if self.within_limit(bindings::AUTH_LIMITER, request).await? {
            return Ok(());
        }
        let lock = keys::auth_lock(&self.client_key(request)?);
        let put = Put {
            ttl_seconds: Some(LOCK_SECONDS),
            metadata: None,
        };
        if let Err(error) = self.store.put(&lock, "1", put).await {
            self.warn(&format!("auth lock not written: {error}"));
        }
        Err(self.over_limit(request, ctx)?)
    }

    /// The owner API's bearer token (`Authorization: Bearer <ADMIN_TOKEN>`): 401
    /// (counted) without the right one, 429 when locked out.
    pub(crate) async fn require_bearer(
        &self,
        request: &Request,
        ctx: &mut Ctx,
    ) -> Result<(), Failure> {
        self.auth_gate(request, ctx).await?;
        let right = self.admin_token().is_some_and(|secret| {
            reply::bearer_token(request.header("Authorization"))
                .is_some_and(|presented| digest::secret_matches(presented, &secret))
        });
        if right {
            return Ok(());
        }
        self.auth_failed(request, ctx).await?;
        Err(ctx.api(ErrorCode::Unauthorized))
    }

    /// The current session generation; [`session::FIRST_GENERATION`] until the
    /// first sign-out.
    pub(crate) async fn session_generation(&self) -> Result<String, Failure> {
        Ok(self
            .store
            .get(keys::OWNER_SESSION)
            .await?
            .unwrap_or_else(|| session::FIRST_GENERATION.to_owned()))
    }

    /// Ends every session: a new generation, so no cookie issued before counts.
    pub(crate) async fn end_sessions(&self) -> Result<(), Failure> {
        let generation = self.random_hex::<8>()?;
        self.store
            .put(keys::OWNER_SESSION, &generation, Put::default())
            .await?;
        Ok(())
    }

    /// What the session cookie says, if this is a top-level navigation.
    pub(crate) async fn signed(
        &self,
        request: &Request,
        now: Timestamp,
    ) -> Result<Signed, Failure> {
        let name = session::cookie_name(request.secure());
        let Some(value) = session::cookie(request.header("Cookie"), name) else {
            return Ok(Signed::Out);
        };
        let navigation = session::top_level_navigation(
            request.header("Sec-Fetch-Mode"),
            request.header("Sec-Fetch-Dest"),
        );
        if !navigation {
            return Ok(Signed::NotNavigation);
        }
        let Some(secret) = self.admin_token() else {
            return Ok(Signed::Out);
        };
        let Some(session) = session::verify(&secret, value, now) else {
            return Ok(Signed::Out);
        };
        if session.generation != self.session_generation().await? {
            return Ok(Signed::Out);
        }
        Ok(Signed::In(session.actor))
    }
}
