//! The rights-request form, rendered into every `[data-privacy-request-form]`
//! element of the page. (Owned by the form work; the entry in `lib.rs` only calls
//! [`mount_all`].)

/// Renders the form into every mount point on the page. `api_base` is the edge
/// origin (no trailing slash), `shop` the shop id from `data-shop`.
pub fn mount_all(api_base: &str, shop: &str, lang: protocol::Lang) {
    let _ = (api_base, shop, lang);
}
