//! The mail to a shop's privacy contact about a new rights request, rendered as a
//! complete RFC 5322 message. Only fixed text, configuration and the validated
//! `Reply-To` address reach the header section; everything the requester typed is
//! in the quoted-printable body, so no input can add or change a header.

use protocol::{Lang, Right};

use super::mime::{
    encode_header_text, header_block, mailbox, normalize_newlines, quoted_printable,
};
use crate::config::{is_plain_address, Shop};
use crate::store::StoredRequest;
use crate::time::{Date, Timestamp};

/// A rendered message and its envelope.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Mail {
    /// Envelope sender; also the `From:` address.
    pub from: String,
    /// Envelope recipient; also the `To:` address.
    pub to: String,
    /// The whole message, CRLF line endings.
    pub raw: String,
}

/// Every fixed text of the mail, so that each language is one exhaustive `match`.
#[derive(Clone, Copy)]
enum Text {
    SenderName,
    SubjectPrefix,
    Intro,
    Reference,
    Request,
    Received,
    AnswerBy,
    Name,
    Email,
    OrderNumber,
    NotGiven,
    Language,
    Confirmed,
    Yes,
    Details,
    NoDetails,
    NextSteps,
    StepReply,
    StepIdentity,
    StepDeadline,
    NoReplyTo,
    Law,
}

fn text(lang: Lang, text: Text) -> &'static str {
    use Text as T;
    match (lang, text) {
        (Lang::En, T::SenderName) => "Privacy Desk",
        (Lang::En, T::SubjectPrefix) => "Privacy request",
        (Lang::En, T::Intro) => "A customer has exercised a data-protection right (GDPR) at",
        (Lang::En, T::Reference) => "Reference",
        (Lang::En, T::Request) => "Request",
        (Lang::En, T::Received) => "Received",
        (Lang::En, T::AnswerBy) => "Answer by",
        (Lang::En, T::Name) => "Name",
        (Lang::En, T::Email) => "E-mail",
        (Lang::En, T::OrderNumber) => "Order number",
        (Lang::En, T::NotGiven) => "(not given)",
        (Lang::En, T::Language) => "Language",
        (Lang::En, T::Confirmed) => "Information confirmed as true",
        (Lang::En, T::Yes) => "yes",
        (Lang::En, T::Details) => "Details",
        (Lang::En, T::NoDetails) => "(none)",
        (Lang::En, T::NextSteps) => "What to do next",
        (Lang::En, T::StepReply) => "Reply to this e-mail to reach the requester.",
        (Lang::En, T::StepIdentity) => "Check who you are dealing with before you send or change any data: send data only to the e-mail address you already know for this customer.",
        (Lang::En, T::StepDeadline) => "Answer by the date above. For a complex request the period can be extended by two months; tell the requester before that date.",
        (Lang::En, T::Law) => "GDPR",
        (Lang::En, T::NoReplyTo) => "This address cannot be used as Reply-To; write to it yourself.",
        (Lang::Nl, T::SenderName) => "Privacy Desk",
        (Lang::Nl, T::SubjectPrefix) => "Privacyverzoek",
        (Lang::Nl, T::Intro) => "Een klant heeft een privacyrecht (AVG) uitgeoefend bij",
        (Lang::Nl, T::Reference) => "Kenmerk",
        (Lang::Nl, T::Request) => "Verzoek",
        (Lang::Nl, T::Received) => "Ontvangen",
        (Lang::Nl, T::AnswerBy) => "Antwoorden voor",
        (Lang::Nl, T::Name) => "Naam",
        (Lang::Nl, T::Email) => "E-mail",
        (Lang::Nl, T::OrderNumber) => "Ordernummer",
        (Lang::Nl, T::NotGiven) => "(niet opgegeven)",
        (Lang::Nl, T::Language) => "Taal",
        (Lang::Nl, T::Confirmed) => "Gegevens bevestigd als juist",
        (Lang::Nl, T::Yes) => "ja",
        (Lang::Nl, T::Details) => "Toelichting",
        (Lang::Nl, T::NoDetails) => "(geen)",
        (Lang::Nl, T::NextSteps) => "Wat nu",
        (Lang::Nl, T::StepReply) => "Beantwoord deze e-mail om de aanvrager te bereiken.",
        (Lang::Nl, T::StepIdentity) => "Controleer met wie u te maken heeft voordat u gegevens stuurt of wijzigt: stuur gegevens alleen naar het e-mailadres dat u al van deze klant kent.",
        (Lang::Nl, T::StepDeadline) => "Antwoord voor de datum hierboven. Bij een ingewikkeld verzoek kan de termijn met twee maanden worden verlengd; laat de aanvrager dat voor die datum weten.",
        (Lang::Nl, T::Law) => "AVG",
        (Lang::Nl, T::NoReplyTo) => "Dit adres kan niet als Reply-To worden gebruikt; schrijf er zelf naartoe.",
    }
}

