//! Drafted replies the owner edits before sending: one per right, naming what
//! was found on the shop's platform and in Privacy Desk's own records. Passages in
//! [square brackets] are for the owner to fill in or delete.

use protocol::{Lang, Right};

use crate::{Found, RecordKind, SourceKind};

/// A reply to a request of `right`, in `lang`, saying what `found` holds.
pub fn draft_reply(right: Right, found: &Found, lang: Lang) -> String {
    let mut reply = String::new();
    reply.push_str(match lang {
        Lang::En => "Dear customer,",
        Lang::Nl => "Beste klant,",
    });
    reply.push_str("\n\n");
    reply.push_str(opening(right, lang));
    reply.push_str("\n\n");
    reply.push_str(&summary(found, lang));
    reply.push_str("\n\n");
    reply.push_str(action(right, lang));
    if right == Right::Erasure {
        let shopify_customer = found.count(SourceKind::Shopify, RecordKind::Customer) > 0;
        let orders = found.count(SourceKind::Shopify, RecordKind::Order)
            + found.count(SourceKind::OrderExport, RecordKind::ExportRow);
        if orders > 0 {
            reply.push_str("\n\n");
            reply.push_str(match lang {
                Lang::En => "We must keep invoices and the order details on them for seven years, because Dutch tax law requires it (article 52 of the Algemene wet inzake rijksbelastingen). We keep them only for that purpose and delete them when that period ends.",
                Lang::Nl => "Facturen en de bestelgegevens daarop moeten we zeven jaar bewaren vanwege de fiscale bewaarplicht (artikel 52 van de Algemene wet inzake rijksbelastingen). We bewaren ze alleen daarvoor en verwijderen ze na afloop van die termijn.",
            });
        }
        if shopify_customer {
            reply.push_str("\n\n");
            reply.push_str(match lang {
                Lang::En => "Our shop platform, Shopify, carries out the erasure of your customer profile itself. It holds the erasure while you have an order from the last 180 days, and completes it after that.",
                Lang::Nl => "Ons winkelplatform, Shopify, voert de verwijdering van uw klantprofiel zelf uit. Zolang u een bestelling van de afgelopen 180 dagen hebt, wacht Shopify daarmee; daarna wordt de verwijdering voltooid.",
            });
        }
    }
    reply.push_str("\n\n");
    reply.push_str(match lang {
        Lang::En => "If you are not satisfied with this answer, please tell us. You also have the right to lodge a complaint with the Autoriteit Persoonsgegevens.\n\nKind regards,\n[name]",
        Lang::Nl => "Bent u niet tevreden met dit antwoord? Laat het ons weten. U hebt ook het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens.\n\nMet vriendelijke groet,\n[naam]",
    });
    reply
}

fn opening(right: Right, lang: Lang) -> &'static str {
    match (right, lang) {
        (Right::Access, Lang::En) => "You asked which personal data we hold about you.",
        (Right::Access, Lang::Nl) => "U vroeg welke persoonsgegevens we van u hebben.",
        (Right::Portability, Lang::En) => "You asked for a machine-readable copy of your personal data.",
        (Right::Portability, Lang::Nl) => "U vroeg om een machineleesbare kopie van uw persoonsgegevens.",
        (Right::Rectification, Lang::En) => "You asked us to correct your personal data.",
        (Right::Rectification, Lang::Nl) => "U vroeg ons uw persoonsgegevens te verbeteren.",
        (Right::Erasure, Lang::En) => "You asked us to delete your personal data.",
        (Right::Erasure, Lang::Nl) => "U vroeg ons uw persoonsgegevens te verwijderen.",
        (Right::Restriction, Lang::En) => "You asked us to restrict the use of your personal data.",
        (Right::Restriction, Lang::Nl) => "U vroeg ons het gebruik van uw persoonsgegevens te beperken.",
        (Right::Objection, Lang::En) => "You objected to our use of your personal data based on our legitimate interests.",
        (Right::Objection, Lang::Nl) => "U maakte bezwaar tegen ons gebruik van uw persoonsgegevens op grond van ons gerechtvaardigd belang.",
        (Right::WithdrawConsent, Lang::En) => "You withdrew the consent you gave us.",
        (Right::WithdrawConsent, Lang::Nl) => "U trok de toestemming in die u ons gaf.",
    }
}

fn action(right: Right, lang: Lang) -> &'static str {
    match (right, lang) {
        (Right::Access | Right::Portability, Lang::En) => "You can download an overview and machine-readable copies (JSON and CSV) through the link in this e-mail. The link works for a limited time, and asks for your e-mail address again.",
        (Right::Access | Right::Portability, Lang::Nl) => "Via de link in deze e-mail downloadt u een overzicht en machineleesbare kopieën (JSON en CSV). De link werkt een beperkte tijd en vraagt opnieuw om uw e-mailadres.",
        (Right::Rectification, Lang::En) => "We have corrected the following: [what was wrong, and what it is now]. Where we passed the incorrect data on to others, such as a carrier, we have told them as well.",
        (Right::Rectification, Lang::Nl) => "We hebben het volgende verbeterd: [wat er niet klopte, en wat het nu is]. Waar we de onjuiste gegevens aan anderen doorgaven, zoals een vervoerder, hebben we hen ook ingelicht.",
        (Right::Erasure, Lang::En) => "We have deleted: [your customer profile, addresses, messages].",
        (Right::Erasure, Lang::Nl) => "We hebben verwijderd: [uw klantprofiel, adressen, berichten].",
        (Right::Restriction, Lang::En) => "From now on we only store this data and use it for nothing else, [until we have checked the correction you asked for]. We will tell you before we lift the restriction.",
        (Right::Restriction, Lang::Nl) => "Vanaf nu bewaren we deze gegevens alleen nog en gebruiken we ze nergens anders voor, [tot we de gevraagde correctie hebben gecontroleerd]. We laten het u weten voordat we de beperking opheffen.",
        (Right::Objection, Lang::En) => "We have stopped using your data for [purpose]. [Or, if we must continue: we have compelling legitimate grounds that override your interests, namely: ...]",
        (Right::Objection, Lang::Nl) => "We gebruiken uw gegevens niet langer voor [doel]. [Of, als we moeten doorgaan: we hebben dwingende gerechtvaardigde gronden die zwaarder wegen dan uw belangen, namelijk: ...]",
        (Right::WithdrawConsent, Lang::En) => "We have recorded this and stopped what we did on the basis of your consent: [what]. What we did before your withdrawal stays lawful.",
        (Right::WithdrawConsent, Lang::Nl) => "We hebben dit vastgelegd en gestopt met wat we op basis van uw toestemming deden: [wat]. Wat we vóór de intrekking deden, blijft rechtmatig.",
    }
}

