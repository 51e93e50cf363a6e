//! Mail to the requester (verification link, extension, completion, refusal) and
//! the reminder digest to the privacy contact, in the reader's language; plus the
//! two transport forms the `Mailer` needs: raw MIME (send_email binding) and the
//! JSON body of an HTTP mail API.

use protocol::{Lang, Right};
use serde::Serialize;

use crate::config::{is_plain_address, Shop};
use crate::mail::mime::{encode_header_text, header_block, mailbox, quoted_printable};
use crate::owner::case::{CaseEvent, Notice};
use crate::store::StoredRequest;
use crate::time::{Date, Timestamp};

/// A message before transport encoding.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OutgoingMail {
    pub from: String,
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub reference: Option<String>,
}

fn long_date(iso: &str, lang: Lang) -> String {
    Date::parse_iso(iso.get(..10).unwrap_or(iso))
        .map(|d| d.long(lang))
        .unwrap_or_else(|| iso.to_owned())
}

/// The moment as people read it, to the minute: `1 December 2026, 09:05 UTC`.
fn long_moment(rfc3339: &str, lang: Lang) -> String {
    Timestamp::parse_rfc3339(rfc3339)
        .map(|t| t.long(lang))
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// The Dutch supervisory authority, named in every refusal (art. 12(4) GDPR).
pub const AP_URL: &str = "https://autoriteitpersoonsgegevens.nl";

/// The links in a requester's mail.
#[derive(Clone, Copy, Default)]
pub struct Links<'a> {
    /// The verification link and when it expires (RFC 3339), for [`Notice::Verify`].
    pub verify_url: Option<&'a str>,
    pub verify_expires: Option<&'a str>,
    /// The status page (`owner::status::status_url`), in every mail that has it.
    pub status_url: Option<&'a str>,
    /// An access package's download link and when it expires (RFC 3339).
    pub download_url: Option<&'a str>,
    pub download_expires: Option<&'a str>,
}

