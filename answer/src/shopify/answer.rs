//! Shopify's answers read as the documentation shapes them: the GraphQL envelope
//! (`data`, `errors[].extensions.code`, `extensions.cost`) and the token grant.

use serde::Deserialize;
use serde_json::Value;

use super::{CachedToken, HttpAnswer, ShopifyError, TOKEN_DEFAULT_LIFETIME_MS};

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    extensions: Option<Value>,
}

/// The `data` of a GraphQL answer, or the error it carries. `email` is removed
/// from any message Shopify echoes, so errors can be logged.
pub fn interpret(reply: &HttpAnswer, email: &str) -> Result<Value, ShopifyError> {
    let envelope = serde_json::from_str::<Envelope>(&reply.body).ok();
    let cost = envelope.as_ref().and_then(|e| e.extensions.as_ref());
    match reply.status {
        200..=299 => {}
        401 => return Err(ShopifyError::Unauthorized),
        403 => return Err(ShopifyError::AccessDenied { scope: None }),
        429 => return Err(throttled(reply, cost)),
        status => return Err(ShopifyError::Http { status }),
    }
    let envelope = envelope.ok_or(ShopifyError::Malformed)?;
    let errors = match &envelope.errors {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(errors)) => errors.as_slice(),
        // A top-level string: Shopify's REST-style error for a bad token or shop.
        Some(Value::String(text)) => {
            return Err(ShopifyError::GraphQl {
                code: "ERROR".into(),
                message: redact(text, email),
            })
        }
        Some(_) => return Err(ShopifyError::Malformed),
    };
    let code_of = |error: &Value| {
        error
            .pointer("/extensions/code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    if errors.iter().any(|e| code_of(e) == "THROTTLED") {
        return Err(throttled(reply, envelope.extensions.as_ref()));
    }
    if let Some(denied) = errors.iter().find(|e| code_of(e) == "ACCESS_DENIED") {
        return Err(ShopifyError::AccessDenied {
            scope: missing_scope(denied),
        });
    }
    if let Some(first) = errors.first() {
        let code = code_of(first);
        return Err(ShopifyError::GraphQl {
            code: if code.is_empty() {
                "ERROR".into()
            } else {
                code
            },
            message: redact(
                first.get("message").and_then(Value::as_str).unwrap_or(""),
                email,
            ),
        });
    }
    envelope.data.ok_or(ShopifyError::Malformed)
}

fn redact(text: &str, email: &str) -> String {
    let text: String = text.chars().take(300).collect();
    if email.is_empty() {
        text
    } else {
        text.replace(email, "<e-mail>")
    }
}

/// The scope named in an `ACCESS_DENIED` error: from its message ("Required
/// access: `read_orders` access scope"), else guessed from the field's path.
fn missing_scope(error: &Value) -> Option<String> {
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    let named = message.split('`').find(|part| {
        part.starts_with("read_")
            && part[5..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
    });
    if let Some(scope) = named {
        return Some(scope.to_owned());
    }
    let path = error.get("path").and_then(Value::as_array)?;
    let on = |name: &str| path.iter().any(|p| p.as_str() == Some(name));
    if on("orders") {
        Some("read_orders".into())
    } else if on("customerByIdentifier") {
        Some("read_customers".into())
    } else {
        None
    }
}

/// The retry hint: `Retry-After` if given, else the time the bucket needs to
/// refill to the requested cost at the restore rate (`extensions.cost`).
fn throttled(reply: &HttpAnswer, extensions: Option<&Value>) -> ShopifyError {
    let number = |pointer: &str| {
        extensions
            .and_then(|e| e.pointer(pointer))
            .and_then(Value::as_f64)
    };
    let requested = number("/cost/requestedQueryCost");
    let available = number("/cost/throttleStatus/currentlyAvailable");
    let restore = number("/cost/throttleStatus/restoreRate");
    let from_header = reply
        .header("Retry-After")
        .and_then(|v| v.trim().parse::<f64>().ok());
    let from_cost = match (requested, available, restore) {
        (Some(requested), Some(available), Some(restore)) if restore > 0.0 => {
            Some((requested - available) / restore)
        }
        _ => None,
    };
    let seconds = from_header
        .or(from_cost)
        .unwrap_or(1.0)
        .ceil()
        .clamp(1.0, 3600.0);
    let whole = |v: Option<f64>| {
        v.filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.min(u32::MAX as f64) as u32)
    };
    ShopifyError::Throttled {
        retry_after_seconds: seconds as u64,
        requested_cost: whole(requested),
        available: whole(available),
    }
}

#[derive(Deserialize)]
struct Grant {
    access_token: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// The token from a client-credentials grant answer, with its expiry.
pub fn granted_token(reply: &HttpAnswer, now_ms: u64) -> Result<CachedToken, ShopifyError> {
    match reply.status {
        200..=299 => {}
        429 => return Err(throttled(reply, None)),
        status if status >= 500 => return Err(ShopifyError::Http { status }),
        status => return Err(ShopifyError::Grant { status }),
    }
    let grant: Grant = serde_json::from_str(&reply.body).map_err(|_| ShopifyError::Malformed)?;
    if grant.access_token.is_empty() {
        return Err(ShopifyError::Malformed);
    }
    let granted: Vec<&str> = grant.scope.split(',').map(str::trim).collect();
    // Without these the look-up cannot work; say so now rather than per query.
    if !grant.scope.is_empty() {
        for needed in ["read_customers", "read_orders"] {
            if !granted.contains(&needed) {
                return Err(ShopifyError::AccessDenied {
                    scope: Some(needed.into()),
                });
            }
        }
    }
    let lifetime = grant
        .expires_in
        .map_or(TOKEN_DEFAULT_LIFETIME_MS, |s| s.saturating_mul(1000));
    Ok(CachedToken {
        access_token: grant.access_token,
        scope: grant.scope,
        expires_at_ms: now_ms.saturating_add(lifetime),
    })
}
