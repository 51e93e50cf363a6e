//! `GET /api/shops/<shop>/form?lang=`: the rights-request form's markup that the
//! widget's form module inserts and enhances (widget/src/form/markup.rs finds its
//! parts by these ids, classes and attributes).

mod common;

use common::World;

/// Every value of `name="..."` in `html`, in order.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn the_form_speaks_the_visitors_language() {
    let world = World::new();
    for (query, lang, words, other) in [
        (
            "?lang=nl",
            "nl",
            [
                "Uw naam",
                "Correctie van mijn gegevens",
                "Verzoek versturen",
            ],
            "Your name",
        ),
        (
            "?lang=nl-BE",
            "nl",
            ["Uw naam", "Inzage in mijn gegevens", "Er is een probleem"],
            "Your name",
        ),
        (
            "?lang=en",
            "en",
            ["Your name", "Erasure of my data", "Send request"],
            "Uw naam",
        ),
        (
            "",
            "en",
            ["Your e-mail address", "Withdrawal of consent", "Try again"],
            "Uw naam",
        ),
    ] {
        let answer = world.send("GET", &format!("/api/shops/demo-en/form{query}"), &[], "");
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        assert_eq!(
            answer.header("Content-Type"),
            Some("text/html; charset=utf-8")
        );
        // Shop pages on other origins fetch it; it is the same for everyone.
        assert_eq!(answer.header("Access-Control-Allow-Origin"), Some("*"));
        let html = &answer.body;
        let start = [r#"<form class="pd-rf" novalidate lang=""#, lang, "\""].concat();
        assert!(html.starts_with(&start), "{html}");
        for word in words {
            assert!(html.contains(word), "{query}: {word} in {html}");
        }
        assert!(!html.contains(other), "{query}: {other} in {html}");
    }
}

#[test]
fn every_label_and_description_points_at_an_element_of_the_form() {
    let world = World::new();
    let html = world
        .send("GET", "/api/shops/demo-nl/form?lang=nl", &[], "")
        .body;
    let ids = attribute_values(&html, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    assert!(ids.iter().all(|id| id.starts_with("pd-rf1-")), "{ids:?}");
    for target in attribute_values(&html, "for")
        .into_iter()
        .chain(attribute_values(&html, "aria-labelledby"))
        .chain(
            attribute_values(&html, "aria-describedby")
                .into_iter()
                .flat_map(|v| v.split(' ')),
        )
    {
        assert!(ids.contains(&target), "{target} is an id in {html}");
    }
    // The module finds each field's error by id and its controls by `data-field`.
    for field in [
        "right",
        "name",
        "email",
        "order_number",
        "details",
        "confirm_true",
    ] {
        assert!(
            ids.contains(&format!("pd-rf1-{field}-error").as_str()),
            "{field}"
        );
        assert!(
            html.contains(&["data-field=\"", field, "\""].concat()),
            "{field}"
        );
    }
    assert_eq!(
        attribute_values(&html, "type")
            .iter()
            .filter(|t| **t == "radio")
            .count(),
        7
    );
    // What the module shows while sending or without an answer, and the styles it adopts.
    for name in [
        "data-sending",
        "data-network-error",
        "data-rejected",
        "data-server-error",
        "data-css",
    ] {
        assert_eq!(attribute_values(&html, name).len(), 1, "{name}");
    }
    assert!(
        html.contains("Wij konden onze server niet bereiken"),
        "{html}"
    );
}

#[test]
fn the_form_revalidates_with_its_etag() {
    let world = World::new();
    let path = "/api/shops/demo-en/form?lang=en";
    let first = world.send("GET", path, &[], "");
    let tag = first.header("ETag").expect("an ETag").to_owned();
    assert_eq!(
        first.header("Cache-Control"),
        Some("public, max-age=0, stale-while-revalidate=300")
    );
    let again = world.send("GET", path, &[("If-None-Match", &tag)], "");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("Access-Control-Allow-Origin"), Some("*"));
    // The other language is another document, with another tag.
    let dutch = world.send(
        "GET",
        "/api/shops/demo-en/form?lang=nl",
        &[("If-None-Match", &tag)],
        "",
    );
    assert_eq!(dutch.status, 200);
    assert_ne!(dutch.header("ETag"), Some(tag.as_str()));
}

#[test]
fn an_unknown_shop_or_another_method_is_refused_as_json() {
    let world = World::new();
    let unknown = world.send("GET", "/api/shops/nope/form?lang=en", &[], "");
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body.contains(r#""code":"unknown_shop""#),
        "{}",
        unknown.body
    );
    let post = world.send("POST", "/api/shops/demo-en/form", &[], "");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD, OPTIONS"));
    let email = world.send("GET", "/api/shops/demo-en/form?email=a@b.example", &[], "");
    assert_eq!(email.status, 400);
    assert!(email.body.contains("email_in_url"), "{}", email.body);
}
