//! Tests of the DOM layer in a real browser (`wasm-bindgen-test`, headless
//! Chromium through chromedriver): the consent cookie, Consent Mode calls, cookie
//! and storage deletion, and the rendered banner and dialog with their roles,
//! names and per-service switches.

use js_sys::{Array, Reflect};
use protocol::{Category, Choices, ConsentSource, Lang, Localized, Service, WidgetConfig};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::browser;
use crate::core::decide::{self, Consent};
use crate::core::stored;
use crate::ui::Ui;

wasm_bindgen_test_configure!(run_in_browser);

fn config() -> WidgetConfig {
    WidgetConfig {
        shop: "demo-nl".into(),
        shop_name: "Beugelhuis".into(),
        policy_version: "v1".into(),
        consent_max_age_days: 183,
        privacy_policy_url: "/privacy".into(),
        services: Vec::new(),
    }
}

fn service(name: &str, category: Category, local_storage: &[&str]) -> Service {
    let text = Localized {
        en: "Purpose".into(),
        nl: "Doel".into(),
    };
    Service {
        name: name.into(),
        provider: None,
        category,
        purpose: text.clone(),
        cookies: vec!["_x".into()],
        retention: text,
        policy_url: "https://example.com/privacy".into(),
        local_storage: local_storage.iter().map(|k| (*k).into()).collect(),
    }
}

fn with_services() -> WidgetConfig {
    WidgetConfig {
        services: vec![
            service("Meta Pixel", Category::Marketing, &["fbq_*"]),
            service("YouTube", Category::Marketing, &[]),
            service("Chat", Category::Preferences, &[]),
        ],
        ..config()
    }
}

#[wasm_bindgen_test]
fn consent_cookie_round_trips_through_the_browser() {
    let choice = stored::StoredConsent {
        consent: Consent {
            choices: Choices {
                analytics: true,
                marketing: false,
                preferences: true,
            },
            services: vec![("Meta Pixel".into(), true)],
        },
        source: ConsentSource::Banner,
        day: 20_781,
        consent_id: browser::random_id(),
        policy_version: "2026-11 rev 2".into(),
    };
    assert_eq!(choice.consent_id.len(), 22);
    browser::store_consent(&choice, 183, &with_services().services);
    let header = browser::cookie_header();
    let value = stored::find_cookie(&header, stored::COOKIE_NAME).expect("cookie set");
    assert!(stored::StoredConsent::parse(value) == Some(choice));
}

