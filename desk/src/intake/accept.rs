//! Storing a new rights request in one round trip: its five keys (outbox entry,
//! record, blind index, idempotency key, verification queue entry) are written at
//! once, and the request is accepted only when all five are stored. A batch that
//! fails in part is taken back (what was written is deleted) and answered with an
//! error, so the retry starts afresh; a replay is answered only when its record
//! exists, so an idempotency key left behind by a failed batch never answers for
//! a request that was not stored. ARCHITECTURE.md ("The edge") has the reasoning.

use futures_util::future;

use crate::app::{App, Failure};
use crate::owner::case::Notice;
use crate::platform::{Guard, Mailer, Put, Store};
use crate::store::crypto::Keyring;
use crate::store::{self, keys, IdempotencyEntry, OutboxEntry, OutboxMail, StoredRequest};
use crate::time::Timestamp;

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Whether the request an idempotency key points to was stored: one read, on
    /// replays only.
    pub(crate) async fn replay_is_stored(
        &self,
        shop: &str,
        previous: &IdempotencyEntry,
    ) -> Result<bool, Failure> {
        let key = keys::request(shop, &previous.reference);
        Ok(self.store.get(&key).await?.is_some())
    }

    /// Writes everything a new request needs at once; `Ok` with the verification
    /// queue entry's key once all of it is stored. On any failure whatever was
    /// written is deleted again (logged if that fails too) and the first error
    /// returned.
    pub(crate) async fn store_new_request(
        &self,
        keyring: &Keyring,
        stored: &StoredRequest,
        idem_key: &str,
        idem: &IdempotencyEntry,
        now: Timestamp,
    ) -> Result<String, Failure> {
        let outbox_key = keys::outbox(&stored.reference, 0);
        let outbox = OutboxEntry {
            shop: stored.shop.clone(),
            reference: stored.reference.clone(),
            mail: OutboxMail::PrivacyContact,
            created_at: now.rfc3339(),
        };
        let record_key = keys::request(&stored.shop, &stored.reference);
        let index_key = keys::email_index(
            &stored.shop,
            &keyring.email_index(&stored.shop, &stored.email),
            &stored.reference,
        );
        let idem_ttl = Put {
            ttl_seconds: Some(store::IDEMPOTENCY_TTL_SECONDS),
            ..Put::default()
        };
        // `join`, not `try_join`: every write has finished (or failed) before
        // anything is decided, so what is in the store is known.
        let (outbox_written, record_written, index_written, idem_written, queued) = future::join5(
            self.put_json(&outbox_key, &outbox, Put::default()),
            self.put_request(keyring, stored),
            self.put_email_index(keyring, stored),
            self.put_json(idem_key, idem, idem_ttl),
            self.queue_notice(stored, Notice::Verify, None, now),
        )
        .await;
        let written = [
            (outbox_key, outbox_written),
            (record_key, record_written),
            (index_key, index_written),
            (idem_key.to_owned(), idem_written),
        ];
        let mut undo = Vec::new();
        let mut first_error = None;
        for (key, result) in written {
            match result {
                Ok(()) => undo.push(key),
                Err(failure) => {
                    first_error.get_or_insert(failure);
                }
            }
        }
        let failure = match (queued, first_error) {
            (Ok(entry_key), None) => return Ok(entry_key),
            (Ok(entry_key), Some(failure)) => {
                undo.push(entry_key);
                failure
            }
            (Err(failure), None) => failure,
            (Err(_), Some(failure)) => failure,
        };
        // One after another: this is the rare path of a failing store, and the
        // retry that follows must not find half of this request.
        for key in undo {
            if let Err(error) = self.store.delete(&key).await {
                // The key names the kind and the reference, nothing personal (the
                // blind index is an HMAC).
                self.warn(&format!(
                    "request {} not stored in full; {key} left behind: {}",
                    stored.reference,
                    crate::redact::addresses(&error.to_string())
                ));
            }
        }
        Err(failure)
    }
}
