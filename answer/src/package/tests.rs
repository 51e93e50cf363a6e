//! Tests of the package: what it holds from configuration and found data, the
//! shape of its JSON (a snapshot), its page, its CSV and the drafted replies.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::own::{consent_record, request_record, OwnConsent, OwnRequest};
use crate::processing::tests::demo;
use crate::{Field, Record, RecordKind};

/// 2026-11-30.
const PREPARED: i64 = 20_787;

fn shopify_found() -> Found {
    let customer = Record::new(
        SourceKind::Shopify,
        RecordKind::Customer,
        "Customer profile",
        "Klantprofiel",
        vec![
            Field::labelled(
                DataCategory::Identity,
                "first_name",
                "First name",
                "Voornaam",
                "Anna",
            ),
            Field::labelled(
                DataCategory::Contact,
                "email",
                "E-mail address",
                "E-mailadres",
                "anna@example.nl",
            ),
        ],
    );
    let order = Record::new(
        SourceKind::Shopify,
        RecordKind::Order,
        "Order #1001",
        "Bestelling #1001",
        vec![
            Field::labelled(DataCategory::Order, "order", "Order", "Bestelling", "#1001"),
            Field::labelled(
                DataCategory::Payment,
                "total",
                "Total",
                "Totaal",
                "89.95 EUR",
            ),
            Field::labelled(
                DataCategory::Identity,
                "name",
                "Name",
                "Naam",
                "Anna de Vries",
            ),
        ],
    );
    let request = request_record(
        &OwnRequest {
            reference: "PR-7K3Q",
            right: Right::Access,
            received: "2026-11-20",
            status: "received",
            details: None,
            history: &[("2026-11-20", "received")],
        },
        Lang::En,
    );
    let consent = consent_record(
        &OwnConsent {
            consent_id: "abc",
            recorded: "2026-11-01",
            analytics: true,
            marketing: false,
            policy_version: "2026-11-01",
        },
        Lang::En,
    );
    Found {
        records: vec![customer, order, request, consent],
        truncated: false,
    }
}

fn package(shop: &str, lang: Lang, found: &Found) -> Package {
    let processing = demo(shop);
    Package::build(&PackageInput {
        shop_name: "Mount & Co",
        privacy_contact: "privacy@mountandco.example",
        reference: "PR-7K3Q",
        lang,
        prepared_on: PREPARED,
        processing: &processing,
        found,
    })
}

#[test]
fn holds_the_art_15_contents_from_configuration_and_found_data() {
    let found = shopify_found();
    let package = package("demo-en", Lang::En, &found);
    assert!(package.confirmation.personal_data_processed);
    assert_eq!(package.prepared_on, "2026-11-30");
    assert!(package.complete);
    let categories: Vec<DataCategory> = package.data.iter().map(|g| g.category).collect();
    assert_eq!(
        categories,
        [
            DataCategory::Identity,
            DataCategory::Contact,
            DataCategory::Order,
            DataCategory::Payment,
            DataCategory::Consent,
            DataCategory::Correspondence,
        ]
    );
    let identity = &package.data[0];
    let values: Vec<(&str, &str)> = identity
        .items
        .iter()
        .map(|i| (i.record.as_str(), i.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("Customer profile", "Anna"),
            ("Order #1001", "Anna de Vries")
        ]
    );
    assert!(identity
        .retention
        .as_deref()
        .unwrap()
        .starts_with("Two years after your last contact"));
    let names: Vec<&str> = package.recipients.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, crate::processing::tests::EN_PROCESSORS);
    let shopify = &package.recipients[0];
    assert!(shopify.outside_eea);
    let safeguard = shopify.safeguard_text.as_deref().unwrap();
    assert!(
        safeguard.starts_with("An adequacy decision") && safeguard.contains("Canada"),
        "{safeguard}"
    );
    assert!(package.recipients[1..]
        .iter()
        .all(|r| !r.outside_eea && r.safeguard_text.is_none()));
    assert_eq!(package.purposes.len(), 7);
    assert!(package.purposes.iter().any(
        |p| p.legal_basis == LegalBasis::LegitimateInterests && p.legitimate_interest.is_some()
    ));
    assert_eq!(package.sources.len(), 2);
    assert!(!package.automated_decisions.made);
    let rights: Vec<Right> = package.rights.iter().map(|r| r.right).collect();
    assert_eq!(rights.len(), 6);
    assert!(!rights.contains(&Right::Access) && rights.contains(&Right::Objection));
    assert_eq!(package.complaint.authority, "Autoriteit Persoonsgegevens");

    let dutch = super::tests::package("demo-nl", Lang::Nl, &found);
    assert_eq!(dutch.data[0].label, "Identificatiegegevens");
    assert_eq!(dutch.data[0].items[1].record, "Bestelling #1001");
    assert!(dutch.recipients.iter().all(|r| !r.outside_eea));
    assert!(dutch.rights[0].text.starts_with("Rectificatie"));
    assert!(dutch.confirmation.text.starts_with("Ja."));
}

