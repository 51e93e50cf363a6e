//! The package as a page the requester reads, in their language (maud: every value
//! is escaped; there is no `PreEscaped` here). No inline script or style, so it
//! works under the Worker's `default-src 'none'; style-src 'self'`.

use maud::{html, Markup, DOCTYPE};

use super::texts::{text, Text};
use super::Package;
use crate::DataCategory;

/// Where the page links to; the Worker knows the URLs (they carry the download
/// token), the package does not.
#[derive(Clone, Default)]
pub struct PageLinks {
    pub stylesheet: Option<String>,
    pub json: Option<String>,
    pub csv: Option<String>,
    /// Downloads as POST forms instead of links: when the download needs what the
    /// requester typed (their address) and that must not go into a URL.
    pub download_form: Option<DownloadForm>,
}

/// A form per machine-readable format, POSTed to `action` with the hidden `fields`
/// and `format` = `json` or `csv`.
#[derive(Clone, Default)]
pub struct DownloadForm {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

impl Package {
    /// The whole page.
    pub fn to_html(&self, links: &PageLinks) -> String {
        let lang = self.language;
        let t = |key: Text| text(key, lang);
        let categories = |list: &[DataCategory]| {
            list.iter()
                .map(|c| c.label(lang))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let page: Markup = html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="robots" content="noindex";
                    title { (t(Text::Title)) " – " (self.shop) }
                    @if let Some(href) = &links.stylesheet {
                        link rel="stylesheet" href=(href);
                    }
                }
                body {
                    main {
                        h1 { (t(Text::Title)) " – " (self.shop) }
                        p {
                            (t(Text::Reference)) ": " (self.reference) ". "
                            (t(Text::Prepared)) " " (self.prepared_long()) "."
                        }
                        section aria-labelledby="confirmation" {
                            h2 id="confirmation" { (t(Text::ConfirmationHeading)) }
                            p { (self.confirmation.text) }
                        }
                        @if !self.data.is_empty() {
                            section aria-labelledby="data" {
                                h2 id="data" { (t(Text::DataHeading)) }
                                p { (t(Text::DataIntro)) }
                                @if !self.complete {
                                    p role="note" { strong { (t(Text::Truncated)) } }
                                }
                                @for group in &self.data {
                                    h3 id=(format!("category-{}", group.category.code())) { (group.label) }
                                    table {
                                        (head(&[t(Text::ColumnRecord), t(Text::ColumnField), t(Text::ColumnValue)]))
                                        tbody {
                                            @for item in &group.items {
                                                tr { td { (item.record) } th scope="row" { (item.field) } td { (item.value) } }
                                            }
                                        }
                                    }
                                    @if let Some(period) = &group.retention {
                                        p { (t(Text::KeptFor)) ": " (period) }
                                    }
                                }
                            }
                        }
                        section aria-labelledby="purposes" {
                            h2 id="purposes" { (t(Text::PurposesHeading)) }
                            table {
                                (head(&[t(Text::ColumnPurpose), t(Text::ColumnLegalBasis), t(Text::ColumnCategories)]))
                                tbody {
                                    @for purpose in &self.purposes {
                                        tr {
                                            th scope="row" { (purpose.description) }
                                            td {
                                                (purpose.legal_basis_text)
                                                @if let Some(interest) = &purpose.legitimate_interest {
                                                    br; (t(Text::LegitimateInterest)) ": " (interest)
                                                }
                                            }
                                            td { (categories(&purpose.categories)) }
                                        }
                                    }
                                }
                            }
                        }
                        section aria-labelledby="recipients" {
                            h2 id="recipients" { (t(Text::RecipientsHeading)) }
                            p { (t(Text::RecipientsIntro)) }
                            table {
                                (head(&[
                                    t(Text::ColumnRecipient),
                                    t(Text::ColumnPurpose),
                                    t(Text::ColumnCategories),
                                    t(Text::ColumnCountry),
                                    t(Text::ColumnSafeguard),
                                ]))
                                tbody {
                                    @for recipient in &self.recipients {
                                        tr {
                                            th scope="row" { (recipient.name) br; small { (recipient.role) } }
                                            td { (recipient.purpose) }
                                            td { (categories(&recipient.categories)) }
                                            td { (recipient.country) }
                                            td {
                                                @match &recipient.safeguard_text {
                                                    Some(safeguard) => (safeguard),
                                                    None => (t(Text::InsideEea)),
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        section aria-labelledby="retention" {
                            h2 id="retention" { (t(Text::RetentionHeading)) }
                            dl {
                                @for retention in &self.retention {
                                    dt { (retention.label) }
                                    dd { (retention.period) }
                                }
                            }
                        }
                        section aria-labelledby="sources" {
                            h2 id="sources" { (t(Text::SourcesHeading)) }
                            p { (t(Text::SourcesFromYou)) }
                            @if !self.sources.is_empty() {
                                ul {
                                    @for source in &self.sources {
                                        li { (categories(&source.categories)) ": " (source.source) }
                                    }
                                }
                            }
                        }
                        section aria-labelledby="automated" {
                            h2 id="automated" { (t(Text::AutomatedHeading)) }
                            p { (self.automated_decisions.text) }
                        }
                        section aria-labelledby="rights" {
                            h2 id="rights" { (t(Text::RightsHeading)) }
                            ul {
                                @for right in &self.rights {
                                    li { (right.text) }
                                }
                            }
                        }
                        section aria-labelledby="complaint" {
                            h2 id="complaint" { (t(Text::ComplaintHeading)) }
                            p {
                                (self.complaint.text) " "
                                a href=(self.complaint.url) { (self.complaint.authority) }
                            }
                            p {
                                (t(Text::ContactUs)) " "
                                a href=(format!("mailto:{}", self.privacy_contact)) { (self.privacy_contact) }
                            }
                        }
                        @if let Some(form) = &links.download_form {
                            section aria-labelledby="downloads" {
                                h2 id="downloads" { (t(Text::DownloadsHeading)) }
                                p { (t(Text::DownloadsIntro)) }
                                @for (format, label) in [("json", "JSON"), ("csv", "CSV")] {
                                    form method="post" action=(form.action) {
                                        @for (name, value) in &form.fields {
                                            input type="hidden" name=(name) value=(value);
                                        }
                                        input type="hidden" name="format" value=(format);
                                        button type="submit" { (t(Text::Download)) " " (label) }
                                    }
                                }
                            }
                        }
                        @if links.json.is_some() || links.csv.is_some() {
                            section aria-labelledby="downloads" {
                                h2 id="downloads" { (t(Text::DownloadsHeading)) }
                                p { (t(Text::DownloadsIntro)) }
                                ul {
                                    @if let Some(href) = &links.json {
                                        li { a href=(href) download { "JSON" } }
                                    }
                                    @if let Some(href) = &links.csv {
                                        li { a href=(href) download { "CSV" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        page.into_string()
    }
}

/// A table's header row.
fn head(columns: &[&str]) -> Markup {
    html! {
        thead { tr { @for column in columns { th scope="col" { (column) } } } }
    }
}
