//! Entity tags for answers that are the same for everyone (a shop's widget
//! configuration): the tag is a hash of the body, and `If-None-Match` is compared
//! weakly (RFC 9110, section 13.1.2), because Cloudflare turns a strong tag into
//! a weak one (`W/"..."`) when it compresses the answer. Hand-written: the
//! `headers` crate would bring `http` and `bytes` into the Worker for these lines.

use sha2::{Digest, Sha256};

/// The tag of `body`: the first 16 bytes of its SHA-256, quoted.
pub fn of(body: &str) -> String {
    let hash = Sha256::digest(body.as_bytes());
    format!("\"{}\"", crate::store::digest::hex(&hash[..16]))
}

/// Whether an `If-None-Match` header names `tag` (or is `*`): then the client's
/// copy is current and a 304 is the answer.
pub fn none_match_fails(if_none_match: Option<&str>, tag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    let bare = |candidate: &str| {
        let candidate = candidate.trim();
        candidate.strip_prefix("W/").unwrap_or(candidate).to_owned()
    };
    let ours = bare(tag);
    header
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_body() {
        let tag = of("{\"a\":1}");
        assert!(
            tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34,
            "{tag}"
        );
        assert_eq!(tag, of("{\"a\":1}"));
        assert_ne!(tag, of("{\"a\":2}"));
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = of("x");
        let weak = format!("W/{tag}");
        assert!(none_match_fails(Some(&tag), &tag));
        assert!(none_match_fails(Some(&weak), &tag));
        assert!(none_match_fails(Some(&format!("\"other\", {weak}")), &tag));
        assert!(none_match_fails(Some("*"), &tag));
        assert!(!none_match_fails(None, &tag));
        assert!(!none_match_fails(Some(""), &tag));
        assert!(!none_match_fails(Some("\"other\""), &tag));
        // A tag is compared whole, quotes included.
        assert!(!none_match_fails(Some(tag.trim_matches('"')), &tag));
    }
}
