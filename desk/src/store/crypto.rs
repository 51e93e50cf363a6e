//! Personal data at rest and keyed hashes: AES-256-GCM envelopes that name the key
//! they were sealed with (so keys rotate and old records stay readable), and
//! HMAC-SHA256 for the e-mail blind index and the rate limiter's client key.
//! Pure: keys come in as the secrets' text, nonces as bytes from the caller.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::bindings::{
    DATA_KEY as DATA_KEY_SECRET, DATA_KEYS_OLD as DATA_KEYS_OLD_SECRET,
    INDEX_KEY as INDEX_KEY_SECRET,
};
use crate::store::digest::hex;

/// Envelope format version; the first dot-separated part of every sealed value.
const VERSION: &str = "pd1";
/// Bytes of a GCM nonce. Random per seal: safe for far more than 2^32 seals per key
/// than this product will ever make.
pub const NONCE_BYTES: usize = 12;
/// Bytes of a data key (AES-256).
const DATA_KEY_BYTES: usize = 32;
/// Smallest accepted index key: the HMAC must be as strong as the data key.
const INDEX_KEY_MIN_BYTES: usize = 32;

/// Why the keys could not be loaded. Names the secret, never its value.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(Debug))]
pub struct KeyError {
    pub secret: &'static str,
    pub problem: &'static str,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "secret {}: {}", self.secret, self.problem)
    }
}

/// Why an envelope could not be opened. Carries nothing of the envelope's content.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OpenError {
    /// Not an envelope of a known version and shape.
    Malformed,
    /// Sealed with a key that is neither `DATA_KEY` nor in `DATA_KEYS_OLD`.
    UnknownKey(String),
    /// Authentication failed: altered, or sealed for another record.
    Tampered,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Malformed => f.write_str("sealed value is malformed"),
            OpenError::UnknownKey(id) => write!(f, "sealed with unknown key id {id}"),
            OpenError::Tampered => f.write_str("sealed value failed authentication"),
        }
    }
}

struct DataKey {
    id: String,
    cipher: Aes256Gcm,
}

impl DataKey {
    fn parse(text: &str, secret: &'static str) -> Result<DataKey, KeyError> {
        let bytes = decode_base64(text.trim()).ok_or(KeyError {
            secret,
            problem: "not base64",
        })?;
        if bytes.len() != DATA_KEY_BYTES {
            return Err(KeyError {
                secret,
                problem: "must be 32 bytes (base64 of 32 random bytes)",
            });
        }
        Ok(DataKey {
            id: key_id(&bytes),
            cipher: Aes256Gcm::new_from_slice(&bytes).map_err(|_| KeyError {
                secret,
                problem: "must be 32 bytes",
            })?,
        })
    }
}

/// The key id stored in each envelope: a keyed hash of the key itself, so the
/// operator never has to name keys and the id reveals nothing about the key.
fn key_id(key: &[u8]) -> String {
    hex(&hmac(key, &[b"privacy-desk/key-id/v1"])[..4])
}

/// The keys of one request: the data key in use, the old ones still readable, and
/// the index key for blind indexes and client keys.
pub struct Keyring {
    current: DataKey,
    old: Vec<DataKey>,
    index: Vec<u8>,
}

