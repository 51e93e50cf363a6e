//! Per-service consent (issue 16): the record carries the preferences category and
//! every configured service's choice into KV and the owner's CSV; records from
//! older widgets (without either) are still accepted; malformed service lists are
//! refused and write nothing.

mod common;

use common::*;

const BASE: &str = r#""shop":"demo-en","consent_id":"AAAAAAAAAAAAAAAAAAAAAA","policy_version":"1","source":"preferences","lang":"en","gpc":false"#;

fn bearer() -> [(&'static str, String); 1] {
    [("Authorization", format!("Bearer {ADMIN_TOKEN}"))]
}

fn csv(world: &World) -> String {
    let bearer = bearer();
    let headers: Vec<(&str, &str)> = bearer.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let answer = world.send("GET", "/api/admin/export/consent.csv", &headers, "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

#[test]
fn services_and_preferences_reach_kv_and_the_csv() {
    let world = World::new();
    let body = format!(
        r#"{{{BASE},"choices":{{"analytics":true,"marketing":true,"preferences":true}},
        "services":[{{"name":"Meta Pixel","granted":false}},{{"name":"=YouTube","granted":true}}]}}"#
    );
    let answer = world.json("POST", "/api/consent", &body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let keys = world.store.keys_under("consent/demo-en/");
    let stored: serde_json::Value =
        serde_json::from_str(&world.store.value(&keys[0]).unwrap()).unwrap();
    assert_eq!(
        stored["services"],
        serde_json::json!([{"name":"Meta Pixel","granted":false},{"name":"=YouTube","granted":true}])
    );
    assert_eq!(stored["choices"]["preferences"], true);
    let csv = csv(&world);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .ends_with(",user_agent_hash,preferences,services"));
    // One cell, quoted like every other (it starts with `M`, not with `=`).
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(r#",granted,"Meta Pixel: denied; =YouTube: granted""#),
        "{csv}"
    );
}

#[test]
fn a_record_from_an_older_widget_is_still_accepted() {
    let world = World::new();
    let body = format!(r#"{{{BASE},"choices":{{"analytics":true,"marketing":false}}}}"#);
    let answer = world.json("POST", "/api/consent", &body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    let csv = csv(&world);
    assert!(csv.lines().nth(1).unwrap().ends_with(",denied,"), "{csv}");
}

#[test]
fn malformed_service_lists_are_refused_and_write_nothing() {
    let world = World::new();
    let many: Vec<String> = (0..51)
        .map(|i| format!(r#"{{"name":"S{i}","granted":true}}"#))
        .collect();
    for services in [
        format!("[{}]", many.join(",")),
        r#"[{"name":"","granted":true}]"#.to_owned(),
        r#"[{"name":"Meta\nPixel","granted":true}]"#.to_owned(),
        format!(r#"[{{"name":"{}","granted":true}}]"#, "x".repeat(101)),
        r#"[{"name":"Meta Pixel","granted":"yes"}]"#.to_owned(),
        r#"[{"name":"Meta Pixel","granted":true,"extra":1}]"#.to_owned(),
        r#"{"Meta Pixel":true}"#.to_owned(),
    ] {
        let body = format!(
            r#"{{{BASE},"choices":{{"analytics":true,"marketing":false}},"services":{services}}}"#
        );
        let answer = world.json("POST", "/api/consent", &body);
        assert!(
            matches!(answer.status, 400 | 422),
            "{services}: {} {}",
            answer.status,
            answer.body
        );
        let error: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert!(error["error"]["code"].is_string(), "{}", answer.body);
    }
    assert!(world.store.keys_under("consent/").is_empty());
    // The field is named where validation names it.
    let body = format!(
        r#"{{{BASE},"choices":{{"analytics":true,"marketing":false}},"services":[{{"name":"","granted":true}}]}}"#
    );
    let answer = world.json("POST", "/api/consent", &body);
    assert!(
        answer.body.contains(r#""field":"services""#),
        "{}",
        answer.body
    );
}
