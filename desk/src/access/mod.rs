//! Answers to rights requests, wired into the edge: the owner prepares an answer on
//! a request's page (a Shopify look-up, or an uploaded order export, plus Privacy
//! Desk's own records), reviews the draft and sends it; an access package is kept
//! sealed behind a download link whose token only the mail carries, and the
//! requester opens it by typing their address again. What goes into a package and
//! how it reads is the `answer` crate's; this module stores, fetches and routes.

mod html;
mod multipart;
mod owner;
mod platform;
mod purge;
mod requester;
mod texts;

use answer::{Found, Processing};
use protocol::{Lang, Right};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub(crate) use owner::AnswerAction;

/// Bytes of an uploaded order export the Worker reads on the upload route (the
/// export's own cap plus room for the form's multipart framing).
pub const UPLOAD_BODY_BYTES: usize = answer::orders_csv::MAX_UPLOAD_BYTES + 16 * 1024;

/// How long a prepared draft is kept if it is never sent.
const DRAFT_TTL_SECONDS: u64 = 30 * 86_400;

/// Where the platform data of a draft came from.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DraftSource {
    Shopify,
    OrderExport,
}

/// The owner's prepared answer, sealed under `answer/<shop>/<ref>` until sent.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Draft {
    pub prepared_at: String,
    pub source: DraftSource,
    /// The verified address matches a customer of the platform (Shopify: a
    /// customer record; an order export: at least one row).
    pub known_customer: bool,
    /// Shopify granted no `read_all_orders`: orders older than 60 days are missing.
    #[serde(default)]
    pub orders_limited: bool,
    /// Rows read from an uploaded export (all of them, not only the requester's).
    #[serde(default)]
    pub rows_read: usize,
    /// The consent id the requester gave, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// What the platform holds about the person (the only personal part).
    pub found: Found,
}

const DRAFT_PERSONAL_FIELDS: &[&str] = &["found", "consent_id"];

/// A sent access package as kept under `package/<token hash>` until its link expires.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Delivery {
    pub shop: String,
    pub reference: String,
    pub lang: Lang,
    pub right: Right,
    /// RFC 3339; the link answers until then (the key's TTL ends it in KV too).
    pub expires_at: String,
    /// `digest::email_proof` of the verified address, compared in constant time.
    pub email_proof: String,
    /// Days since 1970-01-01.
    pub prepared_on: i64,
    /// The shop's processing as it was when the answer was sent.
    pub processing: Processing,
    pub found: Found,
}

const DELIVERY_PERSONAL_FIELDS: &[&str] = &["found", "email_proof"];

/// Whether a right is answered with a package (art. 15, art. 20) rather than a reply.
pub(crate) fn gets_package(right: Right) -> bool {
    matches!(right, Right::Access | Right::Portability)
}

/// Random bytes in a download token (hex in the link).
const TOKEN_BYTES: usize = 32;

/// The stored form of a download token: only this hash is kept, so KV never holds
/// a working link.
pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"privacy-desk/package-token/v1\0")
        .chain_update(token.as_bytes())
        .finalize();
    crate::store::digest::hex(&digest)
}

/// A token as the link carries it: 64 lower-case hex digits. Anything else is not
/// looked up at all.
pub(crate) fn token_well_formed(token: &str) -> bool {
    token.len() == TOKEN_BYTES * 2
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let token = "0123456789abcdef".repeat(4);
        assert!(token_well_formed(&token));
        assert!(!token_well_formed(&token.to_uppercase()));
        assert!(!token_well_formed(&token[1..]));
        assert!(!token_well_formed(""));
        assert_ne!(token_hash(&token), token);
        assert_eq!(token_hash(&token).len(), 64);
    }
}
