//! An order export the owner uploads (JouwWeb, WooCommerce, Shopify, ...): only the
//! rows whose e-mail address is the requester's are kept, each column labelled with
//! a data category where its header is known. The upload is untrusted: size-capped,
//! UTF-8 only, and every way it can be wrong is a typed error with an EN/NL message.

use protocol::Lang;

use crate::{DataCategory, Field, Found, Record, RecordKind, SourceKind};

/// Largest upload read, in bytes: years of orders of a small shop fit easily.
pub const MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;

/// Header names (lower case, letters and digits only) of columns that hold the
/// customer's e-mail address, in the exports of the platforms our shops use.
const EMAIL_HEADERS: [&str; 16] = [
    "email",
    "emailaddress",
    "emailadres",
    "mail",
    "mailadres",
    "customeremail",
    "billingemail",
    "shippingemail",
    "klantemail",
    "klantemailadres",
    "emailklant",
    "emailadresklant",
    "factuuremail",
    "factuuremailadres",
    "emailfactuur",
    "kopersemail",
];

/// One column of the export and the category of what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub category: DataCategory,
    /// Whether rows are matched on this column.
    pub email: bool,
}

/// What an export held about the requester.
#[derive(Clone, PartialEq, Eq)]
pub struct OrderExport {
    pub columns: Vec<Column>,
    /// Rows read (without the header).
    pub rows_read: usize,
    /// The requester's rows, one record each.
    pub found: Found,
}

/// Why an upload could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the file has {bytes} bytes; the limit is {limit}")]
    TooLarge { bytes: usize, limit: usize },
    #[error("the file is empty")]
    Empty,
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    #[error("no e-mail column among: {}", headers.join(", "))]
    NoEmailColumn { headers: Vec<String> },
    #[error("line {line} has {found} fields; the header has {expected}")]
    UnequalRow {
        line: u64,
        found: u64,
        expected: u64,
    },
    #[error("line {line} cannot be read as CSV")]
    Malformed { line: u64 },
}

impl CsvError {
    /// A stable code for logs and the owner page.
    pub fn code(&self) -> &'static str {
        match self {
            CsvError::TooLarge { .. } => "too_large",
            CsvError::Empty => "empty",
            CsvError::NotUtf8 => "not_utf8",
            CsvError::NoEmailColumn { .. } => "no_email_column",
            CsvError::UnequalRow { .. } => "unequal_row",
            CsvError::Malformed { .. } => "malformed",
        }
    }

    /// What the owner reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CsvError::TooLarge { limit, .. }, Lang::En) => format!("The file is larger than {} MB. Export only the period of this customer's orders, or only the columns you need.", limit / (1024 * 1024)),
            (CsvError::TooLarge { limit, .. }, Lang::Nl) => format!("Het bestand is groter dan {} MB. Exporteer alleen de periode van de bestellingen van deze klant, of alleen de kolommen die je nodig hebt.", limit / (1024 * 1024)),
            (CsvError::Empty, Lang::En) => "The file is empty. Export the orders again and upload the CSV file.".into(),
            (CsvError::Empty, Lang::Nl) => "Het bestand is leeg. Exporteer de bestellingen opnieuw en upload het CSV-bestand.".into(),
            (CsvError::NotUtf8, Lang::En) => "The file is not a UTF-8 CSV file. Upload the export as the platform made it, or save it in Excel as \"CSV UTF-8\".".into(),
            (CsvError::NotUtf8, Lang::Nl) => "Het bestand is geen CSV-bestand in UTF-8. Upload de export zoals het platform hem maakte, of sla hem in Excel op als \"CSV UTF-8\".".into(),
            (CsvError::NoEmailColumn { headers }, Lang::En) => format!("No column with e-mail addresses was found, so the customer's rows cannot be picked out. The columns are: {}. Export the orders with the customer's e-mail address.", headers.join(", ")),
            (CsvError::NoEmailColumn { headers }, Lang::Nl) => format!("Er is geen kolom met e-mailadressen gevonden, dus de regels van de klant zijn niet te herkennen. De kolommen zijn: {}. Exporteer de bestellingen met het e-mailadres van de klant.", headers.join(", ")),
            (CsvError::UnequalRow { line, found, expected }, Lang::En) => format!("Line {line} has {found} fields where the header has {expected}. The file may have been cut off or edited; export it again."),
            (CsvError::UnequalRow { line, found, expected }, Lang::Nl) => format!("Regel {line} heeft {found} velden, de kopregel {expected}. Het bestand is misschien afgebroken of bewerkt; exporteer het opnieuw."),
            (CsvError::Malformed { line }, Lang::En) => format!("Line {line} cannot be read as CSV. Export the orders again and upload the file unchanged."),
            (CsvError::Malformed { line }, Lang::Nl) => format!("Regel {line} is geen geldige CSV. Exporteer de bestellingen opnieuw en upload het bestand ongewijzigd."),
        }
    }
}

