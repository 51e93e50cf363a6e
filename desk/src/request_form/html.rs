//! The form's markup (maud, escaped by default). Its shape is the widget's
//! contract (`widget/src/form/mod.rs` finds its parts by these classes, ids and
//! attributes): every id starts with [`ID_PREFIX`], which the module renumbers for
//! a second form on one page; headings carry `data-below` (levels below the
//! page's heading before the form) and are `h2`/`h3` here, which the module
//! renumbers to fit the page's outline; the form's `data-*` messages are what the
//! module shows while sending or when the edge cannot be reached, its `data-css`
//! the styles the module adopts.

use maud::{html, Markup};
use protocol::{Field, Lang, Right};

use super::texts::Text;

/// The first form's id prefix; the module makes it `pd-rf2-` for a second form.
pub const ID_PREFIX: &str = "pd-rf1-";

/// The form's styles, adopted by the module as a constructed sheet (which a
/// CSP's `style-src` does not restrict): zero-specificity (`:where`), so the
/// shop's own rules win.
pub const STYLES: &str = "\
:where(.pd-rf [hidden],.pd-rf[hidden],.pd-rf-success[hidden],.pd-rf-success [hidden]){display:none!important}\
:where(.pd-rf-field){margin:0 0 1.25em;padding:0;border:0;min-width:0}\
:where(.pd-rf-field[data-invalid]){border-left:4px solid #b00020;padding-left:.75em}\
:where(.pd-rf-label){display:block;font-weight:bold;margin:0 0 .25em;padding:0}\
:where(.pd-rf-hint){margin:0 0 .35em}\
:where(.pd-rf-error){margin:0 0 .35em;color:#b00020;font-weight:bold}\
:where(.pd-rf-option,.pd-rf-check){display:flex;gap:.5em;align-items:baseline;margin:.3em 0}\
:where(.pd-rf-input){box-sizing:border-box;width:100%;max-width:32em;font:inherit;padding:.4em}\
:where(.pd-rf-summary){border:4px solid #b00020;padding:.75em 1em;margin:0 0 1.5em}\
:where(.pd-rf-summary a){color:#b00020;font-weight:bold}\
:where(.pd-rf-retry){border-left:4px solid #b00020;padding:.25em .75em;margin:1em 0}\
:where(.pd-rf-success){border:4px solid #00703c;padding:.75em 1em}\
:where(.pd-rf-summary:focus,.pd-rf-success:focus){outline:3px solid #ffbf47;outline-offset:2px}\
.pd-rf-hp{position:absolute!important;left:-9999px!important;width:1px;height:1px;overflow:hidden}";

/// A text field: its wire name, label, hint, whether it may stay empty (an
/// "(optional)" marker), and its control.
struct TextField {
    field: Field,
    label: Text,
    hint: Text,
    optional: bool,
    control: Control,
}

/// `<input>` with `type` and `autocomplete`, or a `<textarea>`.
enum Control {
    Input(&'static str, &'static str),
    TextArea,
}

const TEXT_FIELDS: [TextField; 4] = [
    TextField {
        field: Field::Name,
        label: Text::NameLabel,
        hint: Text::NameHint,
        optional: false,
        control: Control::Input("text", "name"),
    },
    TextField {
        field: Field::Email,
        label: Text::EmailLabel,
        hint: Text::EmailHint,
        optional: false,
        control: Control::Input("email", "email"),
    },
    TextField {
        field: Field::OrderNumber,
        label: Text::OrderNumberLabel,
        hint: Text::OrderNumberHint,
        optional: true,
        control: Control::Input("text", "off"),
    },
    TextField {
        field: Field::Details,
        label: Text::DetailsLabel,
        hint: Text::DetailsHint,
        optional: true,
        control: Control::TextArea,
    },
];

fn id(suffix: &str) -> String {
    [ID_PREFIX, suffix].concat()
}