impl Keyring {
    /// Loads the keys from the secrets' text: `data_key` (`DATA_KEY`, base64 of 32
    /// bytes), `old_keys` (`DATA_KEYS_OLD`, optional, base64 keys separated by
    /// commas or whitespace) and `index_key` (`INDEX_KEY`, base64 of >= 32 bytes).
    pub fn from_secrets(
        data_key: Option<&str>,
        old_keys: Option<&str>,
        index_key: Option<&str>,
    ) -> Result<Keyring, KeyError> {
        let data_key = data_key.filter(|k| !k.trim().is_empty()).ok_or(KeyError {
            secret: DATA_KEY_SECRET,
            problem: "is not set",
        })?;
        let current = DataKey::parse(data_key, DATA_KEY_SECRET)?;
        let old = old_keys
            .unwrap_or("")
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|k| !k.is_empty())
            .map(|k| DataKey::parse(k, DATA_KEYS_OLD_SECRET))
            .collect::<Result<Vec<_>, _>>()?;
        let index_key = index_key.filter(|k| !k.trim().is_empty()).ok_or(KeyError {
            secret: INDEX_KEY_SECRET,
            problem: "is not set",
        })?;
        let index = decode_base64(index_key.trim()).ok_or(KeyError {
            secret: INDEX_KEY_SECRET,
            problem: "not base64",
        })?;
        if index.len() < INDEX_KEY_MIN_BYTES {
            return Err(KeyError {
                secret: INDEX_KEY_SECRET,
                problem: "must be at least 32 bytes (base64 of 32 random bytes)",
            });
        }
        Ok(Keyring {
            current,
            old,
            index,
        })
    }

    /// The id of the key new envelopes are sealed with.
    pub fn current_key_id(&self) -> &str {
        &self.current.id
    }

    /// Seals `plaintext` for one place: `context` (e.g. the KV key) is
    /// authenticated, so an envelope copied into another record does not open.
    pub fn seal(&self, plaintext: &[u8], context: &str, nonce: [u8; NONCE_BYTES]) -> String {
        let payload = Payload {
            msg: plaintext,
            aad: context.as_bytes(),
        };
        // Encryption with a valid key and a 12-byte nonce only fails for inputs
        // beyond GCM's 64 GiB limit, far above any body the edge accepts.
        let sealed = self
            .current
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        format!(
            "{VERSION}.{}.{}.{}",
            self.current.id,
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(sealed)
        )
    }

    /// Opens an envelope sealed by [`Keyring::seal`] under the same `context`, with
    /// the current key or any old one.
    pub fn open(&self, envelope: &str, context: &str) -> Result<Vec<u8>, OpenError> {
        let mut parts = envelope.split('.');
        let (Some(VERSION), Some(id), Some(nonce), Some(sealed), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(OpenError::Malformed);
        };
        let nonce = URL_SAFE_NO_PAD
            .decode(nonce)
            .ok()
            .filter(|n| n.len() == NONCE_BYTES)
            .ok_or(OpenError::Malformed)?;
        let sealed = URL_SAFE_NO_PAD
            .decode(sealed)
            .map_err(|_| OpenError::Malformed)?;
        let key = std::iter::once(&self.current)
            .chain(&self.old)
            .find(|key| key.id == id)
            .ok_or_else(|| OpenError::UnknownKey(id.chars().take(16).collect()))?;
        let payload = Payload {
            msg: &sealed,
            aad: context.as_bytes(),
        };
        key.cipher
            .decrypt(Nonce::from_slice(&nonce), payload)
            .map_err(|_| OpenError::Tampered)
    }

    /// Blind index of an e-mail address within one shop: equal for the same address
    /// ([`crate::intake::address::normalized`]), unlinkable across shops, useless without
    /// the key. 128 bits, hex.
    pub fn email_index(&self, shop: &str, email: &str) -> String {
        let normalized = crate::intake::address::normalized(email);
        hex(&hmac(
            &self.index,
            &[
                b"privacy-desk/email-index/v1",
                shop.as_bytes(),
                normalized.as_bytes(),
            ],
        )[..16])
    }

    /// The rate limiter's key for a client address: the address never leaves this
    /// function. 128 bits, hex.
    pub fn client_key(&self, address: &str) -> String {
        hex(&hmac(
            &self.index,
            &[b"privacy-desk/client/v1", address.trim().as_bytes()],
        )[..16])
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return [0; 32];
    };
    for part in parts {
        // Length-prefixed, so that ("ab","c") and ("a","bc") differ.
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Base64 as operators paste it: standard or URL-safe alphabet, padded or not.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8";
    const INDEX: &str = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

    fn ring(current: &str, old: Option<&str>) -> Keyring {
        Keyring::from_secrets(Some(current), old, Some(INDEX)).unwrap()
    }

    #[test]
    fn seal_and_open() {
        let keys = ring(KEY_A, None);
        let sealed = keys.seal(b"Anna de Vries", "req/demo-nl/PR-1", [7; 12]);
        assert!(sealed.starts_with(&format!("pd1.{}.", keys.current_key_id())));
        assert!(!sealed.contains("Anna"));
        assert_eq!(
            keys.open(&sealed, "req/demo-nl/PR-1").unwrap(),
            b"Anna de Vries"
        );
        // Bound to its record.
        assert_eq!(
            keys.open(&sealed, "req/demo-nl/PR-2"),
            Err(OpenError::Tampered)
        );
        // Fresh nonce, fresh ciphertext.
        assert_ne!(
            sealed,
            keys.seal(b"Anna de Vries", "req/demo-nl/PR-1", [8; 12])
        );
    }

    #[test]
    fn rotation_keeps_old_records_readable() {
        let before = ring(KEY_A, None);
        let sealed = before.seal(b"x", "c", [1; 12]);
        let after = ring(KEY_B, Some(&format!(" {KEY_A} ,")));
        assert_ne!(after.current_key_id(), before.current_key_id());
        assert_eq!(after.open(&sealed, "c").unwrap(), b"x");
        let without_old = ring(KEY_B, None);
        assert_eq!(
            without_old.open(&sealed, "c"),
            Err(OpenError::UnknownKey(before.current_key_id().to_owned()))
        );
        // The index key does not rotate with the data key: look-ups keep working.
        assert_eq!(
            before.email_index("demo-nl", "a@b.nl"),
            after.email_index("demo-nl", "a@b.nl")
        );
    }

    #[test]
    fn tampering_and_garbage() {
        let keys = ring(KEY_A, None);
        let sealed = keys.seal(b"secret", "c", [2; 12]);
        let mut flipped = sealed.clone().into_bytes();
        let last = flipped.len() - 2;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(keys.open(&flipped, "c"), Err(OpenError::Tampered));
        for garbage in [
            "",
            "pd1",
            "pd1...",
            "pd2.x.y.z",
            "pd1.a.b.c.d",
            &sealed.replacen("pd1", "pd0", 1),
        ] {
            assert!(keys.open(garbage, "c").is_err(), "{garbage}");
        }
    }

    #[test]
    fn key_errors() {
        let load = |d: Option<&str>, o: Option<&str>, i: Option<&str>| {
            Keyring::from_secrets(d, o, i).err().map(|e| e.to_string())
        };
        assert_eq!(load(Some(KEY_A), None, Some(INDEX)), None);
        assert_eq!(
            load(None, None, Some(INDEX)).unwrap(),
            "secret DATA_KEY: is not set"
        );
        assert_eq!(
            load(Some(" "), None, Some(INDEX)).unwrap(),
            "secret DATA_KEY: is not set"
        );
        assert_eq!(
            load(Some("!!"), None, Some(INDEX)).unwrap(),
            "secret DATA_KEY: not base64"
        );
        assert!(load(Some("AAAA"), None, Some(INDEX))
            .unwrap()
            .contains("32 bytes"));
        assert!(load(Some(KEY_A), Some("AAAA"), Some(INDEX))
            .unwrap()
            .starts_with("secret DATA_KEYS_OLD"));
        assert_eq!(
            load(Some(KEY_A), None, None).unwrap(),
            "secret INDEX_KEY: is not set"
        );
        assert!(load(Some(KEY_A), None, Some("AAAA"))
            .unwrap()
            .contains("at least 32"));
        // The message never quotes the value.
        assert!(!load(Some("c2VjcmV0"), None, Some(INDEX))
            .unwrap()
            .contains("c2VjcmV0"));
    }

    #[test]
    fn blind_index() {
        let keys = ring(KEY_A, None);
        let index = keys.email_index("demo-nl", " Anna@Example.NL ");
        assert_eq!(index, keys.email_index("demo-nl", "anna@example.nl"));
        assert_eq!(index.len(), 32);
        assert!(index.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(index, keys.email_index("demo-en", "anna@example.nl"));
        assert_ne!(index, keys.email_index("demo-nl", "anna@example.com"));
        let other = Keyring::from_secrets(Some(KEY_A), None, Some(KEY_B)).unwrap();
        assert_ne!(index, other.email_index("demo-nl", "anna@example.nl"));
        assert_eq!(keys.client_key("203.0.113.7").len(), 32);
        assert_ne!(
            keys.client_key("203.0.113.7"),
            keys.client_key("203.0.113.8")
        );
        assert!(!keys.client_key("203.0.113.7").contains("203"));
    }

    proptest::proptest! {
        #[test]
        fn open_never_panics(envelope in "\\PC{0,200}", context in "\\PC{0,20}") {
            let keys = ring(KEY_A, Some(KEY_B));
            let _ = keys.open(&envelope, &context);
            let _ = keys.open(&format!("pd1.{}.{envelope}", keys.current_key_id()), &context);
        }

        #[test]
        fn round_trip(plaintext in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
                      context in "\\PC{0,40}", nonce in proptest::array::uniform12(0u8..)) {
            let keys = ring(KEY_A, None);
            let sealed = keys.seal(&plaintext, &context, nonce);
            proptest::prop_assert_eq!(keys.open(&sealed, &context).unwrap(), plaintext);
        }

        #[test]
        fn secrets_never_panic(d in "\\PC{0,60}", o in "\\PC{0,60}", i in "\\PC{0,60}") {
            let _ = Keyring::from_secrets(Some(&d), Some(&o), Some(&i));
        }
    }
}