#[test]
fn with_nothing_found_it_says_so_and_still_explains_the_processing() {
    let package = package("demo-nl", Lang::Nl, &Found::default());
    assert!(!package.confirmation.personal_data_processed);
    assert!(package.confirmation.text.contains("geen persoonsgegevens"));
    assert!(package.data.is_empty());
    assert_eq!(package.recipients.len(), 5);
    let html = package.to_html(&PageLinks::default());
    assert!(!html.contains("id=\"data\""));
    assert!(html.contains("Moneybird"));
}

#[test]
fn json_has_the_promised_shape() {
    let processing: Processing = serde_json::from_value(json!({
        "processors": [{"name": "Shopify", "role": {"en": "Platform", "nl": "Platform"},
            "categories": ["order"], "purpose": {"en": "Shop", "nl": "Winkel"},
            "country": "US", "safeguard": "standard_contractual_clauses"}],
        "purposes": [{"description": {"en": "Orders", "nl": "Bestellingen"},
            "legal_basis": "contract", "categories": ["order"]}],
        "retention": [{"category": "order", "period": {"en": "7 years", "nl": "7 jaar"}}],
        "automated_decisions": {"made": false}
    }))
    .unwrap();
    let found = Found {
        records: vec![Record::new(
            SourceKind::OrderExport,
            RecordKind::ExportRow,
            "Line 2",
            "Regel 2",
            vec![Field::plain(DataCategory::Order, "Bestelnummer", "1001")],
        )],
        truncated: true,
    };
    let package = Package::build(&PackageInput {
        shop_name: "Beugelhuis",
        privacy_contact: "privacy@beugelhuis.example",
        reference: "PR-1",
        lang: Lang::En,
        prepared_on: PREPARED,
        processing: &processing,
        found: &found,
    });
    let got: Value = serde_json::from_str(&package.to_json()).unwrap();
    let rights: Vec<Value> = Right::ALL[1..]
        .iter()
        .map(|r| json!({"right": r.code(), "text": texts::right_text(*r, Lang::En)}))
        .collect();
    let expected = json!({
        "format": "privacy-desk/access-package/1",
        "shop": "Beugelhuis",
        "privacy_contact": "privacy@beugelhuis.example",
        "reference": "PR-1",
        "language": "en",
        "prepared_on": "2026-11-30",
        "confirmation": {"personal_data_processed": true, "text": texts::text(texts::Text::ConfirmationYes, Lang::En)},
        "complete": false,
        "data": [{"category": "order", "label": "Orders", "retention": "7 years", "items": [
            {"source": "order_export", "record": "Line 2", "key": "Bestelnummer", "field": "Bestelnummer", "value": "1001"}]}],
        "purposes": [{"description": "Orders", "legal_basis": "contract",
            "legal_basis_text": "Performance of a contract (art. 6(1)(b) GDPR)", "categories": ["order"]}],
        "recipients": [{"name": "Shopify", "role": "Platform", "purpose": "Shop", "categories": ["order"],
            "country": "US", "outside_eea": true, "safeguard": "standard_contractual_clauses",
            "safeguard_text": "The European Commission's standard contractual clauses (art. 46(2)(c) GDPR)"}],
        "retention": [{"category": "order", "label": "Orders", "period": "7 years"}],
        "sources": [],
        "automated_decisions": {"made": false, "text": texts::text(texts::Text::AutomatedNone, Lang::En)},
        "rights": rights,
        "complaint": {"authority": "Autoriteit Persoonsgegevens", "url": "https://autoriteitpersoonsgegevens.nl",
            "text": texts::text(texts::Text::Complaint, Lang::En)},
    });
    assert_eq!(got, expected);
}

