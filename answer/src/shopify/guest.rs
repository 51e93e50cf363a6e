//! Orders found by the e-mail address on the order itself, which is how a guest
//! checkout (no customer record) can still be answered. Shopify's search is a text
//! search, so every order returned is checked again: only orders whose e-mail
//! address is the requester's are kept.

use serde::Deserialize;
use serde_json::{json, Value};

use super::customer::{next, order_record, Connection, Order};
use super::ShopifyError;
use crate::{Found, Record};

#[derive(Deserialize)]
struct Data {
    orders: Connection<Order>,
}

/// The search term for orders placed with `email`: a quoted value, with `\` and
/// `"` escaped as the search syntax asks. It travels as a GraphQL variable, so it
/// cannot change the query itself.
pub fn search_term(email: &str) -> String {
    let escaped = email.trim().replace('\\', "\\\\").replace('"', "\\\"");
    format!("email:\"{escaped}\"")
}

/// The paging state of one guest-order look-up.
#[derive(Default)]
pub struct GuestPages {
    after: Option<String>,
    orders: Vec<Record>,
}

impl GuestPages {
    pub fn variables(&self, email: &str) -> Value {
        json!({ "query": search_term(email), "after": self.after })
    }

    /// Takes one page; `Ok(true)` when another page is needed.
    pub fn take(&mut self, data: Value, email: &str) -> Result<bool, ShopifyError> {
        let data: Data = super::from_data(&data)?;
        let wanted = email.trim();
        for order in &data.orders.nodes {
            let placed_with = order.email.as_deref().map(str::trim).unwrap_or("");
            if !wanted.is_empty() && placed_with.eq_ignore_ascii_case(wanted) {
                self.orders.push(order_record(order));
            }
        }
        let (after, done) = next(data.orders.page_info)?;
        self.after = after;
        Ok(!done)
    }

    pub fn into_found(self, truncated: bool) -> Found {
        Found {
            records: self.orders,
            truncated,
        }
    }
}