/// The requester's mail for a notice. `links.verify_url` is needed for
/// [`Notice::Verify`]; `event` carries the reason or message of the owner's
/// action. `None` when the requester's address cannot be a header value (it is
/// then reported, not sent).
pub fn requester_mail(
    notice: Notice,
    record: &StoredRequest,
    shop: &Shop,
    mail_from: &str,
    event: Option<&CaseEvent>,
    links: Links,
) -> Option<OutgoingMail> {
    if !is_plain_address(&record.email) {
        return None;
    }
    let Links {
        verify_url,
        verify_expires,
        status_url,
        download_url,
        download_expires,
    } = links;
    let lang = record.lang;
    let right = record.right.label(lang);
    let reference = &record.reference;
    let text_of = || event.and_then(|e| e.text.as_deref()).unwrap_or("");
    // Until the address is verified it may be anyone's: the mail then carries
    // nothing the requester typed (no name), so the desk cannot be made to send a
    // stranger an attacker's words from the shop's sender.
    let greeting = match (lang, record.case.email_verified()) {
        (Lang::En, true) => format!("Dear {},\n\n", record.name),
        (Lang::Nl, true) => format!("Beste {},\n\n", record.name),
        (Lang::En, false) => "Hello,\n\n".to_owned(),
        (Lang::Nl, false) => "Hallo,\n\n".to_owned(),
    };
    let (subject, body) = match (lang, notice) {
        (Lang::En, Notice::Verify) => (
            format!("Please confirm your e-mail address ({reference})"),
            format!(
                "{} received your privacy request \"{right}\" (reference {reference}).\n\n\
                 Please confirm that this is your e-mail address by opening this link:\n\n{}\n\n\
                 The link works once, until {}. If you did not send this request, you can ignore this e-mail; \
                 the request will then be closed.",
                shop.name,
                verify_url.unwrap_or(""),
                long_moment(verify_expires.unwrap_or(""), lang)
            ),
        ),
        (Lang::Nl, Notice::Verify) => (
            format!("Bevestig uw e-mailadres ({reference})"),
            format!(
                "{} heeft uw privacyverzoek \"{right}\" ontvangen (kenmerk {reference}).\n\n\
                 Bevestig dat dit uw e-mailadres is door deze link te openen:\n\n{}\n\n\
                 De link werkt één keer, tot {}. Heeft u dit verzoek niet gedaan? Dan kunt u deze e-mail negeren; \
                 het verzoek wordt dan gesloten.",
                shop.name,
                verify_url.unwrap_or(""),
                long_moment(verify_expires.unwrap_or(""), lang)
            ),
        ),
        (Lang::En, Notice::Extended) => (
            format!("Your privacy request {reference}: more time needed"),
            format!(
                "We need more time to answer your request \"{right}\" (reference {reference}). \
                 As the GDPR allows (article 12(3)), we have extended the period to answer. \
                 You will have our answer by {}.\n\nThe reason:\n{}",
                long_date(&record.due_date, lang),
                text_of()
            ),
        ),
        (Lang::Nl, Notice::Extended) => (
            format!("Uw privacyverzoek {reference}: meer tijd nodig"),
            format!(
                "Wij hebben meer tijd nodig om uw verzoek \"{right}\" (kenmerk {reference}) te beantwoorden. \
                 Zoals de AVG toestaat (artikel 12 lid 3) hebben wij de termijn verlengd. \
                 U krijgt ons antwoord uiterlijk op {}.\n\nDe reden:\n{}",
                long_date(&record.due_date, lang),
                text_of()
            ),
        ),
        (Lang::En, Notice::Completed) => (
            format!("Your privacy request {reference} has been handled"),
            format!(
                "We have handled your request \"{right}\" (reference {reference}).{}",
                optional_message(text_of(), "\n\nOur message:\n")
            ),
        ),
        (Lang::Nl, Notice::Completed) => (
            format!("Uw privacyverzoek {reference} is afgehandeld"),
            format!(
                "Wij hebben uw verzoek \"{right}\" (kenmerk {reference}) afgehandeld.{}",
                optional_message(text_of(), "\n\nOns bericht:\n")
            ),
        ),
        (Lang::En, Notice::Refused) => (
            format!("Your privacy request {reference}: our decision"),
            format!(
                "We cannot grant your request \"{right}\" (reference {reference}).\n\nThe reason:\n{}\n\n\
                 If you disagree, you have the right to lodge a complaint with the Dutch data protection \
                 authority, the Autoriteit Persoonsgegevens ({AP_URL}), and to seek a judicial remedy \
                 (articles 12(4), 77 and 79 GDPR).",
                text_of()
            ),
        ),
        (Lang::Nl, Notice::Refused) => (
            format!("Uw privacyverzoek {reference}: ons besluit"),
            format!(
                "Wij kunnen uw verzoek \"{right}\" (kenmerk {reference}) niet inwilligen.\n\nDe reden:\n{}\n\n\
                 Bent u het hier niet mee eens? Dan heeft u het recht een klacht in te dienen bij de \
                 Autoriteit Persoonsgegevens ({AP_URL}) en naar de rechter te stappen \
                 (artikelen 12 lid 4, 77 en 79 AVG).",
                text_of()
            ),
        ),
    };
    let expires = long_moment(download_expires.unwrap_or(""), lang);
    let download = match (lang, download_url) {
        (_, None) => String::new(),
        (Lang::En, Some(url)) => format!(
            "\n\nYour data, with an overview of who processes it and why, is ready for you. \
             Open this link and enter this e-mail address to read it and to download it as JSON or CSV:\n{url}\n\n\
             The link works until {expires}; after that the copy is deleted."
        ),
        (Lang::Nl, Some(url)) => format!(
            "\n\nUw gegevens, met een overzicht van wie ze verwerkt en waarom, staan voor u klaar. \
             Open deze link en vul dit e-mailadres in om ze te lezen en als JSON of CSV te downloaden:\n{url}\n\n\
             De link werkt tot {expires}; daarna wordt de kopie verwijderd."
        ),
    };
    let status_link = match (lang, status_url) {
        (_, None) => String::new(),
        (Lang::En, Some(url)) => format!(
            "\n\nYou can see where your request stands at any time (you will need this e-mail address):\n{url}"
        ),
        (Lang::Nl, Some(url)) => format!(
            "\n\nU kunt altijd zien hoe uw verzoek ervoor staat (u heeft dit e-mailadres nodig):\n{url}"
        ),
    };
    let sign_off = match lang {
        Lang::En => format!("\n\nKind regards,\n{}\n", shop.name),
        Lang::Nl => format!("\n\nMet vriendelijke groet,\n{}\n", shop.name),
    };
    Some(OutgoingMail {
        from: mail_from.to_owned(),
        to: record.email.clone(),
        reply_to: Some(shop.privacy_contact.clone()),
        subject,
        text: format!("{greeting}{body}{download}{status_link}{sign_off}"),
        reference: Some(reference.clone()),
    })
}