#[test]
fn the_page_is_in_the_requesters_language_escaped_and_without_inline_code() {
    let mut found = shopify_found();
    found.records[0].fields.push(Field::plain(
        DataCategory::Other,
        "note",
        "<script>alert(1)</script> & \"x\"",
    ));
    found.truncated = true;
    let links = PageLinks {
        stylesheet: Some("/answer.css".into()),
        json: Some("/a/PR-7K3Q/package.json?t=1&u=2".into()),
        csv: Some("/a/PR-7K3Q/package.csv".into()),
        download_form: None,
    };
    let html = package("demo-nl", Lang::Nl, &found).to_html(&links);
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"nl\">"),
        "{}",
        &html[..60]
    );
    for expected in [
        "<h1>Uw persoonsgegevens – Mount &amp; Co</h1>",
        "Opgesteld op 30 november 2026",
        "<h3 id=\"category-identity\">Identificatiegegevens</h3>",
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;",
        "Deze kopie is niet volledig",
        "Moneybird",
        "Niet nodig: binnen de EER",
        "href=\"https://autoriteitpersoonsgegevens.nl\"",
        "href=\"/a/PR-7K3Q/package.json?t=1&amp;u=2\"",
        "<link rel=\"stylesheet\" href=\"/answer.css\">",
        "Bewaard: Twee jaar na je laatste contact",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(!html.contains("<script>"));
    assert!(!html.contains("style="));
    assert!(
        !html.contains("Your personal data"),
        "no English on a Dutch page"
    );
    let english = package("demo-en", Lang::En, &found).to_html(&PageLinks::default());
    assert!(
        english.contains("Safeguard for transfer outside the EEA") && english.contains("Canada")
    );
    assert!(
        !english.contains("id=\"downloads\""),
        "no download links without URLs"
    );
}

