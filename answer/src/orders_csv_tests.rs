//! Tests of reading an uploaded order export: table tests of headers, separators
//! and failures, and properties over generated files.

use proptest::prelude::*;

use super::*;

const ANNA: &str = "anna@example.nl";

fn rows(upload: &str, email: &str) -> Vec<Vec<(DataCategory, String, String)>> {
    rows_for(upload.as_bytes(), email)
        .unwrap()
        .found
        .records
        .iter()
        .map(|record| {
            record
                .fields
                .iter()
                .map(|f| (f.category, f.key.clone(), f.value.clone()))
                .collect()
        })
        .collect()
}

#[test]
fn keeps_only_the_requesters_rows_whatever_the_case_and_spacing() {
    let export = "Bestelnummer;Datum;Naam;E-mailadres;Adres;Postcode;Plaats;Product;Totaal\n\
        1001;2026-10-02;Anna de Vries; Anna@Example.NL ;Voorbeeldweg 8;8011 AB;Zwolle;Muurbeugel;89,95\n\
        1002;2026-10-03;Bram Jansen;bram@example.nl;Kerkstraat 1;1011 AA;Amsterdam;Monitorarm;49,95\n\
        1003;2026-11-01;Anna de Vries;anna@example.nl;Voorbeeldweg 8;8011 AB;Zwolle;Kabel;9,95\n";
    let found = rows(export, "  ANNA@example.nl ");
    assert_eq!(found.len(), 2);
    assert!(found[0].contains(&(DataCategory::Order, "Bestelnummer".into(), "1001".into())));
    assert!(found[0].contains(&(
        DataCategory::Contact,
        "E-mailadres".into(),
        "Anna@Example.NL".into()
    )));
    assert!(found[0].contains(&(DataCategory::Address, "Postcode".into(), "8011 AB".into())));
    assert!(found[0].contains(&(
        DataCategory::Identity,
        "Naam".into(),
        "Anna de Vries".into()
    )));
    assert!(found[0].contains(&(DataCategory::Payment, "Totaal".into(), "89,95".into())));
    assert!(found[1].contains(&(DataCategory::Order, "Product".into(), "Kabel".into())));
    assert!(
        !found.iter().flatten().any(|(_, _, v)| v.contains("Bram")),
        "other customers' rows are dropped"
    );

    let export = rows_for(export.as_bytes(), ANNA).unwrap();
    assert_eq!(export.rows_read, 3);
    let titles: Vec<&str> = export
        .found
        .records
        .iter()
        .map(|r| r.title.nl.as_str())
        .collect();
    assert_eq!(titles, ["Bestelexport, regel 2", "Bestelexport, regel 4"]);
    assert!(export
        .found
        .records
        .iter()
        .all(|r| r.source == SourceKind::OrderExport && r.kind == RecordKind::ExportRow));
}

#[test]
fn finds_the_email_column_by_its_known_names_and_reads_any_separator() {
    for (header, separator) in [
        ("Email", ','),
        ("E-mail", ';'),
        ("e-mailadres", '\t'),
        ("E-mail address", ','),
        ("Customer Email", ','),
        ("billing_email", ','),
        ("Klant e-mail", ';'),
        ("E-mailadres klant", ';'),
        ("\"E-mail, adres\"", ','),
    ] {
        let sep = separator.to_string();
        let export =
            format!("Order{sep}{header}{sep}Name\n7{sep}{ANNA}{sep}Anna\n8{sep}x@y.nl{sep}X\n");
        let found = rows(&export, ANNA);
        assert_eq!(found.len(), 1, "{header:?} with {separator:?}");
        assert!(
            found[0].contains(&(DataCategory::Order, "Order".into(), "7".into())),
            "{header:?}"
        );
    }
    // Excel's `sep=` line names the separator and is not the header.
    let found = rows(
        &format!("sep=;\r\nEmail;Name, with comma\r\n{ANNA};Anna, A.\r\n"),
        ANNA,
    );
    assert_eq!(
        found[0][1],
        (
            DataCategory::Identity,
            "Name, with comma".into(),
            "Anna, A.".into()
        )
    );
    // A UTF-8 byte order mark (Excel's "CSV UTF-8") is not part of the first header.
    let found = rows(&format!("\u{feff}Email,Name\n{ANNA},Anna\n"), ANNA);
    assert_eq!(found[0][0].1, "Email");
    // Quoted cells with separators, quotes and line breaks.
    let found = rows(
        &format!("Email,Note\n{ANNA},\"Ring twice; \"\"back\"\" door,\nthanks\"\n"),
        ANNA,
    );
    assert_eq!(
        found[0][1],
        (
            DataCategory::Correspondence,
            "Note".into(),
            "Ring twice; \"back\" door,\nthanks".into()
        )
    );
}