fn optional_message(text: &str, label: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("{label}{text}")
    }
}

/// Why a request is in a reminder.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Urgency {
    DueSoon,
    Overdue,
}

/// One line of the reminder digest.
#[derive(Clone, PartialEq, Eq)]
pub struct ReminderItem {
    pub reference: String,
    pub right: Right,
    pub due_date: String,
    pub urgency: Urgency,
}

/// The daily digest to a shop's privacy contact. No personal data: references,
/// types and dates only.
pub fn reminder_mail(shop: &Shop, mail_from: &str, items: &[ReminderItem]) -> OutgoingMail {
    let lang = shop.mail_lang();
    let overdue = items
        .iter()
        .filter(|i| i.urgency == Urgency::Overdue)
        .count();
    let subject = match lang {
        Lang::En => format!(
            "Privacy requests to answer: {} ({overdue} overdue) at {}",
            items.len(),
            shop.name
        ),
        Lang::Nl => format!(
            "Privacyverzoeken te beantwoorden: {} ({overdue} te laat) bij {}",
            items.len(),
            shop.name
        ),
    };
    let mut text = match lang {
        Lang::En => "These privacy requests need an answer soon. Open the owner page (/admin/) to handle them.\n\n".to_owned(),
        Lang::Nl => "Deze privacyverzoeken moeten binnenkort beantwoord worden. Open de beheerpagina (/admin/) om ze af te handelen.\n\n".to_owned(),
    };
    for item in items {
        let due = long_date(&item.due_date, lang);
        let when = match (lang, item.urgency) {
            (Lang::En, Urgency::DueSoon) => format!("due {due}"),
            (Lang::En, Urgency::Overdue) => format!("OVERDUE since {due}"),
            (Lang::Nl, Urgency::DueSoon) => format!("uiterlijk {due}"),
            (Lang::Nl, Urgency::Overdue) => format!("TE LAAT sinds {due}"),
        };
        text.push_str(&format!(
            "- {}: {} ({when})\n",
            item.reference,
            item.right.label(lang)
        ));
    }
    OutgoingMail {
        from: mail_from.to_owned(),
        to: shop.privacy_contact.clone(),
        reply_to: None,
        subject,
        text,
        reference: None,
    }
}

/// The complete RFC 5322 message (CRLF). Only fixed text, configuration and
/// validated addresses reach the headers; the subject is encoded, control
/// characters are dropped.
pub fn mime(mail: &OutgoingMail, now: Timestamp, message_token: &str) -> String {
    let domain = mail
        .from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("localhost");
    let token: String = message_token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(64)
        .collect();
    let mut headers: Vec<(&str, String)> = vec![
        ("From", mailbox("Privacy Desk", &mail.from)),
        ("To", format!("<{}>", mail.to)),
    ];
    if let Some(reply_to) = mail.reply_to.as_deref().filter(|a| is_plain_address(a)) {
        headers.push(("Reply-To", format!("<{reply_to}>")));
    }
    headers.extend([
        ("Subject", encode_header_text(&mail.subject)),
        ("Date", now.rfc5322()),
        ("Message-ID", format!("<{token}@{domain}>")),
        ("MIME-Version", "1.0".to_owned()),
        ("Content-Type", "text/plain; charset=utf-8".to_owned()),
        ("Content-Transfer-Encoding", "quoted-printable".to_owned()),
        ("Auto-Submitted", "auto-generated".to_owned()),
    ]);
    if let Some(reference) = &mail.reference {
        headers.push(("X-Privacy-Desk-Reference", reference.clone()));
    }
    let mut raw = header_block(&headers);
    raw.push_str("\r\n");
    raw.push_str(&quoted_printable(&mail.text));
    raw
}

