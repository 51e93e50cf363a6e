//! The KV key layout: the ONE module that spells a key. One namespace; each prefix
//! is an index. Shop ids and references are validated before they get here, so no
//! key contains a `/` from outside or any personal data.

use crate::time::Timestamp;

pub fn consent(shop: &str, year_month: &str, record_id: &str) -> String {
    format!("consent/{shop}/{year_month}/{record_id}")
}

pub fn consent_prefix(shop: &str) -> String {
    format!("consent/{shop}/")
}

pub fn request(shop: &str, reference: &str) -> String {
    format!("req/{shop}/{reference}")
}

pub fn request_prefix(shop: &str) -> String {
    format!("req/{shop}/")
}

pub fn outbox(reference: &str, n: u32) -> String {
    format!("outbox/{reference}/{n}")
}

pub const OUTBOX_PREFIX: &str = "outbox/";

/// Every outbox entry of one request.
pub fn outbox_prefix(reference: &str) -> String {
    format!("outbox/{reference}/")
}

pub fn idempotency(shop: &str, key: &str) -> String {
    format!("idem/{shop}/{key}")
}

/// Blind index entry: `index` is `Keyring::email_index` of the requester's
/// address, never the address.
pub fn email_index(shop: &str, index: &str, reference: &str) -> String {
    format!("email/{shop}/{index}/{reference}")
}

pub fn email_index_prefix(shop: &str, index: &str) -> String {
    format!("email/{shop}/{index}/")
}

/// One audit-trail event: a key per event, so appending never rewrites (or
/// races on) the request record. `seq` sorts in time order.
pub fn event(shop: &str, reference: &str, seq: &str) -> String {
    format!("event/{shop}/{reference}/{seq}")
}

pub fn event_prefix(shop: &str, reference: &str) -> String {
    format!("event/{shop}/{reference}/")
}

/// Mail to the requester not sent yet.
pub fn notify(shop: &str, reference: &str, seq: &str) -> String {
    format!("notify/{shop}/{reference}/{seq}")
}

pub const NOTIFY_PREFIX: &str = "notify/";

pub fn notify_prefix(shop: &str, reference: &str) -> String {
    format!("notify/{shop}/{reference}/")
}

/// Marks that a verification mail went to an address (by its blind index) of a
/// shop; kept 24 hours, so a stranger's address gets at most one a day.
pub fn verification_sent(shop: &str, email_index: &str) -> String {
    format!("verifysent/{shop}/{email_index}")
}

/// How many mails went to requesters of a shop in one UTC hour (`yyyy-mm-ddThh`).
pub fn requester_mail_count(shop: &str, hour: &str) -> String {
    format!("mailcount/{shop}/{hour}")
}

/// Marks that the privacy contact was reminded of a request on a day.
pub fn reminded(shop: &str, reference: &str, day: &str) -> String {
    format!("reminded/{shop}/{reference}/{day}")
}

/// The anonymised record left after the purge.
pub fn anonymised(shop: &str, closed_day: &str, id: &str) -> String {
    format!("anon/{shop}/{closed_day}/{id}")
}

pub fn anonymised_prefix(shop: &str) -> String {
    format!("anon/{shop}/")
}

/// The owner's session generation: every session cookie names the generation it
/// was issued in, and signing out writes a new one, which ends every session.
pub const OWNER_SESSION: &str = "owner/session";

/// A client locked out of owner authentication for a minute (too many failures).
/// `client` is `Keyring::client_key`, never an address.
pub fn auth_lock(client: &str) -> String {
    format!("lock/auth/{client}")
}

/// The owner's prepared answer to a request (sealed), until it is sent.
pub fn answer_draft(shop: &str, reference: &str) -> String {
    format!("answer/{shop}/{reference}")
}

/// An access package behind its download link: `token_hash` is
/// `access::token_hash` of the link's token (the token itself is never stored).
pub fn package(token_hash: &str) -> String {
    format!("package/{token_hash}")
}

pub const PACKAGE_PREFIX: &str = "package/";

/// A shop's Shopify access token from the client-credentials grant (sealed).
pub fn shopify_token(shop: &str) -> String {
    format!("shopify/token/{shop}")
}

/// An event key's sequence part: time first (sorts), then randomness (unique).
pub fn event_seq(now: Timestamp, random_hex: &str) -> String {
    format!("{:013}-{random_hex}", now.0)
}
