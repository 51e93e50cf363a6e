//! Reading and writing records through the [`Store`]: the ONE way to a request
//! record (sealed at rest), its audit-trail events and the e-mail blind index, and
//! the one place that follows a listing's cursor to its end.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::crypto::{Keyring, NONCE_BYTES};
use super::{keys, open_record, seal_record, StoredRequest, REQUEST_PERSONAL_FIELDS};
use crate::app::{App, Failure, Fault};
use crate::owner::case::CaseEvent;
use crate::platform::{Guard, Listed, Mailer, Put, Store};
use crate::time::Timestamp;

/// The owner's free text (notes, reasons) may name people: it is sealed like a
/// request's personal fields, bound to the event's key.
const EVENT_PERSONAL_FIELDS: &[&str] = &["text"];

impl<S: Store, M: Mailer, G: Guard> App<'_, S, M, G> {
    /// Every key under `prefix`, in key order, with its metadata.
    pub(crate) async fn all_keys(&self, prefix: &str) -> Result<Vec<Listed>, Failure> {
        let mut keys = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.store.list(prefix, cursor.as_deref()).await?;
            keys.extend(page.keys);
            match page.cursor {
                Some(next) if !next.is_empty() => cursor = Some(next),
                _ => return Ok(keys),
            }
        }
    }

    /// The names of every key under `prefix`.
    pub(crate) async fn key_names(&self, prefix: &str) -> Result<Vec<String>, Failure> {
        Ok(self
            .all_keys(prefix)
            .await?
            .into_iter()
            .map(|key| key.name)
            .collect())
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, Failure> {
        match self.store.get(key).await? {
            Some(text) => Ok(Some(serde_json::from_str(&text)?)),
            None => Ok(None),
        }
    }

    pub(crate) async fn put_json<T: Serialize>(
        &self,
        key: &str,
        value: &T,
        options: Put,
    ) -> Result<(), Failure> {
        let text = serde_json::to_string(value)?;
        Ok(self.store.put(key, &text, options).await?)
    }

    /// Writes a request under `req/<shop>/<ref>`, personal fields sealed, with its
    /// listing metadata (no personal data) on the key.
    pub(crate) async fn put_request(
        &self,
        keyring: &Keyring,
        stored: &StoredRequest,
    ) -> Result<(), Failure> {
        let key = keys::request(&stored.shop, &stored.reference);
        let put = Put {
            metadata: Some(serde_json::to_value(stored.meta())?),
            ..Put::default()
        };
        self.put_sealed(keyring, &key, stored, REQUEST_PERSONAL_FIELDS, put)
            .await
    }

    /// Writes `record` under `key` with its `personal` fields sealed, bound to `key`.
    pub(crate) async fn put_sealed<T: Serialize>(
        &self,
        keyring: &Keyring,
        key: &str,
        record: &T,
        personal: &[&str],
        put: Put,
    ) -> Result<(), Failure> {
        let nonce = self.random::<NONCE_BYTES>()?;
        let value =
            seal_record(record, personal, key, keyring, nonce).map_err(|source| Fault::Record {
                key: key.to_owned(),
                source,
            })?;
        Ok(self.store.put(key, &value, put).await?)
    }

    /// Reads the request of `shop` with `reference`, opened.
    pub(crate) async fn get_request(
        &self,
        keyring: &Keyring,
        shop: &str,
        reference: &str,
    ) -> Result<Option<StoredRequest>, Failure> {
        self.get_request_at(keyring, &keys::request(shop, reference))
            .await
    }

    /// Reads the request stored under `key` (a `req/<shop>/<ref>` key from a listing).
    pub(crate) async fn get_request_at(
        &self,
        keyring: &Keyring,
        key: &str,
    ) -> Result<Option<StoredRequest>, Failure> {
        self.get_sealed(keyring, key).await
    }

    pub(crate) async fn get_sealed<T: DeserializeOwned>(
        &self,
        keyring: &Keyring,
        key: &str,
    ) -> Result<Option<T>, Failure> {
        let Some(text) = self.store.get(key).await? else {
            return Ok(None);
        };
        open_record(&text, key, keyring)
            .map(Some)
            // The key holds no personal data, so it may appear in the error (and log).
            .map_err(|source| {
                Fault::Record {
                    key: key.to_owned(),
                    source,
                }
                .into()
            })
    }

    /// Adds the request to the e-mail blind index: `email/<shop>/<hmac>/<ref>`, empty
    /// value, so "every request of this person" is a prefix listing.
    pub(crate) async fn put_email_index(
        &self,
        keyring: &Keyring,
        stored: &StoredRequest,
    ) -> Result<(), Failure> {
        let index = keyring.email_index(&stored.shop, &stored.email);
        let key = keys::email_index(&stored.shop, &index, &stored.reference);
        Ok(self.store.put(&key, "", Put::default()).await?)
    }

    /// The references of every request of `shop` filed with `email` (any case).
    pub(crate) async fn references_by_email(
        &self,
        keyring: &Keyring,
        shop: &str,
        email: &str,
    ) -> Result<Vec<String>, Failure> {
        let prefix = keys::email_index_prefix(shop, &keyring.email_index(shop, email));
        Ok(self
            .key_names(&prefix)
            .await?
            .into_iter()
            .filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned))
            .collect())
    }

    /// Appends one audit-trail event (its own key: never a rewrite of the record).
    pub(crate) async fn append_event(
        &self,
        keyring: &Keyring,
        shop: &str,
        reference: &str,
        event: &CaseEvent,
    ) -> Result<String, Failure> {
        let at = Timestamp::parse_rfc3339(&event.at).unwrap_or(Timestamp(0));
        let key = keys::event(
            shop,
            reference,
            &keys::event_seq(at, &self.random_hex::<4>()?),
        );
        self.put_sealed(keyring, &key, event, EVENT_PERSONAL_FIELDS, Put::default())
            .await?;
        Ok(key)
    }

    pub(crate) async fn get_event(
        &self,
        keyring: &Keyring,
        key: &str,
    ) -> Result<Option<CaseEvent>, Failure> {
        self.get_sealed(keyring, key).await
    }

    /// A request's history, oldest first.
    pub(crate) async fn read_events(
        &self,
        keyring: &Keyring,
        shop: &str,
        reference: &str,
    ) -> Result<Vec<CaseEvent>, Failure> {
        let mut events = Vec::new();
        for key in self.key_names(&keys::event_prefix(shop, reference)).await? {
            if let Some(event) = self.get_event(keyring, &key).await? {
                events.push(event);
            }
        }
        Ok(events)
    }
}