fn article(right: Right) -> &'static str {
    match right {
        Right::Access => "15",
        Right::Rectification => "16",
        Right::Erasure => "17",
        Right::Restriction => "18",
        Right::Portability => "20",
        Right::Objection => "21",
        Right::WithdrawConsent => "7(3)",
    }
}

fn language_name(mail_lang: Lang, of: Lang) -> &'static str {
    match (mail_lang, of) {
        (Lang::En, Lang::En) => "English",
        (Lang::En, Lang::Nl) => "Dutch",
        (Lang::Nl, Lang::En) => "Engels",
        (Lang::Nl, Lang::Nl) => "Nederlands",
    }
}

/// The subject: type and reference, e.g. `Privacy request PR-7KQ4-M2XD-9HTW: Erasure of my data`.
pub fn subject(request: &StoredRequest, lang: Lang) -> String {
    format!(
        "{} {}: {}",
        text(lang, Text::SubjectPrefix),
        request.reference,
        request.right.label(lang)
    )
}

/// The plain-text body (LF line endings; encoded for transport by [`render`]).
pub fn body(request: &StoredRequest, shop: &Shop) -> String {
    let lang = shop.mail_lang();
    let t = |key| text(lang, key);
    let due = Date::parse_iso(&request.due_date)
        .map(|d| d.long(lang))
        .unwrap_or_else(|| request.due_date.clone());
    let received = received_text(&request.received_at, lang);
    let not_given = t(Text::NotGiven);
    let reply_to_note = if reply_to(request).is_none() {
        format!(" {}", t(Text::NoReplyTo))
    } else {
        String::new()
    };
    let rows: [(Text, String); 9] = [
        (Text::Reference, request.reference.clone()),
        (
            Text::Request,
            format!(
                "{} (art. {} {})",
                request.right.label(lang),
                article(request.right),
                t(Text::Law)
            ),
        ),
        (Text::Received, received),
        (Text::AnswerBy, due),
        (Text::Name, request.name.clone()),
        (Text::Email, format!("{}{reply_to_note}", request.email)),
        (
            Text::OrderNumber,
            request
                .order_number
                .clone()
                .unwrap_or_else(|| not_given.to_owned()),
        ),
        (Text::Language, language_name(lang, request.lang).to_owned()),
        (Text::Confirmed, t(Text::Yes).to_owned()),
    ];
    let width = rows
        .iter()
        .map(|(key, _)| t(*key).chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{} {}.\n\n", t(Text::Intro), shop.name);
    for (key, value) in rows {
        let label = format!("{}:", t(key));
        out.push_str(&format!("{label:<width$}{value}\n"));
    }
    out.push_str(&format!("\n{}:\n", t(Text::Details)));
    match request.details.as_deref() {
        Some(details) => out.push_str(&normalize_newlines(details)),
        None => out.push_str(t(Text::NoDetails)),
    }
    out.push_str(&format!("\n\n{}:\n", t(Text::NextSteps)));
    for step in [Text::StepReply, Text::StepIdentity, Text::StepDeadline] {
        out.push_str(&format!("- {}\n", t(step)));
    }
    out
}

/// `24 November 2026, 09:05 UTC` from the stored RFC 3339 time.
fn received_text(rfc3339: &str, lang: Lang) -> String {
    let date = rfc3339.get(..10).and_then(Date::parse_iso);
    let time = rfc3339
        .get(11..16)
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b':'));
    match (date, time) {
        (Some(date), Some(time)) => format!("{}, {time} UTC", date.long(lang)),
        _ => rfc3339.to_owned(),
    }
}