#[wasm_bindgen_test]
fn withdrawal_deletes_google_cookies_and_the_services_storage_only() {
    let doc: web_sys::HtmlDocument = browser::document().unchecked_into();
    for c in [
        "_ga=GA1.1.1; Path=/",
        "_ga_TEST1=GS1; Path=/",
        "_gid=1; Path=/",
        "keep_me=1; Path=/",
    ] {
        doc.set_cookie(c).unwrap();
    }
    let storage = browser::window().local_storage().unwrap().unwrap();
    for key in ["fbq_events", "fbq_1", "fbq", "keep"] {
        storage.set_item(key, "1").unwrap();
    }
    let services = with_services().services;
    browser::delete_cookies(&decide::Withdrawn {
        analytics: true,
        marketing: true,
        services: services.iter().collect(),
    });
    let header = browser::cookie_header();
    assert!(!header.contains("_ga"), "{header}");
    assert!(!header.contains("_gid"), "{header}");
    assert!(header.contains("keep_me=1"), "{header}");
    let left: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with("fbq") || k == "keep")
        .collect();
    assert!(
        left.len() == 2 && left.contains(&"fbq".into()) && left.contains(&"keep".into()),
        "{left:?}"
    );
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn consent_update_goes_through_gtag() {
    let window = browser::window();
    let layer = Array::new();
    let push = layer.clone();
    let gtag = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
        move |a: JsValue, b: JsValue, c: JsValue| {
            push.push(&Array::of3(&a, &b, &c));
        },
    );
    Reflect::set(&window, &"gtag".into(), gtag.as_ref()).unwrap();
    browser::consent_update(
        &Consent::of(Choices {
            analytics: true,
            marketing: false,
            preferences: true,
        }),
        &[],
    );
    let entry: Array = layer.get(0).unchecked_into();
    assert_eq!(entry.get(0).as_string().as_deref(), Some("consent"));
    assert_eq!(entry.get(1).as_string().as_deref(), Some("update"));
    let state = entry.get(2);
    let get = |k: &str| {
        Reflect::get(&state, &k.into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    assert_eq!(get("analytics_storage"), "granted");
    assert_eq!(get("ad_storage"), "denied");
    assert_eq!(get("ad_user_data"), "denied");
    assert_eq!(get("ad_personalization"), "denied");
    assert_eq!(get("functionality_storage"), "granted");
    assert_eq!(get("personalization_storage"), "granted");
    assert_eq!(get("security_storage"), "granted");
    let redaction: Array = layer.get(1).unchecked_into();
    assert_eq!(redaction.get(0).as_string().as_deref(), Some("set"));
    assert_eq!(
        redaction.get(1).as_string().as_deref(),
        Some("ads_data_redaction")
    );
    assert_eq!(
        redaction.get(2).as_bool(),
        Some(true),
        "ads denied: redacted"
    );
}

/// What the loader's `draw` (widget/loader.js) puts in the page, without its words
/// (the e2e tests check those, by role and name): the module only takes it over.
fn drawn(doc: &web_sys::Document) -> Ui {
    let host = doc.create_element("div").unwrap();
    host.set_id("privacy-desk");
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
    let root = host.attach_shadow(&init).unwrap();
    let wrap = doc.create_element("div").unwrap();
    wrap.set_class_name("pd");
    wrap.set_inner_html(
        "<section class=banner aria-label=b hidden><button data-act=all>a</button>\
         <button data-act=none>n</button><button data-act=prefs>p</button></section>\
         <button class=fab data-act=prefs hidden>s</button>",
    );
    root.append_child(&wrap).unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    Ui::adopt(doc).expect("the module takes over what the loader drew")
}

#[wasm_bindgen_test]
fn without_what_the_loader_draws_there_is_no_ui() {
    assert!(Ui::adopt(&browser::document()).is_none());
}

#[wasm_bindgen_test]
fn banner_and_dialog_have_roles_names_and_no_ticked_boxes() {
    let doc = browser::document();
    let mut ui = drawn(&doc);
    ui.show_banner();
    let root = ui.host.shadow_root().expect("open shadow root");
    let banner = root.query_selector("section").unwrap().unwrap();

    // The dialog comes from the `prefs` module (built in as a feature here).
    ui.set_dialog(crate::prefs::build(&doc, Lang::Nl, Some(&config())));
    ui.open_preferences(&Consent::default(), &[]);
    let dialog = root.query_selector("[role=dialog]").unwrap().unwrap();
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    let title = root.get_element_by_id(&title_id).unwrap();
    assert_eq!(title.text_content().as_deref(), Some("Cookievoorkeuren"));
    assert!(ui.checked() == Consent::default(), "nothing pre-ticked");
    let focused = root.active_element().expect("focus moved into the dialog");
    assert_eq!(
        focused.get_attribute("aria-label").as_deref(),
        Some("Sluiten")
    );
    ui.close_preferences(false);
    assert!(!banner.unchecked_ref::<web_sys::HtmlElement>().hidden());
    ui.host.remove();
}

/// Per-service switches: a category's services open behind its button, the
/// category switch sets them, and shows mixed when only some are on; the dialog
/// reads back as categories plus the services set apart.
#[wasm_bindgen_test]
fn services_have_switches_that_the_category_switch_reflects() {
    let doc = browser::document();
    let config = with_services();
    let mut ui = drawn(&doc);
    ui.set_dialog(crate::prefs::build(&doc, Lang::En, Some(&config)));
    // Marketing granted, but the Meta Pixel not.
    let current = Consent {
        choices: Choices {
            marketing: true,
            ..decide::NOTHING
        },
        services: vec![("Meta Pixel".into(), false)],
    };
    ui.open_preferences(&current, &config.services);
    let root = ui.host.shadow_root().unwrap();
    let find = |s: &str| root.query_selector(s).unwrap().unwrap();
    let input = |s: &str| -> web_sys::HtmlInputElement { find(s).unchecked_into() };
    let marketing = input("#pd-cat-marketing");
    let meta = input("input[data-service='Meta Pixel']");
    let youtube = input("input[data-service='YouTube']");
    assert!(!meta.checked() && youtube.checked());
    assert!(!marketing.checked() && marketing.indeterminate(), "mixed");
    // Labelled, and hidden until the category's button opens them.
    let label = meta.closest("label").unwrap().unwrap();
    assert_eq!(label.text_content().as_deref(), Some("Meta Pixel"));
    let list = find("#pd-svcs-marketing");
    let more: web_sys::HtmlElement = find("[aria-controls='pd-svcs-marketing']").unchecked_into();
    assert_eq!(
        more.text_content().as_deref(),
        Some("Services in Marketing")
    );
    assert!(list.unchecked_ref::<web_sys::HtmlElement>().hidden());
    more.click();
    assert!(!list.unchecked_ref::<web_sys::HtmlElement>().hidden());
    assert_eq!(more.get_attribute("aria-expanded").as_deref(), Some("true"));
    // The preferences category, with its service, and no services for analytics.
    assert!(root
        .query_selector("input[data-service='Chat'][data-category='preferences']")
        .unwrap()
        .is_some());
    assert!(root
        .query_selector("[aria-controls='pd-svcs-analytics']")
        .unwrap()
        .is_none());
    // What the dialog says reads back as the choice it showed.
    assert!(
        ui.checked().normalized(&config.services)
            == Consent {
                choices: decide::NOTHING,
                services: vec![("YouTube".into(), true)],
            }
    );
    // The category switch sets its services.
    marketing.click();
    assert!(marketing.checked() && !marketing.indeterminate());
    assert!(meta.checked() && youtube.checked());
    // One service off: the category is mixed (and not granted as a whole).
    youtube.click();
    assert!(!marketing.checked() && marketing.indeterminate());
    assert!(
        ui.checked().normalized(&config.services)
            == Consent {
                choices: decide::NOTHING,
                services: vec![("Meta Pixel".into(), true)],
            }
    );
    ui.host.remove();
}

/// The size-class allocator (`crate::heap`) under churn: blocks of many sizes are
/// made, grown, freed and reused, and every byte stays what was written.
#[wasm_bindgen_test]
fn heap_reuses_blocks_and_keeps_contents() {
    let pattern = |i: usize| b'a' + (i % 26) as u8;
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for round in 0..300usize {
        let mut bytes = Vec::new();
        for i in 0..(round * 37 % 3000) {
            bytes.push(pattern(i));
        }
        kept.push(bytes);
        if round % 3 == 0 {
            kept.remove(0);
        }
    }
    for bytes in &kept {
        assert!(bytes.iter().enumerate().all(|(i, &b)| b == pattern(i)));
    }
    let big = vec![7u8; 300_000];
    assert!(big.iter().all(|&b| b == 7));
    let zeroed = vec![0u64; 5000];
    assert!(zeroed.iter().all(|&n| n == 0));
}
