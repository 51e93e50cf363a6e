//! Issue 13's guards through `desk::handle`: rate limits on look-ups and failed
//! owner authentication (IPv6 by /64, a lock-out the right secret does not pass),
//! the owner secret's minimum length, sessions that end at sign-out, the session
//! cookie only on top-level navigations, /verify without enumeration, tokens
//! checked after verification, form bodies over the cap, reserved names.

mod common;

use common::{Body, World, ADMIN_TOKEN, NAV, NOW, ORIGIN};

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
const BEARER: &str = "Bearer s3cret-owner-token-long-enough-0123";

/// Signs in (over `origin`); the `name=value` of the session cookie.
fn sign_in(world: &World, origin: &str) -> String {
    let body = Body::Complete(format!("token={ADMIN_TOKEN}&actor=Olivia").into_bytes());
    let headers = [FORM, ("Origin", origin)];
    let login = world.send_at(origin, "POST", "/admin/login", &headers, body, NOW);
    assert_eq!(login.status, 303, "{}", login.body);
    let cookie = login.header("Set-Cookie").unwrap().to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

fn list_with(world: &World, cookie: &str) -> u16 {
    world
        .send("GET", "/admin/", &[("Cookie", cookie), NAV[0], NAV[1]], "")
        .status
}

#[test]
fn every_look_up_counts_and_answers_429_as_its_surface() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    let ip = ("CF-Connecting-IP", "203.0.113.9");
    let looks = [
        ("GET", format!("/verify?ref={reference}&token=00")),
        ("POST", "/verify".to_owned()),
        ("GET", format!("/request-status?ref={reference}")),
        ("POST", "/request-status".to_owned()),
        ("POST", format!("/api/requests/{reference}/status")),
        ("POST", format!("/api/requests/{reference}/verify")),
    ];
    for (method, target) in &looks {
        let headers = [FORM, ("Origin", ORIGIN), ip];
        world.send(method, target, &headers, "ref=x&token=y");
    }
    let counted = world.guard.counted_against("LOOKUP_LIMITER");
    assert_eq!(counted.len(), looks.len(), "every look-up, every method");
    assert!(counted.windows(2).all(|w| w[0] == w[1]), "one client");
    assert!(
        !counted[0].contains("203.0.113.9"),
        "a keyed hash, never the address"
    );
    assert!(
        world.guard.counted_against("POST_LIMITER").len() == 1,
        "the intake only"
    );

    world.guard.limits.borrow_mut().insert("LOOKUP_LIMITER", 0);
    let page = world.send("GET", "/verify?ref=PR-2222-2222-2222&token=00", &[], "");
    assert_eq!(page.status, 429);
    assert_eq!(page.header("Retry-After"), Some("60"));
    assert!(page.body.contains("<html") && page.body.contains("rate_limited"));
    let api = world.json("POST", &format!("/api/requests/{reference}/status"), "{}");
    assert_eq!(api.status, 429);
    assert!(
        api.body.starts_with(r#"{"error":{"code":"rate_limited""#),
        "{}",
        api.body
    );
}

#[test]
fn failed_owner_authentication_is_limited_per_network_and_locks_out_the_right_secret_too() {
    let world = World::new();
    world.guard.limits.borrow_mut().insert("AUTH_LIMITER", 3);
    let guess = |ip: &str, token: &str| {
        let bearer = format!("Bearer {token}");
        let headers = [("Authorization", bearer.as_str()), ("CF-Connecting-IP", ip)];
        world.send("GET", "/api/admin/requests?shop=demo-en", &headers, "")
    };
    let right = &BEARER["Bearer ".len()..];
    assert_eq!(
        guess("2001:db8:5:7::1", right).status,
        200,
        "success is not counted"
    );
    let statuses: Vec<u16> = (1..=5)
        .map(|i| guess(&format!("2001:db8:5:7::{i:x}"), "guess").status)
        .collect();
    assert_eq!(statuses, [401, 401, 401, 429, 429], "one /64, one bucket");
    let locked = guess("2001:db8:5:7:ffff::1", right);
    assert_eq!(
        locked.status, 429,
        "locked out: not even the right secret is compared"
    );
    assert_eq!(locked.header("Retry-After"), Some("60"));
    assert_eq!(world.store.keys_under("lock/auth/").len(), 1);
    assert_eq!(
        guess("2001:db8:5:8::1", right).status,
        200,
        "another network is not"
    );
    // Exports without or with a wrong bearer count too, and so does a failed sign-in.
    // (The in-memory limiter counts all clients together: two more within it.)
    world.guard.limits.borrow_mut().insert("AUTH_LIMITER", 2);
    let before = world.guard.counted_against("AUTH_LIMITER").len();
    let ip = ("CF-Connecting-IP", "198.51.100.4");
    let export = world.send("GET", "/api/admin/export/consent.csv", &[ip], "");
    let by_email = world.send("POST", "/api/admin/requests/by-email", &[ip], "{}");
    assert_eq!((export.status, by_email.status), (401, 401));
    let login = world.send(
        "POST",
        "/admin/login",
        &[FORM, ("Origin", ORIGIN), ip],
        "token=no",
    );
    assert_eq!(login.status, 429, "the limiter is spent");
    assert_eq!(
        world.guard.counted_against("AUTH_LIMITER").len(),
        before + 3
    );
    let locked = world.send(
        "POST",
        "/admin/login",
        &[FORM, ("Origin", ORIGIN), ip],
        "token=x",
    );
    assert_eq!(locked.status, 429);
    assert!(locked.body.contains("<html"), "a page on the login page");
}

#[test]
fn an_owner_secret_shorter_than_32_characters_is_never_accepted() {
    let mut world = World::new();
    let short = "short-but-real-secret-0123456789"[..31].to_owned();
    world
        .vars
        .secrets
        .insert("ADMIN_TOKEN".into(), short.clone());
    let bearer = format!("Bearer {short}");
    let api = world.send(
        "GET",
        "/api/admin/requests?shop=demo-en",
        &[("Authorization", &bearer)],
        "",
    );
    assert_eq!(api.status, 401);
    let body = format!("token={short}&actor=Olivia");
    let login = world.send("POST", "/admin/login", &[FORM, ("Origin", ORIGIN)], &body);
    assert_eq!(login.status, 401);
    assert_eq!(login.header("Set-Cookie"), None);
    assert!(
        login.body.contains("at least 32 characters"),
        "{}",
        login.body
    );
    assert!(login.body.contains("npx wrangler secret put ADMIN_TOKEN"));
    let page = world.send("GET", "/admin/login?lang=nl", &[], "");
    assert!(page.body.contains("minstens 32 tekens"), "{}", page.body);
    assert!(world.logs().contains("shorter than 32 characters"));
    assert!(!world.logs().contains(&short));
}

#[test]
fn a_language_chosen_before_signing_in_stays_on_the_login_page() {
    let world = World::new();
    let admin = world.send("GET", "/admin/?lang=nl", &NAV, "");
    assert_eq!(admin.status, 303);
    assert_eq!(admin.header("Location"), Some("/admin/login"));
    let cookie = admin
        .header("Set-Cookie")
        .and_then(|c| c.split(';').next())
        .expect("the chosen language travels with the redirect")
        .to_owned();
    assert!(cookie.starts_with("pd_owner_lang=nl"), "{cookie}");
    let login = world.send("GET", "/admin/login", &[("Cookie", cookie.as_str())], "");
    assert!(login.body.contains("Inloggen"), "{}", login.body);
    assert!(login.body.contains("lang=\"nl\""), "{}", login.body);
}

#[test]
fn signing_out_ends_every_copy_of_the_session() {
    let world = World::new();
    let session = sign_in(&world, ORIGIN);
    let copy = session.clone();
    assert_eq!(list_with(&world, &copy), 200);
    let headers = [
        ("Origin", ORIGIN),
        ("Cookie", session.as_str()),
        NAV[0],
        NAV[1],
    ];
    let logout = world.send("POST", "/admin/logout", &headers, "");
    assert_eq!(logout.status, 303);
    assert_eq!(list_with(&world, &copy), 303, "the copy is signed out too");
    assert_eq!(
        list_with(&world, &sign_in(&world, ORIGIN)),
        200,
        "a new sign-in works"
    );
}

#[test]
fn on_https_the_session_cookie_is_host_prefixed_and_only_that_name_counts() {
    let world = World::new();
    let https = "https://desk.example";
    let session = sign_in(&world, https);
    assert!(session.starts_with("__Host-pd_owner="), "{session}");
    let login = world.send_at(
        https,
        "POST",
        "/admin/login",
        &[FORM, ("Origin", https)],
        Body::Complete(format!("token={ADMIN_TOKEN}").into_bytes()),
        NOW,
    );
    let set = login.header("Set-Cookie").unwrap();
    assert!(set.contains("; Path=/;") && set.ends_with("; Secure") && !set.contains("Domain"));
    let list = |cookie: &str| {
        let headers = [("Cookie", cookie), NAV[0], NAV[1]];
        world.send_at(
            https,
            "GET",
            "/admin/",
            &headers,
            Body::Complete(Vec::new()),
            NOW,
        )
    };
    assert_eq!(list(&session).status, 200);
    let unprefixed = session.replace("__Host-pd_owner", "pd_owner");
    assert_eq!(
        list(&unprefixed).status,
        303,
        "a cookie any subdomain could set"
    );
}

#[test]
fn the_session_cookie_counts_only_on_a_top_level_navigation() {
    let world = World::new();
    let session = sign_in(&world, ORIGIN);
    let cookie = ("Cookie", session.as_str());
    for (mode, dest) in [
        ("cors", "empty"),
        ("navigate", "iframe"),
        ("no-cors", "script"),
    ] {
        let headers = [cookie, ("Sec-Fetch-Mode", mode), ("Sec-Fetch-Dest", dest)];
        let page = world.send("GET", "/admin/", &headers, "");
        assert_eq!(page.status, 403, "{mode} {dest}");
        assert!(page.body.contains("navigation_required") && page.body.contains("<html"));
        let export = world.send("GET", "/api/admin/export/requests.json", &headers, "");
        assert_eq!(export.status, 403);
        assert!(export.body.contains(r#""code":"navigation_required""#));
    }
    let without = world.send("GET", "/api/admin/export/requests.json", &[cookie], "");
    assert_eq!(without.status, 403, "no fetch metadata, no owner data");
    let navigation = [cookie, NAV[0], NAV[1]];
    let export = world.send("GET", "/api/admin/export/requests.json", &navigation, "");
    assert_eq!(export.status, 200);
    assert_eq!(
        export.header("Cross-Origin-Opener-Policy"),
        Some("same-origin")
    );
    let page = world.send("GET", "/admin/", &navigation, "");
    assert_eq!(
        page.header("Cross-Origin-Opener-Policy"),
        Some("same-origin")
    );
    assert!(page
        .header("Content-Security-Policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    // The bearer token is for scripts and tools, and unaffected.
    let bearer = [("Authorization", BEARER), ("Sec-Fetch-Mode", "cors")];
    let api = world.send("GET", "/api/admin/export/requests.json", &bearer, "");
    assert_eq!(api.status, 200);
}

#[test]
fn verify_tells_nothing_about_references_and_checks_tokens_after_verification() {
    let world = World::new();
    let reference = world.file_request("anna@example.nl");
    let get = |r: &str| world.send("GET", &format!("/verify?ref={r}&token=00&lang=nl"), &[], "");
    let (real, unknown) = (get(&reference), get("PR-2222-2222-2222"));
    assert_eq!(real.status, unknown.status);
    assert_eq!(
        real.body.replace(&reference, "REF"),
        unknown.body.replace("PR-2222-2222-2222", "REF")
    );
    let post = |r: &str, token: &str| {
        let body = format!("ref={r}&token={token}");
        world.send(
            "POST",
            "/verify?lang=en",
            &[FORM, ("Origin", ORIGIN)],
            &body,
        )
    };
    let (wrong, missing) = (post(&reference, "00"), post("PR-2222-2222-2222", "00"));
    assert_eq!((wrong.status, missing.status), (404, 404));
    assert_eq!(
        wrong.body.replace(&reference, "REF"),
        missing.body.replace("PR-2222-2222-2222", "REF")
    );
    let token = verification_token(&world);
    assert_eq!(post(&reference, &token).status, 200);
    let api = |token: &str| {
        let body = format!(r#"{{"token":"{token}"}}"#);
        world.json("POST", &format!("/api/requests/{reference}/verify"), &body)
    };
    assert!(api(&token).body.contains(r#""email_verified":true"#));
    let guessed = api(&"00".repeat(24));
    assert_eq!(guessed.status, 404, "{}", guessed.body);
    assert!(!guessed.body.contains("email_verified"));
}

/// The verification link's token, from the mail to the requester.
fn verification_token(world: &World) -> String {
    let texts = world.mailer.texts();
    let mail = texts.iter().find(|t| t.contains("token=")).unwrap();
    let unfolded = mail.replace("=\r\n", "").replace("=3D", "=");
    unfolded
        .split("token=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[test]
fn form_posts_over_the_cap_are_refused_and_reserved_names_cannot_sign_in() {
    let world = World::new();
    for target in ["/admin/login", "/request-status", "/verify"] {
        let headers = [FORM, ("Origin", ORIGIN)];
        let answer = world.send_at(ORIGIN, "POST", target, &headers, Body::TooLarge, NOW);
        assert_eq!(answer.status, 413, "{target}");
        assert!(answer.body.contains("body_too_large"));
    }
    for name in [
        "System",
        " system ",
        "SYS%20TEM",
        "automatisch",
        "Requester",
    ] {
        let body = format!("token={ADMIN_TOKEN}&actor={name}");
        let login = world.send("POST", "/admin/login", &[FORM, ("Origin", ORIGIN)], &body);
        assert_eq!(login.status, 422, "{name}");
        assert_eq!(login.header("Set-Cookie"), None);
        assert!(login.body.contains("reserved"), "{}", login.body);
    }
    assert!(
        world.guard.counted_against("AUTH_LIMITER").is_empty(),
        "not a guess"
    );
}