#[derive(Serialize)]
struct ApiBody<'a> {
    from: String,
    to: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<&'a str>,
    subject: &'a str,
    text: &'a str,
}

/// The JSON an HTTP mail API gets (`{from,to,reply_to,subject,text}`, the shape
/// Resend and several others accept).
pub fn http_body(mail: &OutgoingMail) -> String {
    serde_json::to_string(&ApiBody {
        from: format!("Privacy Desk <{}>", mail.from),
        to: [&mail.to],
        reply_to: mail.reply_to.as_deref(),
        subject: &mail.subject,
        text: &mail.text,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Shops;
    use crate::owner::case::{CaseEvent, EventKind};
    use crate::store::new_request;
    use protocol::NewRightsRequest;

    const NOW: Timestamp = Timestamp(1_795_511_103_042);

    fn shops() -> Shops {
        crate::fixtures::demo_shops()
    }

    fn record(shop: &Shop, lang: Lang, email: &str) -> StoredRequest {
        let mut request: NewRightsRequest = serde_json::from_str(
            r#"{"shop":"demo-en","right":"erasure","name":"Anna","email":"x@example.nl","confirm_true":true,"lang":"en","idempotency_key":"k7Yt2QmZp9wXc4Rb"}"#,
        )
        .unwrap();
        request.shop = shop.id.clone();
        request.email = email.into();
        request.lang = lang;
        new_request(request, shop, "PR-7KQ4-M2XD-9HTW".into(), NOW)
    }

    /// An address nobody has verified may be a stranger's: the mail carries nothing
    /// the requester typed, whatever they typed.
    #[test]
    fn mail_to_an_unverified_address_carries_nothing_typed() {
        let shops = shops();
        let shop = shops.get("demo-en").unwrap();
        for lang in [Lang::En, Lang::Nl] {
            let mut r = record(shop, lang, "victim@example.org");
            r.name =
                "Your refund of EUR 500 is ready - claim it at https://evil.example/claim".into();
            r.details = Some("Log in at https://evil.example/login".into());
            r.case.email = Some(crate::owner::case::EmailCheck {
                token_hash: Some("h".into()),
                expires_at: "2026-12-01T09:05:03.042Z".into(),
                verified_at: None,
            });
            for notice in [
                Notice::Verify,
                Notice::Extended,
                Notice::Completed,
                Notice::Refused,
            ] {
                let mail = requester_mail(
                    notice,
                    &r,
                    shop,
                    "pd@privacy-desk.example",
                    None,
                    Links::default(),
                )
                .unwrap();
                for typed in ["evil.example", "EUR 500", "Log in"] {
                    assert!(
                        !mail.text.contains(typed) && !mail.subject.contains(typed),
                        "{typed} in {:?}",
                        mail.text
                    );
                }
                assert!(mail.text.starts_with("Hello,") || mail.text.starts_with("Hallo,"));
            }
        }
    }

    #[test]
    fn requester_mails() {
        let shops = shops();
        let shop = shops.get("demo-nl").unwrap();
        let reason = CaseEvent {
            text: Some("Manifestly unfounded".into()),
            ..CaseEvent::new(NOW, "o", EventKind::Refused)
        };
        for (lang, notice, event, expected) in [
            (
                Lang::Nl,
                Notice::Refused,
                Some(&reason),
                &[
                    "Autoriteit Persoonsgegevens",
                    "Manifestly unfounded",
                    "Beste Anna",
                    "artikelen 12 lid 4",
                ][..],
            ),
            (
                Lang::En,
                Notice::Refused,
                Some(&reason),
                &[
                    "Autoriteit Persoonsgegevens",
                    AP_URL,
                    "Dear Anna",
                    "judicial remedy",
                ][..],
            ),
            (
                Lang::En,
                Notice::Verify,
                None,
                &[
                    "https://x.example/verify?ref=PR-7KQ4-M2XD-9HTW&token=t",
                    "until 1 December 2026, 09:05 UTC.",
                ][..],
            ),
            (
                Lang::Nl,
                Notice::Verify,
                None,
                &["tot 1 december 2026, 09:05 uur UTC."][..],
            ),
            (
                Lang::En,
                Notice::Extended,
                None,
                &["You will have our answer by 24 December 2026", "12(3)"][..],
            ),
            (Lang::Nl, Notice::Completed, None, &["afgehandeld"][..]),
        ] {
            let r = record(shop, lang, "anna@example.nl");
            let status_url =
                crate::requester::status::status_url("https://x.example", &r.reference, lang);
            let mail = requester_mail(
                notice,
                &r,
                shop,
                "pd@privacy-desk.example",
                event,
                Links {
                    verify_url: Some("https://x.example/verify?ref=PR-7KQ4-M2XD-9HTW&token=t"),
                    verify_expires: Some("2026-12-01T09:05:03.042Z"),
                    status_url: Some(&status_url),
                    ..Links::default()
                },
            )
            .unwrap();
            // Every requester mail links to the status page, in the mail's language.
            assert!(
                mail.text.contains(&format!(
                    "\nhttps://x.example/request-status?ref=PR-7KQ4-M2XD-9HTW&lang={}\n",
                    lang.code()
                )),
                "{}",
                mail.text
            );
            assert!(mail.text.contains(match lang {
                Lang::En => "You can see where your request stands at any time",
                Lang::Nl => "U kunt altijd zien hoe uw verzoek ervoor staat",
            }));
            assert_eq!(mail.to, "anna@example.nl");
            assert_eq!(mail.reply_to.as_deref(), Some("privacy@beugelhuis.example"));
            assert!(
                mail.subject.contains("PR-7KQ4-M2XD-9HTW"),
                "{}",
                mail.subject
            );
            for text in expected {
                assert!(
                    mail.text.contains(text),
                    "{} {notice:?}: {text:?} missing in\n{}",
                    lang.code(),
                    mail.text
                );
            }
        }
        let bad = record(shop, Lang::Nl, "anna@example.nl\r\nBcc: x@y.z");
        assert_eq!(
            requester_mail(
                Notice::Completed,
                &bad,
                shop,
                "pd@x.example",
                None,
                Links::default()
            ),
            None
        );
        // Without a status link the mail is as before.
        let plain = requester_mail(
            Notice::Completed,
            &record(shop, Lang::En, "anna@example.nl"),
            shop,
            "pd@x.example",
            None,
            Links::default(),
        )
        .unwrap();
        assert!(!plain.text.contains("request-status"), "{}", plain.text);
    }

    #[test]
    fn transport_forms() {
        let shops = shops();
        let shop = shops.get("demo-en").unwrap();
        let items = [
            ReminderItem {
                reference: "PR-7KQ4-M2XD-9HTW".into(),
                right: Right::Access,
                due_date: "2026-12-01".into(),
                urgency: Urgency::DueSoon,
            },
            ReminderItem {
                reference: "PR-2222-2222-2222".into(),
                right: Right::Erasure,
                due_date: "2026-11-20".into(),
                urgency: Urgency::Overdue,
            },
        ];
        let mail = reminder_mail(shop, "pd@privacy-desk.example", &items);
        assert_eq!(mail.to, "privacy@mountandco.example");
        assert!(mail.subject.contains("2 (1 overdue)"), "{}", mail.subject);
        assert!(
            mail.text
                .contains("PR-2222-2222-2222: Erasure of my data (OVERDUE since 20 November 2026)"),
            "{}",
            mail.text
        );
        let raw = mime(
            &OutgoingMail {
                subject: "Bäcker\r\nBcc: x".into(),
                ..mail.clone()
            },
            NOW,
            "ab\r\n12",
        );
        let head = raw.split_once("\r\n\r\n").unwrap().0;
        assert!(head.lines().all(|l| !l.starts_with("Bcc")), "{head}");
        assert!(head.contains("Message-ID: <ab12@privacy-desk.example>"));
        assert!(raw.is_ascii());
        let json: serde_json::Value = serde_json::from_str(&http_body(&mail)).unwrap();
        assert_eq!(json["to"][0], "privacy@mountandco.example");
        assert_eq!(json["from"], "Privacy Desk <pd@privacy-desk.example>");
        assert!(json.get("reply_to").is_none());
    }
}