#[test]
fn columns_are_labelled_by_category_from_their_headers() {
    for (header, category) in [
        ("Name", DataCategory::Identity),
        ("Billing Name", DataCategory::Identity),
        ("Voornaam", DataCategory::Identity),
        ("Klantnummer", DataCategory::Identity),
        ("Phone", DataCategory::Contact),
        ("Telefoonnummer", DataCategory::Contact),
        ("Tel", DataCategory::Contact),
        ("Shipping Address1", DataCategory::Address),
        ("Factuuradres", DataCategory::Address),
        ("Shipping Zip", DataCategory::Address),
        ("Woonplaats", DataCategory::Address),
        ("Land", DataCategory::Address),
        ("Lineitem name", DataCategory::Order),
        ("Aantal", DataCategory::Order),
        ("Bestelnummer", DataCategory::Order),
        ("Created at", DataCategory::Order),
        ("Verzendmethode", DataCategory::Order),
        ("Total", DataCategory::Payment),
        ("Payment Method", DataCategory::Payment),
        ("Betaalstatus", DataCategory::Payment),
        ("Paid at", DataCategory::Payment),
        ("Accepts Marketing", DataCategory::Marketing),
        ("Nieuwsbrief", DataCategory::Marketing),
        ("Opmerking", DataCategory::Correspondence),
        ("Notes", DataCategory::Correspondence),
        ("Risk Level", DataCategory::Other),
        ("", DataCategory::Other),
    ] {
        assert_eq!(column(header).category, category, "{header:?}");
        assert!(!column(header).email, "{header:?}");
    }
    assert_eq!(column(" E-Mail ").category, DataCategory::Contact);
    assert!(column(" E-Mail ").email);
}

