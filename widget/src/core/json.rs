//! The request bodies the widget sends (consent record, rights request) as JSON,
//! written by hand: serde's serializer and serde-wasm-bindgen cost several
//! kilobytes of WASM for two small objects. The host tests check the output
//! against serde_json's reading of the same `protocol` types, so the wire format
//! cannot drift.

use crate::prelude::*;

use protocol::{ConsentRecord, ConsentSource, NewRightsRequest};

/// A JSON object being written: `{"key":value,...}`.
struct Object(String);

impl Object {
    fn new() -> Object {
        Object(String::from("{"))
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    fn string(&mut self, key: &str, value: &str) {
        push_string(self.key(key), value);
    }

    /// Leaves the key out for `None` (`skip_serializing_if = "Option::is_none"`).
    fn optional(&mut self, key: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key).push_str(if value { "true" } else { "false" });
    }

    fn object(&mut self, key: &str, value: Object) {
        self.key(key).push_str(&value.finish());
    }

    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
fn push_string(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The wire name of a consent source (`#[serde(rename_all = "snake_case")]`).
pub fn source_name(source: ConsentSource) -> &'static str {
    match source {
        ConsentSource::Banner => "banner",
        ConsentSource::Preferences => "preferences",
        ConsentSource::Gpc => "gpc",
        ConsentSource::Api => "api",
    }
}

/// The body of `POST /api/consent`.
pub fn consent_record(record: &ConsentRecord) -> String {
    // Destructured without `..`: a field added to the wire type must be added here.
    let ConsentRecord {
        shop,
        consent_id,
        policy_version,
        choices,
        source,
        lang,
        gpc,
        services,
    } = record;
    let mut choice = Object::new();
    choice.bool("analytics", choices.analytics);
    choice.bool("marketing", choices.marketing);
    choice.bool("preferences", choices.preferences);
    let mut o = Object::new();
    o.string("shop", shop);
    o.string("consent_id", consent_id);
    o.string("policy_version", policy_version);
    o.object("choices", choice);
    o.string("source", source_name(*source));
    o.string("lang", lang.code());
    o.bool("gpc", *gpc);
    let list = o.key("services");
    list.push('[');
    for (i, service) in services.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        let mut item = Object::new();
        item.string("name", &service.name);
        item.bool("granted", service.granted);
        list.push_str(&item.finish());
    }
    list.push(']');
    o.finish()
}

/// The body of `POST /api/requests`.
pub fn rights_request(request: &NewRightsRequest) -> String {
    // Destructured without `..`: a field added to the wire type must be added here.
    let NewRightsRequest {
        shop,
        right,
        name,
        email,
        order_number,
        details,
        confirm_true,
        lang,
        idempotency_key,
        honeypot,
        turnstile_token,
    } = request;
    let mut o = Object::new();
    o.string("shop", shop);
    o.string("right", right.code());
    o.string("name", name);
    o.string("email", email);
    o.optional("order_number", order_number);
    o.optional("details", details);
    o.bool("confirm_true", *confirm_true);
    o.string("lang", lang.code());
    o.string("idempotency_key", idempotency_key);
    o.optional("honeypot", honeypot);
    o.optional("turnstile_token", turnstile_token);
    o.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{Choices, Lang, Right};

    #[test]
    fn rights_request_matches_serde_with_and_without_optionals() {
        for right in Right::ALL {
            for filled in [false, true] {
                let optional = |text: &str| filled.then(|| text.to_owned());
                let request = NewRightsRequest {
                    shop: "demo-en".into(),
                    right,
                    name: "Jürgen \"J\" O'Brien".into(),
                    email: "jurgen@voorbeeld.nl".into(),
                    order_number: optional("#1001"),
                    details: optional("Line 1\nLine 2\t\u{1}\r\n✓"),
                    confirm_true: filled,
                    lang: if filled { Lang::Nl } else { Lang::En },
                    idempotency_key: "k7Yt2QmZp9wXc4RbQ1w2e3".into(),
                    honeypot: optional(""),
                    turnstile_token: optional("XXXX.DUMMY.TOKEN.XXXX"),
                };
                let ours: serde_json::Value =
                    serde_json::from_str(&rights_request(&request)).unwrap();
                assert_eq!(ours, serde_json::to_value(&request).unwrap());
            }
        }
    }

    #[test]
    fn matches_serde_for_every_source_and_awkward_text() {
        for (source, policy) in [
            (ConsentSource::Banner, "2026-11-01"),
            (ConsentSource::Preferences, "v\"2\" \\ é \u{1} \n\t\r ✓"),
            (ConsentSource::Gpc, ""),
            (ConsentSource::Api, "\u{7f}\u{1f}\u{8}\u{c}\u{2028}"),
        ] {
            for (analytics, marketing, gpc, lang, services) in [
                (true, false, false, Lang::En, vec![]),
                (
                    false,
                    true,
                    true,
                    Lang::Nl,
                    vec![("Meta Pixel", true), ("\"You\\Tube\"\n", false)],
                ),
            ] {
                let record = ConsentRecord {
                    shop: "demo-nl".into(),
                    consent_id: "q3xTLdT0mO4p4rKQyL7Z1w".into(),
                    policy_version: policy.into(),
                    choices: Choices {
                        analytics,
                        marketing,
                        preferences: gpc,
                    },
                    source,
                    lang,
                    gpc,
                    services: services
                        .iter()
                        .map(|(name, granted)| protocol::ServiceChoice {
                            name: (*name).into(),
                            granted: *granted,
                        })
                        .collect(),
                };
                let ours: serde_json::Value =
                    serde_json::from_str(&consent_record(&record)).unwrap();
                assert_eq!(ours, serde_json::to_value(&record).unwrap());
            }
        }
    }
}
