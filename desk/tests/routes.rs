//! Whole routes through `desk::handle` on the host, against the in-memory store,
//! a recording mailer and scripted guards (as axum's examples test `app()`); the
//! end-to-end tests drive the same routes through a real `wrangler dev`.

mod common;

use common::{World, NAV, NOW, ORIGIN, SHOP_ORIGIN};
use desk::platform::Envelope;
use desk::testing::block_on;

#[test]
fn shop_config_is_public_and_unknown_paths_are_json_404() {
    let world = World::new();
    let config = world.send("GET", "/api/shops/demo-en/config", &[], "");
    assert_eq!(config.status, 200);
    assert_eq!(config.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(config.body.contains(r#""policy_version":"1""#));
    let missing = world.send("GET", "/api/nothing", &[], "");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains(r#""code":"not_found""#));
    assert_eq!(
        missing.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    let wrong = world.send("DELETE", "/api/consent", &[], "");
    assert_eq!(
        (wrong.status, wrong.header("Allow")),
        (405, Some("POST, OPTIONS"))
    );
    let in_url = world.send(
        "GET",
        "/api/admin/requests?shop=demo-en&email=a%40b.nl",
        &[],
        "",
    );
    assert!(in_url.body.contains("email_in_url"), "{}", in_url.body);
}

#[test]
fn shop_config_revalidates_with_its_etag() {
    let mut world = World::new();
    let path = "/api/shops/demo-en/config";
    let first = world.send("GET", path, &[], "");
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("Cache-Control"),
        Some("public, max-age=0, stale-while-revalidate=300")
    );
    let tag = first.header("ETag").expect("an ETag").to_owned();

    // A returning visitor's copy is current: 304, no body, the same validators,
    // and CORS still open (the browser merges these headers into its copy).
    for sent in [tag.clone(), format!("W/{tag}"), format!("\"stale\", {tag}")] {
        let again = world.send("GET", path, &[("If-None-Match", &sent)], "");
        assert_eq!((again.status, again.body.as_str()), (304, ""), "{sent}");
        assert_eq!(again.header("ETag"), Some(tag.as_str()));
        assert_eq!(
            again.header("Cache-Control"),
            Some("public, max-age=0, stale-while-revalidate=300")
        );
        assert_eq!(again.header("Access-Control-Allow-Origin"), Some("*"));
        assert_eq!(again.header("Content-Type"), None);
    }
    let other = world.send("GET", path, &[("If-None-Match", "\"stale\"")], "");
    assert_eq!(
        (other.status, other.body.as_str()),
        (200, first.body.as_str())
    );
    // Another shop's configuration is another tag.
    let nl = world.send(
        "GET",
        "/api/shops/demo-nl/config",
        &[("If-None-Match", &tag)],
        "",
    );
    assert_eq!(nl.status, 200);
    assert_ne!(nl.header("ETag"), Some(tag.as_str()));

    // An edited configuration (a new policy version) is sent again in full.
    let shops =
        world.vars.vars["SHOPS"].replacen(r#""policy_version":"1""#, r#""policy_version":"2""#, 1);
    world.vars.vars.insert("SHOPS".into(), shops);
    let edited = world.send("GET", path, &[("If-None-Match", &tag)], "");
    assert_eq!(edited.status, 200);
    assert!(
        edited.body.contains(r#""policy_version":"2""#),
        "{}",
        edited.body
    );
    assert_ne!(edited.header("ETag"), Some(tag.as_str()));
}

#[test]
fn a_domain_is_judged_by_its_idna_form() {
    // protocol::validate leaves non-ASCII in the domain to the edge's IDNA
    // conversion: a name with an ASCII form is stored in it, one without is refused
    // at the e-mail field, as a malformed address is.
    let world = World::new();
    let body = |email: &str| {
        format!(
            r#"{{"shop":"demo-en","right":"access","name":"Anna","email":"{email}",
               "confirm_true":true,"lang":"en","idempotency_key":"idem-key-idna-{}"}}"#,
            email.len()
        )
    };
    let stored = world.json("POST", "/api/requests", &body("anna@☃.example"));
    assert_eq!(stored.status, 201, "{}", stored.body);
    let refused = world.json("POST", "/api/requests", &body("anna@ex\u{FFFD}ample.nl"));
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains(r#""field":"email""#),
        "{}",
        refused.body
    );
    let malformed = world.json("POST", "/api/requests", &body("anna@ex_ample.nl"));
    assert_eq!(malformed.status, 400);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&refused.body).unwrap()["error"],
        serde_json::from_str::<serde_json::Value>(&malformed.body).unwrap()["error"],
    );
}

#[test]
fn consent_is_stored_before_it_is_acknowledged() {
    let world = World::new();
    let body = r#"{"shop":"demo-en","consent_id":"AAAAAAAAAAAAAAAAAAAAAA","policy_version":"1",
        "choices":{"analytics":true,"marketing":false},"source":"banner","lang":"en","gpc":false}"#;
    let answer = world.json("POST", "/api/consent", body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let keys = world.store.keys_under("consent/demo-en/2026-11/");
    assert_eq!(keys.len(), 1);
    let foreign = world.send(
        "POST",
        "/api/consent",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "https://evil.example"),
        ],
        body,
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(
        world.store.keys_under("consent/").len(),
        1,
        "refused writes nothing"
    );
}

#[test]
fn a_rights_request_is_stored_mailed_and_verified() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    assert_eq!(
        world
            .store
            .keys_under(&format!("req/demo-en/{reference}"))
            .len(),
        1
    );
    assert!(
        world.store.keys_under("outbox/").is_empty(),
        "sent mail leaves the outbox"
    );
    let sent = world.mailer.sent.borrow().clone();
    assert_eq!(sent.len(), 2, "privacy contact and verification mail");
    let Envelope::Binding {
        binding, to, raw, ..
    } = &sent[1]
    else {
        panic!("send_email expected");
    };
    assert_eq!(
        (*binding, to.as_str()),
        ("REQUESTER_EMAIL", "anna@example.nl")
    );
    // The link's token, from the mail (quoted-printable may fold the line).
    let unfolded = raw.replace("=\r\n", "").replace("=3D", "=");
    let token = unfolded
        .split("token=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect::<String>();
    assert_eq!(token.len(), 48);
    // Personal data is sealed at rest.
    let stored = world
        .store
        .value(&format!("req/demo-en/{reference}"))
        .unwrap();
    assert!(!stored.contains("anna@example.nl") && !stored.contains("Anna de Vries"));

    let wrong = world.json(
        "POST",
        &format!("/api/requests/{reference}/verify"),
        r#"{"token":"00"}"#,
    );
    assert_eq!(wrong.status, 404);
    let page = world.send(
        "GET",
        &format!("/verify?ref={reference}&token={token}"),
        &[],
        "",
    );
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/verify?lang=en\">"));
    let confirm = world.send(
        "POST",
        "/verify",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", ORIGIN),
        ],
        &format!("ref={reference}&token={token}"),
    );
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert_eq!(
        confirm.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let status = world.json(
        "POST",
        &format!("/api/requests/{reference}/status"),
        r#"{"email":"Anna@Example.nl"}"#,
    );
    assert_eq!(status.status, 200);
    assert!(status.body.contains(r#""status":"received""#));
    let other = world.json(
        "POST",
        &format!("/api/requests/{reference}/status"),
        r#"{"email":"bob@example.nl"}"#,
    );
    assert_eq!(other.status, 404);
    assert!(!world.logs().contains("anna@example.nl"));
}

#[test]
fn failed_mail_stays_in_the_outbox_and_the_cron_sends_it() {
    let world = World::new();
    world.mailer.failing.set(true);
    let reference = world.file_request("anna@example.nl");
    assert_eq!(world.store.keys_under("outbox/").len(), 1);
    assert_eq!(world.store.keys_under("notify/").len(), 1);
    assert!(
        !world.logs().contains("anna@example.nl"),
        "{}",
        world.logs()
    );
    let listed = || {
        let bearer = [(
            "Authorization",
            "Bearer s3cret-owner-token-long-enough-0123",
        )];
        world
            .send("GET", "/api/admin/requests?shop=demo-en", &bearer, "")
            .body
    };
    let pending = listed();
    assert!(pending.contains(r#""mail_pending":true"#), "{pending}");

    world.mailer.failing.set(false);
    block_on(desk::scheduled(&world.app(), NOW));
    assert!(world.store.keys_under("outbox/").is_empty());
    assert!(world.store.keys_under("notify/").is_empty());
    let texts = world.mailer.texts();
    assert!(texts.iter().any(|t| t.contains(&reference)));
    let sent = listed();
    assert!(sent.contains(r#""mail_pending":false"#), "{sent}");
}

#[test]
fn owner_pages_need_a_session_and_refuse_other_sites_with_a_page() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    let anonymous = world.send("GET", "/admin/", &[], "");
    assert_eq!(
        (anonymous.status, anonymous.header("Location")),
        (303, Some("/admin/login"))
    );
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let forged = world.send(
        "POST",
        "/admin/login",
        &[
            form,
            ("Origin", "https://evil.example"),
            ("Accept-Language", "nl"),
        ],
        "token=s3cret-owner-token-long-enough-0123",
    );
    assert_eq!(forged.status, 403);
    assert_eq!(
        forged.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(forged.body.contains("<html lang=\"nl\""), "{}", forged.body);
    assert!(forged.body.contains("origin_not_allowed"));
    assert_eq!(forged.header("Set-Cookie"), None);

    let login = world.send(
        "POST",
        "/admin/login",
        &[form, ("Origin", ORIGIN)],
        "token=s3cret-owner-token-long-enough-0123&actor=Olivia",
    );
    assert_eq!(login.status, 303);
    let cookie = login.header("Set-Cookie").unwrap();
    let session = cookie.split(';').next().unwrap().to_owned();
    let list = world.send(
        "GET",
        "/admin/",
        &[("Cookie", &session), NAV[0], NAV[1]],
        "",
    );
    assert_eq!(list.status, 200);
    assert!(list.body.contains(&reference));

    let detail = format!("/admin/requests/demo-en/{reference}");
    let note = world.send(
        "POST",
        &detail,
        &[
            form,
            ("Origin", ORIGIN),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
        ],
        "action=note&text=Called+%3Cb%3EAnna%3C%2Fb%3E",
    );
    assert_eq!(note.status, 303, "{}", note.body);
    let page = world.send("GET", &detail, &[("Cookie", &session), NAV[0], NAV[1]], "");
    assert!(
        page.body.contains("&lt;b&gt;Anna&lt;/b&gt;"),
        "a note is escaped"
    );
    let refused = world.send(
        "POST",
        &detail,
        &[
            form,
            ("Origin", ORIGIN),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
        ],
        "action=refuse&text=",
    );
    assert_eq!(refused.status, 422);
    let too_large = world.send(
        "POST",
        &detail,
        &[
            form,
            ("Origin", ORIGIN),
            ("Cookie", &session),
            NAV[0],
            NAV[1],
            ("Content-Length", "16385"),
        ],
        "action=note&text=x",
    );
    assert_eq!(too_large.status, 413);
    assert!(too_large.body.contains("body_too_large") && too_large.body.contains("<html"));
}

#[test]
fn exports_carry_history_and_name_unreadable_records() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    let bearer = [(
        "Authorization",
        "Bearer s3cret-owner-token-long-enough-0123",
    )];
    let export = world.send("GET", "/api/admin/export/requests.json", &bearer, "");
    assert_eq!(export.status, 200);
    assert!(export.body.contains(&reference) && export.body.contains("\"history\""));
    let csv = world.send(
        "GET",
        "/api/admin/export/requests.csv?shop=demo-en",
        &bearer,
        "",
    );
    assert!(csv
        .header("Content-Disposition")
        .unwrap()
        .contains("requests.csv-2026-11-30"));
    // A record sealed with a key the Worker no longer has is named, not fatal.
    world.store.entries.borrow_mut().insert(
        "req/demo-en/PR-2222-2222-2222".into(),
        desk::testing::Entry {
            value: r#"{"sealed":"pd1.xxxx.AAAA.AAAA"}"#.into(),
            metadata: None,
            ttl_seconds: None,
        },
    );
    let export = world.send("GET", "/api/admin/export/requests.json", &bearer, "");
    assert_eq!(export.status, 200);
    assert!(
        export
            .body
            .contains(r#""unreadable":["PR-2222-2222-2222"]"#),
        "{}",
        export.body
    );
}

#[test]
fn the_remaining_routes() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    let bearer = (
        "Authorization",
        "Bearer s3cret-owner-token-long-enough-0123",
    );
    // Preflight from a shop's origin, and from nowhere.
    let preflight = world.send("OPTIONS", "/api/requests", &[("Origin", SHOP_ORIGIN)], "");
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("Access-Control-Allow-Origin"),
        Some(SHOP_ORIGIN)
    );
    // One person's requests through the blind index (the address in the body).
    let by_email = world.send(
        "POST",
        "/api/admin/requests/by-email",
        &[bearer, ("Content-Type", "application/json")],
        r#"{"shop":"demo-en","email":"ANNA@example.nl"}"#,
    );
    assert_eq!(by_email.status, 200, "{}", by_email.body);
    assert!(by_email.body.contains(&reference));
    let nobody = world.send(
        "POST",
        "/api/admin/requests/by-email",
        &[bearer, ("Content-Type", "application/json")],
        r#"{"shop":"demo-en","email":"bob@example.nl"}"#,
    );
    assert_eq!(nobody.body, "[]");
    assert_eq!(
        world
            .send("GET", "/api/admin/consent?shop=demo-en", &[], "")
            .status,
        401
    );
    let consent = world.send("GET", "/api/admin/consent?shop=demo-en", &[bearer], "");
    assert_eq!((consent.status, consent.body.as_str()), (200, "[]"));
    let csv = world.send("GET", "/api/admin/export/consent.csv", &[bearer], "");
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
    // The requester's status page: the form, then the status for the right address.
    let form = world.send(
        "GET",
        &format!("/request-status?ref={reference}&lang=nl"),
        &[],
        "",
    );
    assert!(form.body.contains("<html lang=\"nl\">") && form.body.contains(&reference));
    assert_eq!(form.header("Set-Cookie"), None, "no cookie for requesters");
    let post = |email: &str| {
        world.send(
            "POST",
            "/request-status",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", ORIGIN),
            ],
            &format!("ref={reference}&email={email}&lang=en"),
        )
    };
    let wrong = post("bob%40example.nl");
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("role=\"alert\""));
    let right = post("anna%40example.nl");
    assert!(right.body.contains("<strong>Received"), "{}", right.body);
    // The stylesheet, sign-out, and the rate limit (with CORS on the 429).
    let css = world.send("GET", "/admin/admin.css", &[], "");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    let anonymous = world.send("POST", "/admin/logout", &[("Origin", ORIGIN)], "");
    assert_eq!(anonymous.header("Location"), Some("/admin/login"));
    let login = world.send(
        "POST",
        "/admin/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", ORIGIN),
        ],
        "token=s3cret-owner-token-long-enough-0123",
    );
    let cookie = login.header("Set-Cookie").unwrap();
    let session = cookie.split(';').next().unwrap();
    let logout = world.send(
        "POST",
        "/admin/logout",
        &[("Origin", ORIGIN), ("Cookie", session), NAV[0], NAV[1]],
        "",
    );
    assert!(logout.header("Set-Cookie").unwrap().contains("Max-Age=0"));
    world.guard.limit.set(0);
    // A page over the limit answers as a page (same status, code and Retry-After).
    let login = world.send(
        "POST",
        "/admin/login",
        &[("Origin", ORIGIN), ("Accept-Language", "nl")],
        "token=x",
    );
    assert_eq!(login.status, 429);
    assert_eq!(login.header("Retry-After"), Some("60"));
    assert!(login.body.contains("<html lang=\"nl\">") && login.body.contains("rate_limited"));
    let limited = world.json("POST", "/api/consent", "{}");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("Retry-After"), Some("60"));
    assert_eq!(
        limited.header("Access-Control-Allow-Origin"),
        Some(SHOP_ORIGIN)
    );
}