/// The requester's address when it can safely be a header value: validated,
/// ASCII-only, no spaces or line breaks.
pub fn reply_to(request: &StoredRequest) -> Option<&str> {
    let address = request.email.as_str();
    is_plain_address(address).then_some(address)
}

/// Renders the complete message. `message_token` is fresh randomness (hex) for the
/// `Message-ID`.
pub fn render(
    request: &StoredRequest,
    shop: &Shop,
    mail_from: &str,
    now: Timestamp,
    message_token: &str,
) -> Mail {
    let lang = shop.mail_lang();
    let domain = mail_from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("localhost");
    let mut headers: Vec<(&str, String)> = vec![
        ("From", mailbox(text(lang, Text::SenderName), mail_from)),
        ("To", format!("<{}>", shop.privacy_contact)),
    ];
    if let Some(address) = reply_to(request) {
        headers.push(("Reply-To", format!("<{address}>")));
    }
    headers.extend([
        ("Subject", encode_header_text(&subject(request, lang))),
        ("Date", now.rfc5322()),
        (
            "Message-ID",
            format!(
                "<{}.{}@{domain}>",
                request.reference.to_ascii_lowercase(),
                sanitize_token(message_token)
            ),
        ),
        ("MIME-Version", "1.0".to_owned()),
        ("Content-Type", "text/plain; charset=utf-8".to_owned()),
        ("Content-Transfer-Encoding", "quoted-printable".to_owned()),
        ("Auto-Submitted", "auto-generated".to_owned()),
        ("X-Privacy-Desk-Reference", request.reference.clone()),
    ]);
    let mut raw = header_block(&headers);
    raw.push_str("\r\n");
    raw.push_str(&quoted_printable(&body(request, shop)));
    Mail {
        from: mail_from.to_owned(),
        to: shop.privacy_contact.clone(),
        raw,
    }
}

