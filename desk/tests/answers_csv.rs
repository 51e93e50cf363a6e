//! An access request answered from an uploaded order export (the Dutch demo shop,
//! JouwWeb), through `desk::handle` on the host: only the requester's rows are
//! kept, sealed; a malformed, empty, oversized or missing file is a clear message
//! on the request's page, and nothing is lost or stored.

mod common;

use common::answers::*;
use common::*;

fn nl_request(world: &World) -> (String, String, String) {
    let session = sign_in(world);
    let reference = verified_request(world, "demo-nl", "access", EMAIL_NL, "nl");
    let detail = format!("/admin/requests/demo-nl/{reference}");
    (session, reference, detail)
}

/// The owner reads the page in Dutch.
const DUTCH: [(&str, &str); 1] = [("Accept-Language", "nl")];

#[test]
fn the_requesters_rows_are_kept_sealed_and_sent_as_a_package() {
    let world = wrangler_world();
    let (session, reference, detail) = nl_request(&world);
    let page = owner_get(&world, &session, &detail);
    assert!(
        page.body.contains(&format!(
            "action=\"{detail}/upload\" enctype=\"multipart/form-data\""
        )),
        "{}",
        page.body
    );
    let upload = owner_upload(
        &world,
        &session,
        &format!("{detail}/upload"),
        JOUWWEB_CSV.as_bytes(),
        &[],
    );
    assert_eq!(upload.status, 303, "{}", upload.body);
    let draft = world
        .store
        .value(&format!("answer/demo-nl/{reference}"))
        .unwrap();
    for clear in [
        "Voorbeeldweg",
        "Sanne",
        "sanne.bakker@example.nl",
        "Bakker",
        EMAIL_NL,
    ] {
        assert!(!draft.contains(clear), "{clear} is sealed or not kept");
    }
    let page = owner_get(&world, &session, &detail);
    assert!(page.body.contains("Voorbeeldweg"), "the requester's rows");
    assert!(
        !page.body.contains("Sanne") && !page.body.contains("Dorpsstraat"),
        "nobody else's"
    );
    assert!(page.body.contains("Mollie") && page.body.contains("JouwWeb"));
    assert!(page
        .body
        .contains("the verified address appears in the order export"));

    assert_eq!(
        owner_post(&world, &session, &detail, "action=send_answer").status,
        303
    );
    let mail = world.mailer.texts().last().unwrap().clone();
    assert!(mail.contains("Uw gegevens"), "the requester's language");
    let token = from_last_mail(&world, "/access?t=");
    let opened = world.send_at(
        ORIGIN,
        "POST",
        "/access?lang=nl",
        &[FORM, ("Origin", ORIGIN)],
        Body::Complete(format!("t={token}&email=anna%40example.nl").into_bytes()),
        NOW,
    );
    assert_eq!(opened.status, 200);
    for expected in [
        "lang=\"nl\"",
        "HDMI-kabel 2 meter",
        "Mollie",
        "Moneybird",
        "Autoriteit Persoonsgegevens",
    ] {
        assert!(opened.body.contains(expected), "{expected}");
    }
    assert!(!opened.body.contains("Sanne"));
}

#[test]
fn a_bad_upload_is_a_clear_message_and_changes_nothing() {
    let world = wrangler_world();
    let (session, reference, detail) = nl_request(&world);
    let upload = format!("{detail}/upload");
    let cases: [(&[u8], u16, &str); 4] = [
        (
            b"Bestelnummer;Naam\n1;Anna\n",
            422,
            "geen kolom met e-mailadressen",
        ),
        (
            b"E-mailadres;Naam\nanna@example.nl;Anna;extra\n",
            422,
            "Regel 2 heeft 3 velden",
        ),
        (
            b"E-mailadres;Naam\n\xe9t\xe9@example.nl;Ren\xe9\n",
            422,
            "geen CSV-bestand in UTF-8",
        ),
        (b"", 422, "Kies het CSV-bestand"),
    ];
    for (file, status, message) in cases {
        let answer = owner_upload(&world, &session, &upload, file, &DUTCH);
        assert_eq!(answer.status, status, "{message}");
        assert!(answer.body.contains(message), "{message}: {}", answer.body);
        assert!(
            answer.body.contains(&reference),
            "the request is still there"
        );
    }
    // Over the cap: refused by its declared length, before the file is read.
    let too_large = owner_upload(
        &world,
        &session,
        &upload,
        b"E-mailadres\n",
        &[("Content-Length", "9000000"), ("Accept-Language", "nl")],
    );
    assert_eq!(too_large.status, 413);
    assert!(
        too_large.body.contains("groter dan 4 MB"),
        "{}",
        too_large.body
    );
    // A body the shell cut off at the cap says the same.
    let cut = world.send_at(
        ORIGIN,
        "POST",
        &upload,
        &[
            ("Content-Type", "multipart/form-data; boundary=x"),
            ("Origin", ORIGIN),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
        ],
        Body::TooLarge,
        NOW,
    );
    assert_eq!(cut.status, 413);
    // Not a form at all.
    let plain = world.send_at(
        ORIGIN,
        "POST",
        &upload,
        &[
            ("Content-Type", "text/csv"),
            ("Origin", ORIGIN),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
        ],
        Body::Complete(JOUWWEB_CSV.as_bytes().to_vec()),
        NOW,
    );
    assert_eq!(plain.status, 422);
    assert!(
        world.store.keys_under("answer/").is_empty(),
        "nothing stored"
    );
    // And from another site, nothing is even read.
    let forged = owner_upload(
        &world,
        &session,
        &upload,
        JOUWWEB_CSV.as_bytes(),
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(forged.status, 403);
    assert!(world.store.keys_under("answer/").is_empty());
}

#[test]
fn the_upload_route_reads_a_larger_body_than_the_api() {
    let upload = desk::body_limit("/admin/requests/demo-nl/PR-7KQ4-M2XD-9HTW/upload");
    assert!(upload > answer::orders_csv::MAX_UPLOAD_BYTES);
    assert_eq!(
        desk::body_limit("/admin/requests/demo-nl/PR-7KQ4-M2XD-9HTW"),
        protocol::MAX_BODY_BYTES
    );
}
