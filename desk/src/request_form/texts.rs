//! Every word of the rights-request form's markup, per language: an exhaustive
//! `match` per language, so a missing Dutch string does not compile. Validation
//! messages are `protocol::validate`'s (shared with the widget, which shows them);
//! the right's labels are `protocol::Right::label`.

use protocol::Lang;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Text {
    Intro,
    RightLegend,
    NameLabel,
    NameHint,
    EmailLabel,
    EmailHint,
    OrderNumberLabel,
    OrderNumberHint,
    DetailsLabel,
    DetailsHint,
    /// Appended to a label whose field may stay empty.
    Optional,
    ConfirmLabel,
    Submit,
    Sending,
    SummaryTitle,
    NetworkError,
    TryAgain,
    /// A refusal from the edge without a usable message.
    Rejected,
    /// A server problem without a usable message.
    ServerError,
    SuccessTitle,
    ReferenceBefore,
    ReferenceAfter,
    DueBefore,
    DueAfter,
    NextTitle,
    NextConfirmation,
    NextIdentity,
    NextKnownAddress,
    NextExtension,
    /// Link to the requester's status page.
    StatusLink,
    /// Label of the honeypot, hidden from people; if a browser without constructed
    /// stylesheets shows it anyway, it says what to do.
    HoneypotLabel,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => en(self),
            Lang::Nl => nl(self),
        }
    }
}

fn en(text: Text) -> &'static str {
    match text {
        Text::Intro => "Use this form to exercise your privacy rights. Fields are required unless marked optional.",
        Text::RightLegend => "Which right do you want to exercise?",
        Text::NameLabel => "Your name",
        Text::NameHint => "The name you use for your orders or account.",
        Text::EmailLabel => "Your e-mail address",
        Text::EmailHint => "The address you use for your orders or account. We only reply to the address we know.",
        Text::OrderNumberLabel => "Order number",
        Text::OrderNumberHint => "If you have one, it helps us find your data faster.",
        Text::DetailsLabel => "Details",
        Text::DetailsHint => {
            "Required for rectification and objection: tell us what should be corrected, or what you object to and why."
        }
        Text::Optional => " (optional)",
        Text::ConfirmLabel => "I confirm that the information I have given is true.",
        Text::Submit => "Send request",
        Text::Sending => "Sending your request…",
        Text::SummaryTitle => "There is a problem",
        Text::NetworkError => {
            "We could not reach our server, so your request has not been sent yet. What you typed is kept. Check your internet connection and try again."
        }
        Text::TryAgain => "Try again",
        Text::Rejected => "Your request could not be accepted. Please check the form and try again.",
        Text::ServerError => "Something went wrong on our side. What you typed is kept; please try again.",
        Text::SuccessTitle => "Your request has been received",
        Text::ReferenceBefore => "Your reference is ",
        Text::ReferenceAfter => ". Please keep it and quote it if you contact us about this request.",
        Text::DueBefore => "We will answer by ",
        Text::DueAfter => " at the latest.",
        Text::NextTitle => "What happens next",
        Text::NextConfirmation => "You will get a confirmation at the e-mail address you gave.",
        Text::NextIdentity => "We may ask you to confirm that you are who you say you are before we act on your request.",
        Text::NextKnownAddress => {
            "We only send your data to the e-mail address we know from your orders or account, never to another address."
        }
        Text::NextExtension => {
            "If your request is complex and we need more time, we will tell you before that date, with the reason."
        }
        Text::StatusLink => "Check the status of your request (bookmark this link)",
        Text::HoneypotLabel => "Leave this field empty",
    }
}