/// What was found, by source, in words.
fn summary(found: &Found, lang: Lang) -> String {
    let count = |source, kind| found.count(source, kind);
    let mut lines: Vec<String> = Vec::new();
    let shopify: Vec<String> = [
        (
            count(SourceKind::Shopify, RecordKind::Customer),
            Noun::Profile,
        ),
        (
            count(SourceKind::Shopify, RecordKind::Address),
            Noun::Address,
        ),
        (count(SourceKind::Shopify, RecordKind::Order), Noun::Order),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, noun)| noun.counted(n, lang))
    .collect();
    if !shopify.is_empty() {
        lines.push(match lang {
            Lang::En => format!("- in our Shopify store: {}", list(&shopify, lang)),
            Lang::Nl => format!("- in onze Shopify-winkel: {}", list(&shopify, lang)),
        });
    }
    let rows = count(SourceKind::OrderExport, RecordKind::ExportRow);
    if rows > 0 {
        lines.push(match lang {
            Lang::En => format!(
                "- in the order export of our shop platform: {}",
                Noun::Row.counted(rows, lang)
            ),
            Lang::Nl => format!(
                "- in de bestelexport van ons winkelplatform: {}",
                Noun::Row.counted(rows, lang)
            ),
        });
    }
    let own: Vec<String> = [
        (
            count(SourceKind::PrivacyDesk, RecordKind::Request),
            Noun::Request,
        ),
        (
            count(SourceKind::PrivacyDesk, RecordKind::Consent),
            Noun::Consent,
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, noun)| noun.counted(n, lang))
    .collect();
    if !own.is_empty() {
        lines.push(match lang {
            Lang::En => format!(
                "- in our records of privacy requests and cookie choices: {}",
                list(&own, lang)
            ),
            Lang::Nl => format!(
                "- in ons overzicht van privacyverzoeken en cookiekeuzes: {}",
                list(&own, lang)
            ),
        });
    }
    if lines.is_empty() {
        return match lang {
            Lang::En => "Under your e-mail address we found no personal data about you on our shop platform or in our other records.".into(),
            Lang::Nl => "Onder uw e-mailadres hebben we op ons winkelplatform en in onze andere administratie geen persoonsgegevens van u gevonden.".into(),
        };
    }
    let intro = match lang {
        Lang::En => "This is what we found under your e-mail address:",
        Lang::Nl => "Dit hebben we onder uw e-mailadres gevonden:",
    };
    let mut text = format!("{intro}\n{}", lines.join("\n"));
    if found.truncated {
        text.push_str(match lang {
            Lang::En => "\n[Not everything could be fetched at once; check the platform for more.]",
            Lang::Nl => "\n[Niet alles kon in één keer worden opgehaald; kijk op het platform of er meer is.]",
        });
    }
    text
}

#[derive(Clone, Copy)]
enum Noun {
    Profile,
    Address,
    Order,
    Row,
    Request,
    Consent,
}

impl Noun {
    fn counted(self, n: usize, lang: Lang) -> String {
        let (one, many) = match (self, lang) {
            (Noun::Profile, Lang::En) => ("your customer profile", "customer profiles"),
            (Noun::Profile, Lang::Nl) => ("uw klantprofiel", "klantprofielen"),
            (Noun::Address, Lang::En) => ("address", "addresses"),
            (Noun::Address, Lang::Nl) => ("adres", "adressen"),
            (Noun::Order, Lang::En) => ("order", "orders"),
            (Noun::Order, Lang::Nl) => ("bestelling", "bestellingen"),
            (Noun::Row, Lang::En) => ("order line", "order lines"),
            (Noun::Row, Lang::Nl) => ("bestelregel", "bestelregels"),
            (Noun::Request, Lang::En) => ("privacy request", "privacy requests"),
            (Noun::Request, Lang::Nl) => ("privacyverzoek", "privacyverzoeken"),
            (Noun::Consent, Lang::En) => ("cookie choice", "cookie choices"),
            (Noun::Consent, Lang::Nl) => ("cookiekeuze", "cookiekeuzes"),
        };
        match (self, n) {
            (Noun::Profile, 1) => one.to_owned(),
            (_, 1) => format!("1 {one}"),
            _ => format!("{n} {many}"),
        }
    }
}

/// "a, b and c" / "a, b en c".
fn list(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::En => " and ",
        Lang::Nl => " en ",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}
