//! Names of the Worker's bindings, as declared in `wrangler.toml`: the one place
//! the code spells them.

/// The KV namespace holding consent records, rights requests, outbox and
/// idempotency keys (prefixes in `store::keys`).
pub const KV: &str = "KV";
/// The `send_email` binding for mail to each shop's privacy contact.
pub const EMAIL: &str = "EMAIL";
/// Var: array of shop entries (`[[vars.SHOPS]]`).
pub const SHOPS: &str = "SHOPS";
/// Var: the fixed sender address of every mail.
pub const MAIL_FROM: &str = "MAIL_FROM";
/// Secret: bearer token of the owner routes (`/api/admin/*`).
pub const ADMIN_TOKEN: &str = "ADMIN_TOKEN";
