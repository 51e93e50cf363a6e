//! The shop's public configuration (`GET /api/shops/<shop>/config`) read out of the
//! parsed JSON with `Reflect`: serde's deserializer would bring float formatting
//! for its error messages (about 15 KB of WASM). Shared by the consent module and
//! the preferences dialog module.

use crate::prelude::*;

use js_sys::{Array, Reflect};
use protocol::WidgetConfig;
use wasm_bindgen::{JsCast, JsValue};

/// The configuration, or `None` when `json` is not a valid one (the edge could not
/// be reached, answered with an error, or sent something else).
pub fn from_js(json: &JsValue) -> Option<WidgetConfig> {
    let services = Reflect::get(json, &"services".into()).ok()?;
    let services = services
        .dyn_ref::<Array>()?
        .iter()
        .filter_map(|s| service_from_js(&s))
        .collect();
    Some(WidgetConfig {
        shop: string(json, "shop")?,
        shop_name: string(json, "shop_name").unwrap_or_default(),
        policy_version: string(json, "policy_version").filter(|v| !v.is_empty())?,
        consent_max_age_days: Reflect::get(json, &"consent_max_age_days".into())
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|d| *d >= 1.0 && *d <= 3650.0)
            .map_or(183, |d| d as u32),
        privacy_policy_url: string(json, "privacy_policy_url").unwrap_or_default(),
        services,
    })
}

fn service_from_js(s: &JsValue) -> Option<protocol::Service> {
    let localized = |key: &str| {
        let v = Reflect::get(s, &key.into()).ok()?;
        Some(protocol::Localized {
            en: string(&v, "en")?,
            nl: string(&v, "nl")?,
        })
    };
    let category = match string(s, "category")?.as_str() {
        "preferences" => protocol::Category::Preferences,
        "analytics" => protocol::Category::Analytics,
        "marketing" => protocol::Category::Marketing,
        _ => return None,
    };
    Some(protocol::Service {
        name: string(s, "name")?,
        provider: string(s, "provider"),
        category,
        purpose: localized("purpose")?,
        cookies: strings(s, "cookies")?,
        retention: localized("retention")?,
        policy_url: string(s, "policy_url").unwrap_or_default(),
        // Left out of the configuration's JSON when empty.
        local_storage: strings(s, "local_storage").unwrap_or_default(),
    })
}

/// `obj[key]` as a list of strings, if it is an array.
fn strings(obj: &JsValue, key: &str) -> Option<Vec<String>> {
    let list = Reflect::get(obj, &key.into()).ok()?;
    Some(
        list.dyn_ref::<Array>()?
            .iter()
            .filter_map(|c| c.as_string())
            .collect(),
    )
}

fn string(obj: &JsValue, key: &str) -> Option<String> {
    Reflect::get(obj, &key.into()).ok()?.as_string()
}
