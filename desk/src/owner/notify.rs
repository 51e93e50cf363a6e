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
    pub created_at: String,
}

/// Why a mail to a requester waits in its queue instead of going now.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Hold {
    /// The shop's `requester_mail_per_hour` is reached for this UTC hour.
    HourlyCap,
    /// This address of this shop got a verification mail in the last 24 hours.
    VerifiedToday,
}

impl Hold {
    fn reason(self) -> &'static str {
        match self {
            Hold::HourlyCap => "the shop's hourly cap on mail to requesters is reached",
            Hold::VerifiedToday => "this address had a verification mail in the last 24 hours",
        }
    }
}

/// What [`App::mail_hold`] read when it let a mail go: the hour's counter and its
/// value, and for a verification mail the address's daily marker to set.
pub(crate) struct Clearance {
    count_key: String,
    sent: u32,
    marker: Option<String>,
}

/// The UTC hour of a moment, `yyyy-mm-ddThh`: the cap's bucket.
fn hour(now: Timestamp) -> String {
    now.rfc3339().chars().take(13).collect()
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
        now: Timestamp,
    ) -> Result<String, Failure> {
        let entry = NotifyEntry {
            shop: record.shop.clone(),
            reference: record.reference.clone(),
            notice,
            event_key,
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

    /// Sends the verification mail of a stored request whose queue entry is
    /// `entry_key`. Never fails the intake: what is not sent stays queued for the
    /// cron (which arms a fresh link: only the hash of this one is stored).
    pub(crate) async fn send_verification(
        &self,
        stored: &StoredRequest,
        token: &str,
        entry_key: &str,
        now: Timestamp,
    ) {
        let result: Result<(), Failure> = async {
            let shops = self.shops()?;
            let shop = shops
                .get(&stored.shop)
                .ok_or_else(|| Fault::Config("shop gone".into()))?;
            let sent = self.deliver_verification(stored, shop, token, now).await;
            self.finish_notice(
                &self.keyring()?,
                stored,
                entry_key,
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
        now: Timestamp,
    ) -> Result<(), Failure> {
        let origin = self.public_origin()?;
        let url = format!(
            "{origin}/verify?ref={}&token={}&lang={}",
            encode_component(&stored.reference),
            encode_component(token),
            stored.lang.code()
        );
        let expires = stored.case.email.as_ref().map(|c| c.expires_at.clone());
        let status_url = status::status_url(&origin, &stored.reference, stored.lang);
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
                ..notice::Links::default()
            },
        )
        .ok_or_else(|| Fault::Config("the requester's address cannot be used".into()))?;
        self.send_to_requester(&mail, stored, Notice::Verify, now)
            .await
    }

    /// The owner's notice (extension, completion, refusal) to the requester.
    pub(crate) async fn deliver_notice(
        &self,
        record: &StoredRequest,
        shop: &Shop,
        notice: Notice,
        event: Option<&CaseEvent>,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let origin = self.public_origin()?;
        let status_url = status::status_url(&origin, &record.reference, record.lang);
        let links = notice::Links {
            status_url: Some(&status_url),
            ..notice::Links::default()
        };
        let mail = notice::requester_mail(notice, record, shop, &self.mail_from()?, event, links)
            .ok_or_else(|| Fault::Config("the requester's address cannot be used".into()))?;
        self.send_to_requester(&mail, record, notice, now).await
    }

    /// Whether a mail to this requester may go now: the shop's hourly cap, and for
    /// a verification mail, one per address per shop per 24 hours (the address is
    /// nobody's until verified, so it may be a stranger's). `Ok` carries what was
    /// read, for counting the mail once it is sent.
    pub(crate) async fn mail_hold(
        &self,
        record: &StoredRequest,
        notice: Notice,
        now: Timestamp,
    ) -> Result<Result<Clearance, Hold>, Failure> {
        let policy = self.policy()?;
        let count_key = keys::requester_mail_count(&record.shop, &hour(now));
        let sent = self.get_json::<u32>(&count_key).await?.unwrap_or(0);
        if sent >= policy.requester_mail_per_hour {
            return Ok(Err(Hold::HourlyCap));
        }
        let mut marker = None;
        if notice == Notice::Verify {
            let index = self.keyring()?.email_index(&record.shop, &record.email);
            let key = keys::verification_sent(&record.shop, &index);
            if self.store.get(&key).await?.is_some() {
                return Ok(Err(Hold::VerifiedToday));
            }
            marker = Some(key);
        }
        Ok(Ok(Clearance {
            count_key,
            sent,
            marker,
        }))
    }

    /// Counts a mail that went out against the hour's cap, and marks the address
    /// for a day after a verification mail. Best effort (KV counts are eventually
    /// consistent): a failure is logged, the mail is sent all the same.
    async fn count_requester_mail(
        &self,
        record: &StoredRequest,
        clearance: Clearance,
        now: Timestamp,
    ) {
        let counted: Result<(), Failure> = async {
            let two_hours = Put {
                ttl_seconds: Some(2 * 3600),
                ..Put::default()
            };
            self.put_json(&clearance.count_key, &(clearance.sent + 1), two_hours)
                .await?;
            if let Some(marker) = &clearance.marker {
                let day = Put {
                    ttl_seconds: Some(24 * 3600),
                    ..Put::default()
                };
                self.put_json(marker, &now.rfc3339(), day).await?;
            }
            Ok(())
        }
        .await;
        if let Err(failure) = counted {
            self.warn(&format!(
                "mail to the requester of {} not counted: {}",
                record.reference,
                failure.describe()
            ));
        }
    }

    /// One way to send mail to requesters, two transports (`REQUESTER_MAILER`),
    /// after the hold rules ([`App::mail_hold`]).
    pub(crate) async fn send_to_requester(
        &self,
        mail: &OutgoingMail,
        record: &StoredRequest,
        notice: Notice,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let clearance = match self.mail_hold(record, notice, now).await? {
            Ok(clearance) => clearance,
            Err(hold) => return Err(Fault::Held(hold.reason()).into()),
        };
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
        self.mailer.send(&envelope).await?;
        self.count_requester_mail(record, clearance, now).await;
        Ok(())
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
            // Not a failure: it waits in the queue, and the history says nothing yet.
            Err(Failure::Fault(Fault::Held(reason))) => {
                self.log(
                    crate::platform::Level::Info,
                    &format!(
                        "mail to the requester of {} held, queued: {reason}",
                        stored.reference
                    ),
                );
                return sent;
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