#[test]
fn every_bad_upload_has_its_typed_error_and_message() {
    let too_large = vec![b'a'; MAX_UPLOAD_BYTES + 1];
    for (name, upload, expected) in [
        (
            "too large",
            too_large.as_slice(),
            CsvError::TooLarge {
                bytes: MAX_UPLOAD_BYTES + 1,
                limit: MAX_UPLOAD_BYTES,
            },
        ),
        ("empty", b"".as_slice(), CsvError::Empty),
        (
            "only a BOM and blanks",
            b"\xEF\xBB\xBF \r\n".as_slice(),
            CsvError::Empty,
        ),
        (
            "Windows-1252",
            b"Naam;E-mail\nJos\xe9;jose@example.nl\n".as_slice(),
            CsvError::NotUtf8,
        ),
        (
            "no e-mail column",
            b"Bestelnummer;Naam\n1;Anna\n".as_slice(),
            CsvError::NoEmailColumn {
                headers: vec!["Bestelnummer".into(), "Naam".into()],
            },
        ),
        (
            "a short row",
            b"Email,Name,City\na@b.nl,A,Z\nc@d.nl,C\n".as_slice(),
            CsvError::UnequalRow {
                line: 3,
                found: 2,
                expected: 3,
            },
        ),
        (
            "a long row",
            b"Email,Name\na@b.nl,A,extra\n".as_slice(),
            CsvError::UnequalRow {
                line: 2,
                found: 3,
                expected: 2,
            },
        ),
    ] {
        let result = rows_for(upload, ANNA).err();
        assert_eq!(result.as_ref(), Some(&expected), "{name}");
        let (en, nl) = (expected.message(Lang::En), expected.message(Lang::Nl));
        assert!(!en.is_empty() && !nl.is_empty() && en != nl, "{name}");
    }
    let message = CsvError::NoEmailColumn {
        headers: vec!["Bestelnummer".into(), "Naam".into()],
    }
    .message(Lang::Nl);
    assert!(message.contains("Bestelnummer, Naam"), "{message}");
    let malformed = CsvError::Malformed { line: 9 };
    assert!(
        malformed.message(Lang::En).contains("Line 9")
            && malformed.message(Lang::Nl).contains("Regel 9")
    );
    let codes: std::collections::BTreeSet<&str> = [
        CsvError::Empty.code(),
        CsvError::NotUtf8.code(),
        CsvError::TooLarge { bytes: 0, limit: 0 }.code(),
        CsvError::NoEmailColumn { headers: vec![] }.code(),
        CsvError::UnequalRow {
            line: 0,
            found: 0,
            expected: 0,
        }
        .code(),
        malformed.code(),
    ]
    .into();
    assert_eq!(codes.len(), 6, "codes are distinct");
    assert!(CsvError::TooLarge {
        bytes: 9,
        limit: MAX_UPLOAD_BYTES
    }
    .message(Lang::En)
    .contains("4 MB"));
    // Exactly at the limit is still read.
    let mut at_limit = format!("Email\n{ANNA}\n").into_bytes();
    at_limit.resize(MAX_UPLOAD_BYTES, b'\n');
    assert_eq!(rows_for(&at_limit, ANNA).unwrap().found.records.len(), 1);
}

#[test]
fn an_empty_address_matches_no_row() {
    let export = "Email,Name\n,Guest\n a@b.nl ,A\n";
    assert!(rows(export, "").is_empty());
    assert!(rows(export, "   ").is_empty());
}

proptest! {
    #[test]
    fn any_bytes_give_rows_or_a_typed_error(upload in proptest::collection::vec(any::<u8>(), 0..400), email in "\\PC{0,20}") {
        let _ = rows_for(&upload, &email);
    }

    #[test]
    fn exactly_the_requesters_rows_are_kept(
        cells in proptest::collection::vec(("[a-z]{1,6}@[a-z]{1,5}\\.nl", "[^\"\\r\\n]{0,12}", any::<bool>()), 1..30),
        separator in prop_oneof![Just(','), Just(';'), Just('\t')],
        upper in any::<bool>(),
    ) {
        let mut export = format!("Bestelnummer{separator}E-mail{separator}Opmerking\n");
        for (n, (other, note, is_anna)) in cells.iter().enumerate() {
            let address = match (is_anna, upper) {
                (true, true) => ANNA.to_uppercase(),
                (true, false) => ANNA.to_owned(),
                (false, _) => other.clone(),
            };
            let note = note.replace(separator, " ");
            export.push_str(&format!("{n}{separator}{address}{separator}\"{note}\"\n"));
        }
        let result = rows_for(export.as_bytes(), ANNA).unwrap();
        prop_assert_eq!(result.rows_read, cells.len());
        // Generated other addresses have a domain of at most 5 letters: never Anna's.
        let expected = cells.iter().filter(|(_, _, is_anna)| *is_anna).count();
        prop_assert_eq!(result.found.records.len(), expected);
        for record in &result.found.records {
            let email = record.fields.iter().find(|f| f.key == "E-mail").unwrap();
            prop_assert!(email.value.eq_ignore_ascii_case(ANNA));
        }
    }
}