/// The form and its (hidden) acknowledgement, in `lang`.
pub fn form(lang: Lang) -> Markup {
    let t = |text: Text| text.get(lang);
    let right = Field::Right.wire_name();
    let confirm = Field::ConfirmTrue.wire_name();
    html! {
        form.pd-rf novalidate lang=(lang.code())
            data-sending=(t(Text::Sending)) data-network-error=(t(Text::NetworkError))
            data-rejected=(t(Text::Rejected)) data-server-error=(t(Text::ServerError))
            data-css=(STYLES) {
            p.pd-rf-intro { (t(Text::Intro)) }
            // Filled and focused on a failed submit.
            div.pd-rf-summary role="alert" tabindex="-1"
                aria-labelledby=(id("summary-title")) hidden {
                h2.pd-rf-summary-title id=(id("summary-title")) data-below="1" {
                    (t(Text::SummaryTitle))
                }
                ul.pd-rf-summary-list {}
            }
            fieldset.pd-rf-field.pd-rf-group {
                legend.pd-rf-label { (t(Text::RightLegend)) }
                p.pd-rf-error id=(id(&[right, "-error"].concat())) hidden {}
                @for choice in Right::ALL {
                    @let radio = id(&[right, "-", choice.code()].concat());
                    div.pd-rf-option {
                        input.pd-rf-radio type="radio" id=(radio) name=(id(right))
                            value=(choice.code()) required data-field=(right);
                        label.pd-rf-option-label for=(radio) { (choice.label(lang)) }
                    }
                }
            }
            @for field in &TEXT_FIELDS {
                (text_field(field, lang))
            }
            div.pd-rf-field {
                p.pd-rf-error id=(id(&[confirm, "-error"].concat())) hidden {}
                div.pd-rf-field.pd-rf-check {
                    input.pd-rf-checkbox type="checkbox" id=(id(confirm)) required
                        data-field=(confirm);
                    label.pd-rf-check-label for=(id(confirm)) { (t(Text::ConfirmLabel)) }
                }
            }
            // The honeypot: off-screen, hidden from assistive technology and the
            // keyboard; bots fill it.
            div.pd-rf-hp aria-hidden="true" {
                label for=(id("website")) { (t(Text::HoneypotLabel)) }
                input type="text" id=(id("website")) name="website" tabindex="-1" autocomplete="off";
            }
            button.pd-rf-submit type="submit" { (t(Text::Submit)) }
            p.pd-rf-status role="status" {}
            div.pd-rf-retry role="alert" hidden {
                p.pd-rf-retry-message {}
                button.pd-rf-retry-button type="button" { (t(Text::TryAgain)) }
            }
        }
        // The module fills in the reference, the date and the status link's address.
        div.pd-rf-success tabindex="-1" lang=(lang.code()) hidden {
            h2.pd-rf-success-title data-below="1" { (t(Text::SuccessTitle)) }
            p.pd-rf-reference {
                (t(Text::ReferenceBefore)) strong {} (t(Text::ReferenceAfter))
            }
            p.pd-rf-due { (t(Text::DueBefore)) strong {} (t(Text::DueAfter)) }
            h3.pd-rf-next-title data-below="2" { (t(Text::NextTitle)) }
            ul.pd-rf-next {
                @for step in [Text::NextConfirmation, Text::NextIdentity, Text::NextKnownAddress, Text::NextExtension] {
                    li { (t(step)) }
                }
            }
            p.pd-rf-status-link { a { (t(Text::StatusLink)) } }
        }
    }
}

/// Label (with "(optional)" where the field may stay empty), hint, error and
/// control of one text field.
fn text_field(field: &TextField, lang: Lang) -> Markup {
    let name = field.field.wire_name();
    let (control_id, hint_id) = (id(name), id(&[name, "-hint"].concat()));
    html! {
        div.pd-rf-field {
            label.pd-rf-label for=(control_id) {
                (field.label.get(lang))
                @if field.optional {
                    span.pd-rf-optional { (Text::Optional.get(lang)) }
                }
            }
            p.pd-rf-hint id=(hint_id) { (field.hint.get(lang)) }
            p.pd-rf-error id=(id(&[name, "-error"].concat())) hidden {}
            @match field.control {
                Control::Input(kind, autocomplete) => {
                    input.pd-rf-input type=(kind) autocomplete=(autocomplete) id=(control_id)
                        name=(name) data-field=(name) aria-describedby=(hint_id)
                        required[!field.optional] spellcheck=[(field.field == Field::Email).then_some("false")];
                }
                Control::TextArea => {
                    textarea.pd-rf-input rows="5" id=(control_id) name=(name) data-field=(name)
                        aria-describedby=(hint_id) required[!field.optional] {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_words_in_a_dutch_form() {
        let html = form(Lang::Nl).into_string();
        assert!(
            html.contains(r#"<form class="pd-rf" novalidate lang="nl""#),
            "{html}"
        );
        assert!(html.contains(">Uw naam</label>"), "{html}");
        assert!(html.contains("Correctie van mijn gegevens"), "{html}");
        assert!(!html.contains("Your name"), "{html}");
    }
}
