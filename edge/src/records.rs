//! Reading and writing rights requests in KV (wasm32 only): the ONE way to a
//! request record, so that every reader and writer (intake, status page, cron,
//! owner routes) goes through encryption at rest. The keys come from Worker secrets
//! (`DATA_KEY`, `DATA_KEYS_OLD`, `INDEX_KEY`); sealing itself is pure
//! (`store::seal_record`, `crypto`).

use worker::{js_sys, Env, KvStore};

use crate::bindings;
use crate::crypto::{Keyring, NONCE_BYTES};
use crate::store::{self, keys, StoredRequest};

/// The keyring from the Worker's secrets. Missing or malformed keys are an
/// operator's mistake: the error names the secret, never a value.
pub(crate) fn keyring(env: &Env) -> worker::Result<Keyring> {
    let text = |name: &str| env.secret(name).ok().map(|secret| secret.to_string());
    Keyring::from_secrets(
        text(bindings::DATA_KEY).as_deref(),
        text(bindings::DATA_KEYS_OLD).as_deref(),
        text(bindings::INDEX_KEY).as_deref(),
    )
    .map_err(|error| worker::Error::from(error.to_string()))
}

/// Writes a request under `req/<shop>/<ref>`, personal fields sealed, with its
/// listing metadata (no personal data) on the key.
pub(crate) async fn put_request(
    kv: &KvStore,
    keyring: &Keyring,
    stored: &StoredRequest,
) -> worker::Result<()> {
    let key = keys::request(&stored.shop, &stored.reference);
    let value = store::seal_record(
        stored,
        store::REQUEST_PERSONAL_FIELDS,
        &key,
        keyring,
        random_bytes::<NONCE_BYTES>()?,
    )
    .map_err(|error| worker::Error::from(error.to_string()))?;
    kv.put(&key, value)?
        .metadata(stored.meta())?
        .execute()
        .await?;
    Ok(())
}

/// Reads the request of `shop` with `reference`, opened.
pub(crate) async fn get_request(
    kv: &KvStore,
    keyring: &Keyring,
    shop: &str,
    reference: &str,
) -> worker::Result<Option<StoredRequest>> {
    get_request_at(kv, keyring, &keys::request(shop, reference)).await
}

/// Reads the request stored under `key` (a `req/<shop>/<ref>` key from a listing).
pub(crate) async fn get_request_at(
    kv: &KvStore,
    keyring: &Keyring,
    key: &str,
) -> worker::Result<Option<StoredRequest>> {
    let Some(text) = kv.get(key).text().await? else {
        return Ok(None);
    };
    store::open_record(&text, key, keyring)
        .map(Some)
        // The key holds no personal data, so it may appear in the error (and log).
        .map_err(|error| worker::Error::from(format!("{key}: {error}")))
}

/// Adds the request to the e-mail blind index: `email/<shop>/<hmac>/<ref>`, empty
/// value, so "every request of this person" is a prefix listing.
pub(crate) async fn put_email_index(
    kv: &KvStore,
    keyring: &Keyring,
    stored: &StoredRequest,
) -> worker::Result<()> {
    let index = keyring.email_index(&stored.shop, &stored.email);
    kv.put(
        &keys::email_index(&stored.shop, &index, &stored.reference),
        "",
    )?
    .execute()
    .await?;
    Ok(())
}

/// The references of every request of `shop` filed with `email` (any case).
pub(crate) async fn references_by_email(
    kv: &KvStore,
    keyring: &Keyring,
    shop: &str,
    email: &str,
) -> worker::Result<Vec<String>> {
    let prefix = keys::email_index_prefix(shop, &keyring.email_index(shop, email));
    let keys = crate::listing::all_keys(kv, &prefix).await?;
    Ok(keys
        .into_iter()
        .filter_map(|key| key.name.strip_prefix(&prefix).map(str::to_owned))
        .collect())
}

/// Bytes from the platform's cryptographic random source (`crypto.getRandomValues`).
pub(crate) fn random_bytes<const N: usize>() -> worker::Result<[u8; N]> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get_random_values: js_sys::Function =
        js_sys::Reflect::get(&crypto, &"getRandomValues".into())?.into();
    let array = js_sys::Uint8Array::new_with_length(N as u32);
    get_random_values.call1(&crypto, &array)?;
    let mut out = [0u8; N];
    array.copy_to(&mut out);
    Ok(out)
}