/// The rows of `upload` whose e-mail address is `email` (trimmed, any case).
pub fn rows_for(upload: &[u8], email: &str) -> Result<OrderExport, CsvError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(CsvError::TooLarge {
            bytes: upload.len(),
            limit: MAX_UPLOAD_BYTES,
        });
    }
    let upload = upload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(upload);
    let text = std::str::from_utf8(upload).map_err(|_| CsvError::NotUtf8)?;
    if text.trim().is_empty() {
        return Err(CsvError::Empty);
    }
    // Excel may start a file with `sep=;` to name the separator.
    // Lines are counted in the file as uploaded, so that line is counted too.
    let (separator, text, skipped) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end().len() == 5 && first.starts_with("sep=") => {
            (first.as_bytes()[4], rest, 1)
        }
        _ => (delimiter(text), text, 0),
    };
    let read_error = |error: csv::Error| read_error(error, skipped);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(read_error)?.clone();
    let columns: Vec<Column> = headers.iter().map(column).collect();
    if !columns.iter().any(|c| c.email) {
        return Err(CsvError::NoEmailColumn {
            headers: columns
                .iter()
                .take(12)
                .map(|c| c.header.chars().take(40).collect())
                .collect(),
        });
    }
    let wanted = email.trim().to_lowercase();
    let mut export = OrderExport {
        columns,
        rows_read: 0,
        found: Found::default(),
    };
    for row in reader.records() {
        let row = row.map_err(read_error)?;
        export.rows_read += 1;
        let matches = export
            .columns
            .iter()
            .zip(row.iter())
            .any(|(column, value)| column.email && value.trim().to_lowercase() == wanted);
        if !matches || wanted.is_empty() {
            continue;
        }
        let fields = export
            .columns
            .iter()
            .zip(row.iter())
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(column, value)| Field::plain(column.category, &column.header, value.trim()))
            .collect();
        let line = row.position().map_or(0, |p| p.line()) + skipped;
        export.found.records.push(Record::new(
            SourceKind::OrderExport,
            RecordKind::ExportRow,
            &format!("Order export, line {line}"),
            &format!("Bestelexport, regel {line}"),
            fields,
        ));
    }
    Ok(export)
}

fn read_error(error: csv::Error, skipped: u64) -> CsvError {
    let line = error.position().map_or(1, |p| p.line()) + skipped;
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => CsvError::UnequalRow {
            line,
            found: *len,
            expected: *expected_len,
        },
        _ => CsvError::Malformed { line },
    }
}

/// The separator of the header line: Dutch Excel writes `;`, others `,` or tabs.
fn delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (separator, count) in counts.iter_mut() {
                    *count += usize::from(byte == *separator);
                }
            }
            _ => {}
        }
    }
    // The first of the most frequent wins, so a header without any is `,`.
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(sep, n)| if n > best.1 { (sep, n) } else { best },
        )
        .0
}

/// A header in lower-case letters and digits only: `E-mailadres` -> `emailadres`.
fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn column(header: &str) -> Column {
    let name = normalise(header);
    let email = EMAIL_HEADERS.contains(&name.as_str());
    Column {
        header: header.trim().to_owned(),
        category: if email {
            DataCategory::Contact
        } else {
            category_of(&name)
        },
        email,
    }
}

/// The category of a column from words in its (normalised) header, first match
/// wins: the order of the list matters ("Lineitem name" is an order, not a name).
fn category_of(name: &str) -> DataCategory {
    const RULES: [(&[&str], DataCategory); 8] = [
        (
            &["marketing", "newsletter", "nieuwsbrief"],
            DataCategory::Marketing,
        ),
        (
            &["phone", "telefoon", "mobiel", "mobile"],
            DataCategory::Contact,
        ),
        (
            &[
                "product", "artikel", "lineitem", "item", "sku", "quantity", "aantal",
            ],
            DataCategory::Order,
        ),
        (
            &[
                "address",
                "adres",
                "street",
                "straat",
                "huisnummer",
                "postcode",
                "zip",
                "postal",
                "city",
                "plaats",
                "country",
                "land",
                "province",
                "provincie",
            ],
            DataCategory::Address,
        ),
        (
            &[
                "name",
                "naam",
                "company",
                "bedrijf",
                "tussenvoegsel",
                "aanhef",
                "salutation",
                "customer",
                "klant",
            ],
            DataCategory::Identity,
        ),
        (
            &[
                "payment", "betaal", "betaling", "total", "totaal", "price", "prijs", "bedrag",
                "amount", "tax", "btw", "vat", "discount", "korting", "currency", "valuta",
                "refund", "paid", "iban",
            ],
            DataCategory::Payment,
        ),
        (
            &["note", "opmerking", "comment", "message", "bericht"],
            DataCategory::Correspondence,
        ),
        (
            &[
                "order", "bestel", "date", "datum", "created", "status", "shipping", "verzend",
                "fulfil", "levering", "factuur", "invoice",
            ],
            DataCategory::Order,
        ),
    ];
    if name == "tel" {
        return DataCategory::Contact;
    }
    RULES
        .iter()
        .find(|(words, _)| words.iter().any(|w| name.contains(w)))
        .map_or(DataCategory::Other, |(_, category)| *category)
}

#[cfg(test)]
#[path = "orders_csv_tests.rs"]
mod tests;