fn sanitize_token(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every header the mail to the privacy contact has, in order; no other.
    const HEADER_NAMES: [&str; 11] = [
        "From",
        "To",
        "Reply-To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Auto-Submitted",
        "X-Privacy-Desk-Reference",
    ];
    use crate::config::Shops;
    use crate::store::new_request;
    use protocol::NewRightsRequest;

    const NOW: Timestamp = Timestamp(1_795_511_103_042);

    fn shops() -> Shops {
        crate::fixtures::demo_shops()
    }

    /// A stored request built WITHOUT validation, so the renderer's own guarantees
    /// are what is tested.
    fn stored(shop: &Shop, edit: impl FnOnce(&mut NewRightsRequest)) -> StoredRequest {
        let mut request = NewRightsRequest {
            shop: shop.id.clone(),
            right: Right::Erasure,
            name: "Anna de Vries".into(),
            email: "anna@example.nl".into(),
            order_number: Some("#1001".into()),
            details: Some("Please delete my account.\nThank you!".into()),
            confirm_true: true,
            lang: Lang::Nl,
            idempotency_key: "k7Yt2QmZp9wXc4Rb".into(),
            honeypot: None,
            turnstile_token: None,
        };
        edit(&mut request);
        new_request(request, shop, "PR-7KQ4-M2XD-9HTW".into(), NOW)
    }

    /// Splits a raw message into (header name, value) pairs and the decoded body.
    fn parse(raw: &str) -> (Vec<(String, String)>, String) {
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .expect("blank line after headers");
        let headers = head
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("name: value");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        (headers, crate::mail::mime::decode_qp(body))
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn english_mail() {
        let shops = shops();
        let shop = shops.get("demo-en").unwrap();
        let mail = render(
            &stored(shop, |_| {}),
            shop,
            "privacy-desk@privacy-desk.example",
            NOW,
            "ab12",
        );
        assert_eq!(mail.to, "privacy@mountandco.example");
        assert_eq!(mail.from, "privacy-desk@privacy-desk.example");
        let (headers, body) = parse(&mail.raw);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, HEADER_NAMES);
        assert_eq!(
            header(&headers, "From"),
            Some("Privacy Desk <privacy-desk@privacy-desk.example>")
        );
        assert_eq!(header(&headers, "To"), Some("<privacy@mountandco.example>"));
        assert_eq!(header(&headers, "Reply-To"), Some("<anna@example.nl>"));
        assert_eq!(
            header(&headers, "Subject"),
            Some("Privacy request PR-7KQ4-M2XD-9HTW: Erasure of my data")
        );
        assert_eq!(
            header(&headers, "Date"),
            Some("Tue, 24 Nov 2026 09:05:03 +0000")
        );
        assert_eq!(
            header(&headers, "Message-ID"),
            Some("<pr-7kq4-m2xd-9htw.ab12@privacy-desk.example>")
        );
        for expected in [
            "A customer has exercised a data-protection right (GDPR) at Mount & Co.",
            "Reference:                     PR-7KQ4-M2XD-9HTW",
            "Request:                       Erasure of my data (art. 17 GDPR)",
            "Received:                      24 November 2026, 09:05 UTC",
            "Answer by:                     24 December 2026",
            "Name:                          Anna de Vries",
            "E-mail:                        anna@example.nl\n",
            "Order number:                  #1001",
            "Language:                      Dutch",
            "Details:\nPlease delete my account.\nThank you!\n",
        ] {
            assert!(body.contains(expected), "missing {expected:?} in\n{body}");
        }
    }

    #[test]
    fn dutch_mail() {
        let shops = shops();
        let shop = shops.get("demo-nl").unwrap();
        let request = stored(shop, |r| {
            r.right = Right::Access;
            r.order_number = None;
            r.details = None;
            r.name = "Jürgen Bäcker".into();
        });
        let mail = render(
            &request,
            shop,
            "privacy-desk@privacy-desk.example",
            NOW,
            "ab12",
        );
        let (headers, body) = parse(&mail.raw);
        assert_eq!(
            header(&headers, "Subject"),
            Some("Privacyverzoek PR-7KQ4-M2XD-9HTW: Inzage in mijn gegevens")
        );
        assert!(
            body.contains("Antwoorden voor:              24 december 2026"),
            "{body}"
        );
        assert!(
            body.contains("Ordernummer:                  (niet opgegeven)"),
            "{body}"
        );
        assert!(
            body.contains("Naam:                         Jürgen Bäcker"),
            "{body}"
        );
        assert!(body.contains("Toelichting:\n(geen)"), "{body}");
        assert!(
            body.contains("Verzoek:                      Inzage in mijn gegevens (art. 15 AVG)"),
            "{body}"
        );
        assert!(mail.raw.is_ascii());
    }

    #[test]
    fn header_injection_is_impossible() {
        let shops = shops();
        let shop = shops.get("demo-en").unwrap();
        type Attack = (&'static str, fn(&mut NewRightsRequest));
        let attacks: [Attack; 5] = [
            ("name", |r| {
                r.name = "Anna\r\nBcc: victim@example.com".into()
            }),
            ("email", |r| {
                r.email = "anna@example.nl\r\nBcc: victim@example.com".into()
            }),
            ("email-lf", |r| {
                r.email = "anna@example.nl\nSubject: hi".into()
            }),
            ("details", |r| {
                r.details = Some("\r\n\r\nBcc: victim@example.com\r\n.\r\nMAIL FROM:<x@y>".into())
            }),
            ("order", |r| r.order_number = Some("1\r\nX-Evil: 1".into())),
        ];
        for (what, attack) in attacks {
            let request = stored(shop, attack);
            let mail = render(
                &request,
                shop,
                "privacy-desk@privacy-desk.example",
                NOW,
                "ab12\r\nX: y",
            );
            let (headers, _) = parse(&mail.raw);
            for (name, value) in &headers {
                assert!(
                    HEADER_NAMES.contains(&name.as_str()),
                    "{what}: unexpected header {name}"
                );
                assert!(
                    !value.contains("victim") && !value.contains("Evil"),
                    "{what}: {name}: {value}"
                );
            }
            // Every body line is short, so no line can be mistaken for anything else.
            let body = mail.raw.split_once("\r\n\r\n").unwrap().1;
            assert!(
                body.split("\r\n")
                    .all(|line| line.len() <= 76 && !line.contains('\r') && !line.contains('\n')),
                "{what}"
            );
        }
        // An address with a line break never becomes Reply-To.
        let request = stored(shop, |r| {
            r.email = "anna@example.nl\r\nBcc: victim@example.com".into()
        });
        assert_eq!(reply_to(&request), None);
    }
}
