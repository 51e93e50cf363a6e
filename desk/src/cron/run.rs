//! The scheduled run, at the event's time: retry the privacy-contact outbox and the
//! requester mail queue, expire unverified requests, remind the privacy contacts,
//! purge closed requests past retention. Every item is handled on its own: one that
//! cannot be read or written is logged (key or reference and the error, nothing
//! personal), counted, and skipped.

use super::task::{self, Task};
use crate::app::{App, Failure, Fault};
use crate::bindings;
use crate::config::{Shop, Shops};
use crate::mail::requester::{self as notice, ReminderItem};
use crate::owner::case::{self, CaseEvent, EventKind, Notice, Row};
use crate::owner::notify::NotifyEntry;
use crate::owner::settings::RequestPolicy;
use crate::platform::{Guard, Level, Mailer, Put, Store};
use crate::store::crypto::Keyring;
use crate::store::{self, keys, OutboxEntry, OutboxMail};
use crate::time::Timestamp;

/// What one step of a scheduled run did, for the log (counts only).
#[derive(Default)]
pub struct Tally {
    pub done: u32,
    pub failed: u32,
}

/// The whole scheduled run at `now` (the event's scheduled time).
pub async fn scheduled<S: Store, M: Mailer, G: Guard>(app: &App<'_, S, M, G>, now: Timestamp) {
    if let Err(failure) = app.retry_outbox(now).await {
        app.log(
            Level::Error,
            &format!("outbox retry failed: {}", failure.describe()),
        );
    }
    if let Err(failure) = app.owner_cron(now).await {
        app.log(
            Level::Error,
            &format!("owner cron failed: {}", failure.describe()),
        );
    }
    if let Err(failure) = app.purge_packages(now).await {
        app.log(
            Level::Error,
            &format!("package purge failed: {}", failure.describe()),
        );
    }
}

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Counts one item's outcome; a failure is logged and the run goes on.
    fn count(&self, tally: &mut Tally, step: &str, item: &str, outcome: Result<bool, Failure>) {
        match outcome {
            Ok(true) => tally.done += 1,
            Ok(false) => {}
            Err(failure) => {
                tally.failed += 1;
                self.warn(&format!(
                    "cron {step}: {item} skipped: {}",
                    failure.describe()
                ));
            }
        }
    }

    async fn retry_outbox(&self, now: Timestamp) -> Result<(), Failure> {
        let shops = self.shops()?;
        let mail_from = self.mail_from()?;
        let keyring = self.keyring()?;
        let mut tally = Tally::default();
        for key in self.key_names(keys::OUTBOX_PREFIX).await? {
            let outcome = self
                .retry_outbox_entry(&keyring, &shops, &mail_from, &key, now)
                .await;
            self.count(&mut tally, "outbox", &key, outcome);
        }
        self.log(
            Level::Info,
            &format!(
                "outbox retry: {} sent, {} still pending",
                tally.done, tally.failed
            ),
        );
        Ok(())
    }

    /// One outbox entry: `Ok(true)` when its mail went out, `Ok(false)` when there was
    /// nothing to send (yet); an error leaves the entry for the next run.
    async fn retry_outbox_entry(
        &self,
        keyring: &Keyring,
        shops: &Shops,
        mail_from: &str,
        key: &str,
        now: Timestamp,
    ) -> Result<bool, Failure> {
        let Some(entry) = self.get_json::<OutboxEntry>(key).await? else {
            return Ok(false);
        };
        let Some(shop) = shops.get(&entry.shop) else {
            self.warn(&format!(
                "outbox {key}: shop {} is no longer configured",
                entry.shop
            ));
            return Ok(false);
        };
        let Some(mut stored) = self
            .get_request(keyring, &shop.id, &entry.reference)
            .await?
        else {
            if entry.is_orphan(false, now) {
                self.warn(&format!(
                    "outbox {key}: its request was never stored; dropping the entry"
                ));
                self.store.delete(key).await?;
            } else {
                self.warn(&format!("outbox {key}: request not readable yet"));
            }
            return Ok(false);
        };
        match entry.mail {
            OutboxMail::PrivacyContact => {
                self.send_privacy_contact_mail(&stored, shop, mail_from, now)
                    .await?;
                self.store.delete(key).await?;
                if stored.mail_pending {
                    stored.mail_outcome(true, now);
                    self.put_request(keyring, &stored).await?;
                }
                Ok(true)
            }
        }
    }

    /// The owner's part of the run.
    async fn owner_cron(&self, now: Timestamp) -> Result<(), Failure> {
        let policy = self.policy()?;
        let shops = self.shops()?;
        let keyring = self.keyring()?;
        let mail_from = self.mail_from()?;
        let notices = self.retry_notices(&keyring, &shops, &policy, now).await;
        let today = now.date();
        let (mut expired, mut purged, mut reminded) =
            (Tally::default(), Tally::default(), Tally::default());
        for shop in shops.iter() {
            let rows = match self.list_rows(&shop.id).await {
                Ok(rows) => rows,
                Err(failure) => {
                    self.warn(&format!(
                        "cron: requests of {} not listed: {}",
                        shop.id,
                        failure.describe()
                    ));
                    continue;
                }
            };
            let mut due = Vec::new();
            for row in rows {
                match task::task(&row, today, &policy) {
                    None => {}
                    Some(Task::Expire) => {
                        let outcome = self.expire(&keyring, &row, now).await;
                        self.count(&mut expired, "expire", &row.reference, outcome);
                    }
                    Some(Task::Purge) => {
                        let outcome = self.purge(&keyring, &shop.id, &row.reference, now).await;
                        let outcome = outcome.map(|()| true);
                        self.count(&mut purged, "purge", &row.reference, outcome);
                    }
                    Some(Task::Remind(urgency)) => {
                        let marker = keys::reminded(&shop.id, &row.reference, &today.iso());
                        match self.store.get(&marker).await {
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
                            Err(error) => {
                                let outcome = Err(error.into());
                                self.count(&mut reminded, "remind", &row.reference, outcome);
                            }
                        }
                    }
                }
            }
            if !due.is_empty() {
                self.remind(&keyring, shop, &mail_from, &due, now, &mut reminded)
                    .await;
            }
        }
        self.log(
            Level::Info,
            &format!(
                "owner cron: mail to requesters {} sent, {} failed; {} reminded, {} failed; {} expired, {} failed; {} purged, {} failed",
                notices.done,
                notices.failed,
                reminded.done,
                reminded.failed,
                expired.done,
                expired.failed,
                purged.done,
                purged.failed
            ),
        );
        Ok(())
    }

    /// Closes one unverified request as expired; `false` when it needed nothing.
    async fn expire(&self, keyring: &Keyring, row: &Row, now: Timestamp) -> Result<bool, Failure> {
        let Some(mut record) = self.get_request(keyring, &row.shop, &row.reference).await? else {
            return Ok(false);
        };
        let Some(event) = case::expire_unverified(&mut record, now) else {
            return Ok(false);
        };
        self.append_event(keyring, &row.shop, &row.reference, &event)
            .await?;
        self.put_request(keyring, &record).await?;
        Ok(true)
    }

    /// One digest mail to the shop's privacy contact; then, per request, the marker
    /// that keeps it out of today's later runs and its history event.
    async fn remind(
        &self,
        keyring: &Keyring,
        shop: &Shop,
        mail_from: &str,
        due: &[(String, ReminderItem)],
        now: Timestamp,
        tally: &mut Tally,
    ) {
        let list: Vec<ReminderItem> = due.iter().map(|(_, item)| item.clone()).collect();
        let mail = notice::reminder_mail(shop, mail_from, &list);
        let sent = match self.mime_envelope(bindings::EMAIL, &mail, now) {
            Ok(envelope) => self.mailer.send(&envelope).await.map_err(Failure::from),
            Err(failure) => Err(failure),
        };
        if let Err(failure) = sent {
            self.warn(&format!(
                "reminder for {} not sent: {}",
                shop.id,
                failure.describe()
            ));
            tally.failed += due.len() as u32;
            return;
        }
        for (marker, item) in due {
            let outcome = async {
                // Kept past the day, so a run just after midnight UTC still sees it.
                let ttl = Put {
                    ttl_seconds: Some(3 * 86_400),
                    ..Put::default()
                };
                self.store.put(marker, "1", ttl).await?;
                let event = CaseEvent::new(now, case::SYSTEM, EventKind::Reminded);
                self.append_event(keyring, &shop.id, &item.reference, &event)
                    .await?;
                Ok(true)
            }
            .await;
            self.count(tally, "remind", &item.reference, outcome);
        }
    }

    /// Replaces a closed request by its anonymised record and deletes everything
    /// personal about it (record, history with its notes, queued mail, blind index).
    async fn purge(
        &self,
        keyring: &Keyring,
        shop: &str,
        reference: &str,
        now: Timestamp,
    ) -> Result<(), Failure> {
        let Some(record) = self.get_request(keyring, shop, reference).await? else {
            return Ok(());
        };
        let anonymised = case::anonymise(&record, now);
        let key = keys::anonymised(shop, &anonymised.closed, &self.random_hex::<8>()?);
        self.put_json(&key, &anonymised, Put::default()).await?;
        let mut doomed = self.key_names(&keys::event_prefix(shop, reference)).await?;
        doomed.extend(
            self.key_names(&keys::notify_prefix(shop, reference))
                .await?,
        );
        doomed.extend(self.key_names(&keys::outbox_prefix(reference)).await?);
        doomed.push(keys::email_index(
            shop,
            &keyring.email_index(shop, &record.email),
            reference,
        ));
        for key in doomed {
            self.store.delete(&key).await?;
        }
        self.store.delete(&keys::request(shop, reference)).await?;
        Ok(())
    }

    /// Sends what is left in the requester mail queue, each entry on its own. A
    /// verification mail gets a fresh token (only hashes are stored, so the old link
    /// cannot be rebuilt).
    async fn retry_notices(
        &self,
        keyring: &Keyring,
        shops: &Shops,
        policy: &RequestPolicy,
        now: Timestamp,
    ) -> Tally {
        let mut tally = Tally::default();
        let queued = match self.key_names(keys::NOTIFY_PREFIX).await {
            Ok(queued) => queued,
            Err(failure) => {
                self.count(&mut tally, "notify", "the queue", Err(failure));
                return tally;
            }
        };
        for key in queued {
            let outcome = self.retry_notice(keyring, shops, policy, &key, now).await;
            self.count(&mut tally, "notify", &key, outcome);
        }
        tally
    }

    /// One queued mail to a requester; `Ok(false)` when there was nothing to send.
    async fn retry_notice(
        &self,
        keyring: &Keyring,
        shops: &Shops,
        policy: &RequestPolicy,
        key: &str,
        now: Timestamp,
    ) -> Result<bool, Failure> {
        let Some(entry) = self.get_json::<NotifyEntry>(key).await? else {
            return Ok(false);
        };
        let Some(shop) = shops.get(&entry.shop) else {
            return Ok(false);
        };
        let Some(mut record) = self
            .get_request(keyring, &shop.id, &entry.reference)
            .await?
        else {
            // Written at the same time as its record: give up only on an old one.
            if store::orphaned(&entry.created_at, now) {
                self.store.delete(key).await?;
            }
            return Ok(false);
        };
        let sent = match entry.notice {
            Notice::Verify => {
                if record.status != store::Status::Received || record.case.email_verified() {
                    self.store.delete(key).await?;
                    return Ok(false);
                }
                // Held (the hourly cap, or this address had its verification mail
                // today): stays queued, and the record is not rewritten.
                if self.mail_hold(&record, Notice::Verify, now).await?.is_err() {
                    return Ok(false);
                }
                let token = self.random_hex::<24>()?;
                case::start_email_check(&mut record, &token, now, policy);
                self.put_request(keyring, &record).await?;
                self.deliver_verification(&record, shop, &token, now).await
            }
            notice => {
                let event = match &entry.event_key {
                    Some(event_key) => self.get_event(keyring, event_key).await?,
                    None => None,
                };
                self.deliver_notice(&record, shop, notice, event.as_ref(), now)
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
        if let Err(Failure::Fault(Fault::Held(_))) = sent {
            return Ok(false);
        }
        sent?;
        self.finish_notice(keyring, &record, key, Ok(()), ok, failed, now)
            .await?;
        Ok(true)
    }
}
