//! Settings of the owner's side, from the optional `REQUESTS` var (periods of
//! verification, reminders and retention) and the requester mailer's vars.

use serde::Deserialize;

/// Periods that govern a request's life after it is received.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestPolicy {
    /// How long the requester's e-mail verification link works.
    #[serde(default = "seven")]
    pub verify_link_days: u32,
    /// A request whose e-mail address is still unverified this long after receipt
    /// is closed as expired.
    #[serde(default = "fourteen")]
    pub unverified_close_days: u32,
    /// Remind the privacy contact of open requests due within this many days.
    #[serde(default = "seven")]
    pub remind_before_days: u32,
    /// Personal data of a closed request is purged this long after closing; an
    /// anonymised record stays.
    #[serde(default = "two_years")]
    pub closed_retention_days: u32,
    /// At most this many mails to requesters per shop and UTC hour; what is over
    /// it stays queued and goes out in a later hour (a flood of requests in other
    /// people's names cannot make the shop's sender a spammer).
    #[serde(default = "thirty")]
    pub requester_mail_per_hour: u32,
}

fn seven() -> u32 {
    7
}
fn fourteen() -> u32 {
    14
}
fn two_years() -> u32 {
    730
}
fn thirty() -> u32 {
    30
}

impl Default for RequestPolicy {
    fn default() -> Self {
        RequestPolicy {
            verify_link_days: seven(),
            unverified_close_days: fourteen(),
            remind_before_days: seven(),
            closed_retention_days: two_years(),
            requester_mail_per_hour: thirty(),
        }
    }
}

/// Parses the `REQUESTS` var (JSON); absent means the defaults.
pub fn parse_policy(json: Option<&str>) -> Result<RequestPolicy, String> {
    let Some(json) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(RequestPolicy::default());
    };
    let policy: RequestPolicy = serde_json::from_str(json).map_err(|e| format!("REQUESTS: {e}"))?;
    let checks = [
        (
            "verify_link_days",
            (1..=30).contains(&policy.verify_link_days),
        ),
        (
            "unverified_close_days",
            (policy.verify_link_days..=90).contains(&policy.unverified_close_days),
        ),
        (
            "remind_before_days",
            (0..=30).contains(&policy.remind_before_days),
        ),
        (
            "closed_retention_days",
            (30..=3650).contains(&policy.closed_retention_days),
        ),
        (
            "requester_mail_per_hour",
            (1..=10_000).contains(&policy.requester_mail_per_hour),
        ),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((field, _)) => Err(format!("REQUESTS: {field} is out of range")),
        None => Ok(policy),
    }
}

/// Parses `PUBLIC_ORIGIN`: `https://host[:port]`, or `http://` on loopback; no
/// path, no trailing slash.
pub fn parse_public_origin(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let loopback = ["http://127.0.0.1", "http://localhost"]
        .iter()
        .any(|p| value == *p || value.starts_with(&format!("{p}:")));
    match crate::config::normalize_origin(value) {
        Some(origin) if origin.starts_with("https://") || loopback => Ok(origin),
        _ => Err(format!(
            "PUBLIC_ORIGIN must be an https:// origin (or http:// on loopback), not {value:?}"
        )),
    }
}

/// How mail to requesters leaves the Worker.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum MailerChoice {
    /// The `REQUESTER_EMAIL` send_email binding: locally unrestricted (written as
    /// .eml); in production only to addresses verified in Email Routing.
    SendEmail,
    /// An HTTP mail API (JSON `{from,to,subject,text}` with a Bearer key, as
    /// Resend and similar providers accept); key in the `MAIL_API_KEY` secret.
    HttpApi { url: String },
}

/// Parses `REQUESTER_MAILER` (`send_email`, the default, or `http`) and `MAIL_API_URL`.
pub fn parse_mailer(kind: Option<&str>, url: Option<&str>) -> Result<MailerChoice, String> {
    match kind.map(str::trim).unwrap_or("send_email") {
        "" | "send_email" => Ok(MailerChoice::SendEmail),
        "http" => {
            let url = url.map(str::trim).unwrap_or("");
            // Plain http only to this machine (a local stand-in in tests).
            let loopback = ["http://127.0.0.1:", "http://localhost:"]
                .iter()
                .any(|p| url.starts_with(p));
            if (url.starts_with("https://") && url.len() > "https://".len()) || loopback {
                Ok(MailerChoice::HttpApi {
                    url: url.to_owned(),
                })
            } else {
                Err("MAIL_API_URL must be an https:// URL (or http:// on loopback) when REQUESTER_MAILER is http".into())
            }
        }
        _ => Err("REQUESTER_MAILER must be send_email or http".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origin_table() {
        for (value, want) in [
            ("https://desk.example", Some("https://desk.example")),
            ("https://Desk.Example/", Some("https://desk.example")),
            (
                "https://desk.example:8443",
                Some("https://desk.example:8443"),
            ),
            ("http://127.0.0.1:8787", Some("http://127.0.0.1:8787")),
            ("http://localhost:8787", Some("http://localhost:8787")),
            ("http://desk.example", None),
            ("http://127.0.0.1.evil.example", None),
            ("https://desk.example/path", None),
            ("desk.example", None),
            ("", None),
        ] {
            assert_eq!(parse_public_origin(value).ok().as_deref(), want, "{value}");
        }
    }

    #[test]
    fn policy_table() {
        assert_eq!(parse_policy(None), Ok(RequestPolicy::default()));
        assert_eq!(parse_policy(Some("{}")), Ok(RequestPolicy::default()));
        let custom =
            parse_policy(Some(r#"{"verify_link_days":3,"remind_before_days":0}"#)).unwrap();
        assert_eq!(
            (
                custom.verify_link_days,
                custom.remind_before_days,
                custom.unverified_close_days
            ),
            (3, 0, 14)
        );
        for bad in [
            r#"{"verify_link_days":0}"#,
            r#"{"verify_link_days":10,"unverified_close_days":5}"#,
            r#"{"closed_retention_days":1}"#,
            r#"{"unknown":1}"#,
            "[",
        ] {
            assert!(parse_policy(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn mailer_table() {
        assert_eq!(parse_mailer(None, None), Ok(MailerChoice::SendEmail));
        assert_eq!(
            parse_mailer(Some("send_email"), Some("x")),
            Ok(MailerChoice::SendEmail)
        );
        assert_eq!(
            parse_mailer(Some("http"), Some("https://api.resend.com/emails")),
            Ok(MailerChoice::HttpApi {
                url: "https://api.resend.com/emails".into()
            })
        );
        assert!(parse_mailer(Some("http"), None).is_err());
        assert!(parse_mailer(Some("http"), Some("http://insecure.example")).is_err());
        assert!(parse_mailer(Some("http"), Some("http://127.0.0.1.evil.example/")).is_err());
        assert!(parse_mailer(Some("http"), Some("http://127.0.0.1:9000/emails")).is_ok());
        assert!(parse_mailer(Some("smtp"), None).is_err());
    }
}
