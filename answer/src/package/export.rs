//! The package's machine-readable copies (art. 20): JSON with everything, and CSV
//! with the data itself, one value a row. Cells that a spreadsheet would read as a
//! formula are prefixed with `'` (CSV injection), as in the owner's exports.

use super::Package;

/// The CSV's header row: stable English names for machines.
pub const CSV_HEADER: [&str; 7] = [
    "category",
    "category_label",
    "source",
    "record",
    "field_key",
    "field",
    "value",
];

impl Package {
    /// The whole package as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // A tree of strings, booleans and enums: serialising it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The data found, one value a row, under [`CSV_HEADER`].
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut rows: Vec<[String; 7]> = Vec::new();
        for group in &self.data {
            for item in &group.items {
                rows.push([
                    group.category.code().to_owned(),
                    group.label.clone(),
                    item.source.code().to_owned(),
                    item.record.clone(),
                    item.key.clone(),
                    item.field.clone(),
                    item.value.clone(),
                ]);
            }
        }
        // Writing to a Vec only fails on I/O errors, which a Vec does not have.
        let _ = writer.write_record(CSV_HEADER);
        for row in rows {
            let _ = writer.write_record(row.iter().map(|cell| defuse(cell)));
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// A cell that cannot start a formula.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}
