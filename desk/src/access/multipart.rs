//! The one `multipart/form-data` body the edge reads: the owner's order-export
//! upload. Hand-written (about 60 lines) rather than `multer`: multer works on an
//! async `Stream` of `Bytes` and brings `http`, `mime`, `httparse` and
//! `encoding_rs` into the Worker for one form with one file and a few text fields
//! that the shell has already read whole (see ARCHITECTURE.md, "Access answers").

/// One part of the form.
pub struct Part<'a> {
    pub name: String,
    pub filename: Option<String>,
    pub data: &'a [u8],
}

/// Why the body is not a form we can read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MultipartError {
    NotMultipart,
    Malformed,
}

/// The parts of a `multipart/form-data` body (RFC 7578), in order.
pub fn parse<'a>(content_type: &str, body: &'a [u8]) -> Result<Vec<Part<'a>>, MultipartError> {
    let boundary = boundary(content_type).ok_or(MultipartError::NotMultipart)?;
    let delimiter = [b"--", boundary.as_bytes()].concat();
    let mut at = find(body, &delimiter, 0).ok_or(MultipartError::Malformed)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        if !rest.starts_with(b"\r\n") {
            return Err(MultipartError::Malformed);
        }
        let head_start = at + 2;
        let head_end = find(body, b"\r\n\r\n", head_start).ok_or(MultipartError::Malformed)?;
        let head = std::str::from_utf8(&body[head_start..head_end])
            .map_err(|_| MultipartError::Malformed)?;
        let data_start = head_end + 4;
        let close = [b"\r\n", delimiter.as_slice()].concat();
        let data_end = find(body, &close, data_start).ok_or(MultipartError::Malformed)?;
        let (name, filename) = disposition(head).ok_or(MultipartError::Malformed)?;
        parts.push(Part {
            name,
            filename,
            data: &body[data_start..data_end],
        });
        at = data_end + close.len();
    }
}

/// The first part named `name` that is a file, with the other parts' text values.
pub fn file_field<'a>(parts: &[Part<'a>], name: &str) -> Option<&'a [u8]> {
    parts
        .iter()
        .find(|part| part.name == name && part.filename.is_some())
        .map(|part| part.data)
}

fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        (1..=70).contains(&value.len()).then(|| value.to_owned())
    })
}

/// `name` and `filename` of a part's `Content-Disposition: form-data` header.
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find(|line| {
        line.split_once(':')
            .is_some_and(|(key, _)| key.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    let (_, value) = line.split_once(':')?;
    let mut params = value.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("form-data") {
        return None;
    }
    let (mut name, mut filename) = (None, None);
    for param in params {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" => name = Some(value),
            "filename" => filename = Some(value),
            _ => {}
        }
    }
    Some((name?, filename))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|at| at + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=----WebKitFormBoundaryX3b";

    fn body(parts: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
        let mut out = String::new();
        for (name, filename, data) in parts {
            out.push_str("------WebKitFormBoundaryX3b\r\nContent-Disposition: form-data; ");
            out.push_str(&format!("name=\"{name}\""));
            if let Some(filename) = filename {
                out.push_str(&format!(
                    "; filename=\"{filename}\"\r\nContent-Type: text/csv"
                ));
            }
            out.push_str(&format!("\r\n\r\n{data}\r\n"));
        }
        out.push_str("------WebKitFormBoundaryX3b--\r\n");
        out.into_bytes()
    }

    #[test]
    fn reads_the_file_and_the_fields() {
        let data = body(&[
            ("consent_id", None, "abc"),
            ("orders", Some("orders.csv"), "a;b\r\n1;2\r\n"),
        ]);
        let parts = parse(TYPE, &data).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "consent_id");
        assert_eq!(parts[0].data, b"abc");
        assert_eq!(file_field(&parts, "orders"), Some(&b"a;b\r\n1;2\r\n"[..]));
        assert_eq!(file_field(&parts, "consent_id"), None);
    }

    #[test]
    fn refuses_what_is_not_a_form() {
        assert_eq!(
            parse("text/csv", b"x").err(),
            Some(MultipartError::NotMultipart)
        );
        assert_eq!(
            parse("multipart/form-data; boundary=zz", b"no delimiter").err(),
            Some(MultipartError::Malformed)
        );
        let cut = body(&[("orders", Some("o.csv"), "a;b")]);
        assert_eq!(
            parse(TYPE, &cut[..cut.len() - 40]).err(),
            Some(MultipartError::Malformed)
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = parse(TYPE, &bytes);
            let mut framed = b"------WebKitFormBoundaryX3b\r\n".to_vec();
            framed.extend(&bytes);
            let _ = parse(TYPE, &framed);
        }
    }
}