fn nl(text: Text) -> &'static str {
    match text {
        Text::Intro => {
            "Met dit formulier oefent u uw privacyrechten uit. Alle velden zijn verplicht, tenzij er optioneel bij staat."
        }
        Text::RightLegend => "Welk recht wilt u uitoefenen?",
        Text::NameLabel => "Uw naam",
        Text::NameHint => "De naam die u voor uw bestellingen of account gebruikt.",
        Text::EmailLabel => "Uw e-mailadres",
        Text::EmailHint => {
            "Het adres dat u voor uw bestellingen of account gebruikt. Wij antwoorden alleen naar het adres dat wij kennen."
        }
        Text::OrderNumberLabel => "Ordernummer",
        Text::OrderNumberHint => "Als u er een heeft, vinden wij uw gegevens sneller.",
        Text::DetailsLabel => "Toelichting",
        Text::DetailsHint => {
            "Verplicht bij correctie en bezwaar: vertel ons wat er gecorrigeerd moet worden, of waartegen u bezwaar maakt en waarom."
        }
        Text::Optional => " (optioneel)",
        Text::ConfirmLabel => "Ik bevestig dat de gegevens die ik heb ingevuld kloppen.",
        Text::Submit => "Verzoek versturen",
        Text::Sending => "Uw verzoek wordt verstuurd…",
        Text::SummaryTitle => "Er is een probleem",
        Text::NetworkError => {
            "Wij konden onze server niet bereiken, dus uw verzoek is nog niet verstuurd. Wat u heeft ingevuld is bewaard. Controleer uw internetverbinding en probeer het opnieuw."
        }
        Text::TryAgain => "Opnieuw proberen",
        Text::Rejected => "Uw verzoek kon niet worden aangenomen. Controleer het formulier en probeer het opnieuw.",
        Text::ServerError => "Er ging bij ons iets mis. Wat u heeft ingevuld is bewaard; probeer het opnieuw.",
        Text::SuccessTitle => "Uw verzoek is ontvangen",
        Text::ReferenceBefore => "Uw referentienummer is ",
        Text::ReferenceAfter => ". Bewaar het en vermeld het als u ons over dit verzoek benadert.",
        Text::DueBefore => "Wij antwoorden uiterlijk op ",
        Text::DueAfter => ".",
        Text::NextTitle => "Wat gebeurt er nu?",
        Text::NextConfirmation => "U ontvangt een bevestiging op het e-mailadres dat u heeft opgegeven.",
        Text::NextIdentity => "Wij kunnen u vragen te bevestigen wie u bent voordat wij uw verzoek uitvoeren.",
        Text::NextKnownAddress => {
            "Wij sturen uw gegevens alleen naar het e-mailadres dat bij ons bekend is van uw bestellingen of account, nooit naar een ander adres."
        }
        Text::NextExtension => {
            "Is uw verzoek ingewikkeld en hebben wij meer tijd nodig, dan laten wij u dat vóór die datum weten, met de reden."
        }
        Text::StatusLink => "Bekijk de status van uw verzoek (bewaar deze link)",
        Text::HoneypotLabel => "Laat dit veld leeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Text; 31] = [
        Text::Intro,
        Text::RightLegend,
        Text::NameLabel,
        Text::NameHint,
        Text::EmailLabel,
        Text::EmailHint,
        Text::OrderNumberLabel,
        Text::OrderNumberHint,
        Text::DetailsLabel,
        Text::DetailsHint,
        Text::Optional,
        Text::ConfirmLabel,
        Text::Submit,
        Text::Sending,
        Text::SummaryTitle,
        Text::NetworkError,
        Text::TryAgain,
        Text::Rejected,
        Text::ServerError,
        Text::SuccessTitle,
        Text::ReferenceBefore,
        Text::ReferenceAfter,
        Text::DueBefore,
        Text::DueAfter,
        Text::NextTitle,
        Text::NextConfirmation,
        Text::NextIdentity,
        Text::NextKnownAddress,
        Text::NextExtension,
        Text::StatusLink,
        Text::HoneypotLabel,
    ];

    #[test]
    fn every_text_is_translated() {
        for text in ALL {
            assert!(!text.get(Lang::En).is_empty(), "{text:?}");
            assert_ne!(text.get(Lang::En), text.get(Lang::Nl), "{text:?}");
        }
    }
}