#[test]
fn downloads_can_be_post_forms_that_carry_hidden_fields() {
    let links = PageLinks {
        download_form: Some(crate::package::DownloadForm {
            action: "/access".into(),
            fields: vec![
                ("t".into(), "tok\"en".into()),
                ("email".into(), "a@b.example".into()),
            ],
        }),
        ..PageLinks::default()
    };
    let html = package("demo-en", Lang::En, &shopify_found()).to_html(&links);
    for expected in [
        "<form method=\"post\" action=\"/access\">",
        "<input type=\"hidden\" name=\"t\" value=\"tok&quot;en\">",
        "<input type=\"hidden\" name=\"format\" value=\"json\">",
        "<input type=\"hidden\" name=\"format\" value=\"csv\">",
        "Download JSON",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    assert!(!html.contains("download>"), "no GET links");
}

#[test]
fn csv_holds_every_value_once_and_defuses_formulas() {
    let mut found = shopify_found();
    found.records[0].fields.push(Field::plain(
        DataCategory::Other,
        "note",
        "=HYPERLINK(\"http://x\")",
    ));
    let package = package("demo-en", Lang::En, &found);
    let csv_text = package.to_csv();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        export::CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let items: usize = package.data.iter().map(|g| g.items.len()).sum();
    assert_eq!(rows.len(), items);
    assert_eq!(
        &rows[0].iter().collect::<Vec<_>>(),
        &[
            "identity",
            "Identity details",
            "shopify",
            "Customer profile",
            "first_name",
            "First name",
            "Anna"
        ]
    );
    assert!(rows.iter().any(|r| &r[6] == "'=HYPERLINK(\"http://x\")"));
    assert!(rows
        .iter()
        .any(|r| &r[2] == "privacy_desk" && &r[6] == "PR-7K3Q"));
}

#[test]
fn drafted_replies_name_what_was_found() {
    let found = shopify_found();
    for right in Right::ALL {
        for lang in [Lang::En, Lang::Nl] {
            let reply = draft_reply(right, &found, lang);
            let (greeting, found_line) = match lang {
                Lang::En => (
                    "Dear customer,",
                    "in our Shopify store: your customer profile and 1 order",
                ),
                Lang::Nl => (
                    "Beste klant,",
                    "in onze Shopify-winkel: uw klantprofiel en 1 bestelling",
                ),
            };
            assert!(reply.starts_with(greeting), "{reply}");
            assert!(reply.contains(found_line), "{reply}");
            assert!(reply.contains("Autoriteit Persoonsgegevens"));
            let erasure_notes = reply.contains("180")
                && (reply.contains("seven years") || reply.contains("zeven jaar"));
            assert_eq!(erasure_notes, right == Right::Erasure, "{}", right.code());
        }
    }
    let reply = draft_reply(Right::Rectification, &found, Lang::En);
    assert!(
        reply.contains("1 privacy request and 1 cookie choice"),
        "{reply}"
    );
    assert!(reply.contains("[what was wrong, and what it is now]"));

    let mut many = Found::default();
    for kind in [
        RecordKind::Address,
        RecordKind::Address,
        RecordKind::Order,
        RecordKind::Order,
        RecordKind::Order,
    ] {
        many.records
            .push(Record::new(SourceKind::Shopify, kind, "x", "x", vec![]));
    }
    many.records.push(Record::new(
        SourceKind::OrderExport,
        RecordKind::ExportRow,
        "x",
        "x",
        vec![],
    ));
    many.truncated = true;
    let reply = draft_reply(Right::Erasure, &many, Lang::Nl);
    assert!(reply.contains("2 adressen en 3 bestellingen"), "{reply}");
    assert!(
        reply.contains("bestelexport van ons winkelplatform: 1 bestelregel"),
        "{reply}"
    );
    assert!(
        reply.contains("zeven jaar") && !reply.contains("180"),
        "no Shopify profile, no Shopify erasure note"
    );
    assert!(reply.contains("Niet alles kon"));

    let nothing = draft_reply(Right::Erasure, &Found::default(), Lang::En);
    assert!(nothing.contains("we found no personal data"), "{nothing}");
    assert!(!nothing.contains("seven years"));
}

proptest! {
    #[test]
    fn found_values_are_always_escaped_and_round_trip_through_csv(value in "\\PC{0,40}") {
        let found = Found {
            records: vec![Record::new(SourceKind::OrderExport, RecordKind::ExportRow, "r", "r",
                vec![Field::plain(DataCategory::Other, "k", &format!("<evil{value}"))])],
            truncated: false,
        };
        let package = package("demo-nl", Lang::En, &found);
        let html = package.to_html(&PageLinks::default());
        prop_assert!(!html.contains("<evil"), "unescaped value");
        let csv_text = package.to_csv();
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        prop_assert_eq!(&row[6], format!("<evil{value}"));
    }
}

/// What we write to a requester in Dutch addresses them as "u", as the widget, the
/// form and the mails do (the owner-facing messages in `shopify/error.rs` and
/// `orders_csv.rs` say "je" to the owner on purpose). A shop's own texts in its
/// configuration keep the shop's voice.
#[test]
fn dutch_texts_for_the_requester_say_u() {
    let informal = ["je", "jij", "jou", "jouw", "jezelf"];
    for (file, source) in [
        ("package/texts.rs", include_str!("texts.rs")),
        ("package/draft.rs", include_str!("draft.rs")),
        ("processing.rs", include_str!("../processing.rs")),
        ("own.rs", include_str!("../own.rs")),
    ] {
        for (n, line) in source.lines().enumerate() {
            let words = line
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase);
            for word in words {
                assert!(
                    !informal.contains(&word.as_str()),
                    "{file}:{}: informal \"{word}\": {line}",
                    n + 1
                );
            }
        }
    }
}