#[test]
fn turnstile_is_asked_for_shops_with_a_secret() {
    let mut world = World::new();
    world
        .vars
        .secrets
        .insert("TURNSTILE_SECRET_DEMO_EN".into(), "1x0000".into());
    let body = r#"{"shop":"demo-en","right":"access","name":"Anna","email":"anna@example.nl",
        "confirm_true":true,"lang":"en","idempotency_key":"idem-key-0000000000-t1"}"#;
    let missing = world.json("POST", "/api/requests", body);
    assert!(
        missing.body.contains("challenge_failed"),
        "{}",
        missing.body
    );
    *world.guard.verdict.borrow_mut() = (200, br#"{"success":false}"#.to_vec());
    let with_token = body.replace("\"lang\"", "\"turnstile_token\":\"tok\",\"lang\"");
    let failing = world.json("POST", "/api/requests", &with_token);
    assert!(failing.body.contains("challenge_failed"));
    assert!(
        world.store.keys_under("req/").is_empty(),
        "refused writes nothing"
    );
    *world.guard.verdict.borrow_mut() = (200, br#"{"success":true}"#.to_vec());
    assert_eq!(world.json("POST", "/api/requests", &with_token).status, 201);
}

/// `SHOPS` is parsed once per isolate and kept while its text is the same: a
/// changed var (a new deployment, another test's World on this thread) is read
/// afresh, and an invalid one is a fault on every request, not only the first.
#[test]
fn shop_configuration_follows_the_var_it_was_parsed_from() {
    let world = World::new();
    let before = world.send("GET", "/api/shops/demo-en/config", &[], "");
    assert!(before.body.contains(r#""policy_version":"1""#));

    let mut changed = World::new();
    let shops =
        changed.vars.vars["SHOPS"].replace(r#""policy_version":"1""#, r#""policy_version":"2""#);
    changed.vars.vars.insert("SHOPS".into(), shops);
    let after = changed.send("GET", "/api/shops/demo-en/config", &[], "");
    assert_eq!(after.status, 200);
    assert!(
        after.body.contains(r#""policy_version":"2""#),
        "{}",
        after.body
    );

    let mut broken = World::new();
    broken.vars.vars.insert("SHOPS".into(), "[{".into());
    for _ in 0..2 {
        assert_eq!(
            broken
                .send("GET", "/api/shops/demo-en/config", &[], "")
                .status,
            500
        );
    }
    let again = world.send("GET", "/api/shops/demo-en/config", &[], "");
    assert!(again.body.contains(r#""policy_version":"1""#));
}
