//! Mail to requesters: the queue entry written before each send (`notify/`), the
//! verification link, the owner's notices, and what a send attempt leaves in the
//! history. A mail that could not be sent stays queued for the cron.

use serde::{Deserialize, Serialize};

use crate::app::{App, Failure, Fault, RequesterTransport};
use crate::bindings;
use crate::config::Shop;
use crate::http::form::encode_component;
use crate::mail::requester::{self as notice, OutgoingMail};
use crate::owner::case::{self, CaseEvent, EventKind, Notice};
use crate::platform::{Envelope, Guard, Mailer, Put, Store};
use crate::requester::status;
use crate::store::crypto::Keyring;
use crate::store::{keys, StoredRequest};
use crate::time::Timestamp;

/// Mail to the requester not sent yet: rendered again from the record when sent.
#[derive(Serialize, Deserialize)]
pub(crate) struct NotifyEntry {
    pub shop: String,
    pub reference: String,
    pub notice: Notice,
    /// The event whose text (reason, message) the mail carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_key: Option<String>,
    /// The Worker's origin, for the verification link.
    pub origin: String,
    pub created_at: String,
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Arms the e-mail check on a new request before it is first stored; returns the
    /// token for the link (only its hash is stored).
    pub(crate) fn arm_verification(
        &self,
        stored: &mut StoredRequest,
        now: Timestamp,
    ) -> Result<String, Failure> {
        let token = self.random_hex::<24>()?;
        case::start_email_check(stored, &token, now, &self.policy()?);
        Ok(token)
    }

    /// Queues a mail to the requester (before the attempt, so a failed attempt is
    /// retried by the cron); returns the queue key.
    pub(crate) async fn queue_notice(
        &self,
        record: &StoredRequest,
        notice: Notice,
        event_key: Option<String>,
        origin: &str,
        now: Timestamp,
    ) -> Result<String, Failure> {
        let entry = NotifyEntry {
            shop: record.shop.clone(),
            reference: record.reference.clone(),
            notice,
            event_key,
            origin: origin.to_owned(),
            created_at: now.rfc3339(),
        };
        let entry_key = keys::notify(
            &record.shop,
            &record.reference,
            &keys::event_seq(now, &self.random_hex::<4>()?),
        );
        self.put_json(&entry_key, &entry, Put::default()).await?;
        Ok(entry_key)
    }

    /// Queues and sends the verification mail of a stored request. Never fails the
    /// intake: what is not sent stays queued for the cron.
    pub(crate) async fn send_verification(
        &self,
        stored: &StoredRequest,
        token: &str,
        origin: &str,
        now: Timestamp,
    ) {
        let result: Result<(), Failure> = async {
            let entry_key = self
                .queue_notice(stored, Notice::Verify, None, origin, now)
                .await?;
            let shops = self.shops()?;
            let shop = shops
                .get(&stored.shop)
                .ok_or_else(|| Fault::Config("shop gone".into()))?;
            let sent = self
                .deliver_verification(stored, shop, token, origin, now)
                .await;
            self.finish_notice(
                &self.keyring()?,
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
        if let Err(failure) = result {
            self.warn(&format!(
                "verification mail for {}: {}",
                stored.reference,
                failure.describe()
            ));
        }
    }

    pub(crate) async fn deliver_verification(
        &self,
        stored: &StoredRequest,
        shop: &Shop,
        token: &str,
        origin: &str,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let url = format!(
            "{origin}/verify?ref={}&token={}&lang={}",
            encode_component(&stored.reference),
            encode_component(token),
            stored.lang.code()
        );
        let expires = stored.case.email.as_ref().map(|c| c.expires_at.clone());
        let status_url = status::status_url(origin, &stored.reference, stored.lang);
        let mail = notice::requester_mail(
            Notice::Verify,
            stored,
            shop,
            &self.mail_from()?,
            None,
            notice::Links {
                verify_url: Some(&url),
                verify_expires: expires.as_deref(),
                status_url: Some(&status_url),
            },
        )
        .ok_or_else(|| Fault::Config("the requester's address cannot be used".into()))?;
        self.send_to_requester(&mail, now).await
    }

    /// The owner's notice (extension, completion, refusal) to the requester.
    pub(crate) async fn deliver_notice(
        &self,
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
        let mail = notice::requester_mail(notice, record, shop, &self.mail_from()?, event, links)
            .ok_or_else(|| Fault::Config("the requester's address cannot be used".into()))?;
        self.send_to_requester(&mail, now).await
    }

    /// One way to send mail to requesters, two transports (`REQUESTER_MAILER`).
    async fn send_to_requester(&self, mail: &OutgoingMail, now: Timestamp) -> Result<(), Failure> {
        let envelope = match self.requester_transport()? {
            RequesterTransport::SendEmail => {
                self.mime_envelope(bindings::REQUESTER_EMAIL, mail, now)?
            }
            RequesterTransport::Http { url, key } => Envelope::Http {
                url,
                key,
                body: notice::http_body(mail),
            },
        };
        Ok(self.mailer.send(&envelope).await?)
    }

    /// A mail as raw MIME for a send_email binding.
    pub(crate) fn mime_envelope(
        &self,
        binding: &'static str,
        mail: &OutgoingMail,
        now: Timestamp,
    ) -> Result<Envelope, Failure> {
        let token = self.random_hex::<8>()?;
        Ok(Envelope::Binding {
            binding,
            from: mail.from.clone(),
            to: mail.to.clone(),
            raw: notice::mime(mail, now, &token),
        })
    }

    /// After a send attempt: drop the queue entry on success; record the outcome.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn finish_notice(
        &self,
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
                self.store.delete(entry_key).await?;
                ok
            }
            Err(failure) => {
                self.warn(&format!(
                    "mail to the requester of {} not sent, queued: {}",
                    stored.reference,
                    failure.describe()
                ));
                failed
            }
        };
        self.append_event(
            keyring,
            &stored.shop,
            &stored.reference,
            &CaseEvent::new(now, case::SYSTEM, kind),
        )
        .await?;
        sent
    }
}
