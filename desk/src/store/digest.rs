//! Hashes and constant-time comparisons: the admin secret check, the requester's
//! e-mail proof on the status page, and the user-agent fingerprint kept with a
//! consent record instead of the user agent itself.

use sha2::{Digest, Sha256};

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        // Length-prefix each part so that ("ab","c") and ("a","bc") differ.
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// What an idempotency key promises: the content of the request it was first used
/// for (everything the requester typed or chose; not the one-time Turnstile token
/// or the honeypot), so a retry matches and another request under the same key
/// does not.
pub fn request_fingerprint(request: &protocol::NewRightsRequest) -> String {
    let right = serde_json::to_string(&request.right).unwrap_or_default();
    let flags = [u8::from(request.confirm_true)];
    hex(&sha256(&[
        b"privacy-desk/idempotency/v1",
        request.shop.as_bytes(),
        right.as_bytes(),
        request.name.trim().as_bytes(),
        request.email.trim().as_bytes(),
        request
            .order_number
            .as_deref()
            .unwrap_or("")
            .trim()
            .as_bytes(),
        request.details.as_deref().unwrap_or("").trim().as_bytes(),
        &flags,
        request.lang.code().as_bytes(),
    ]))
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

/// Compares two byte strings in time that depends only on their lengths (`subtle`).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// Whether a presented secret equals the expected one. Both are hashed first, so
/// the comparison takes the same time whatever their lengths.
pub fn secret_matches(presented: &str, expected: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    let a = sha256(&[b"privacy-desk/secret/v1", presented.as_bytes()]);
    let b = sha256(&[b"privacy-desk/secret/v1", expected.as_bytes()]);
    constant_time_eq(&a, &b)
}

/// The proof a status lookup must match: a hash of the requester's e-mail address
/// ([`crate::intake::address::normalized`]) bound to the reference.
pub fn email_proof(reference: &str, email: &str) -> String {
    let normalized = crate::intake::address::normalized(email);
    hex(&sha256(&[
        b"privacy-desk/email-proof/v1",
        reference.as_bytes(),
        normalized.as_bytes(),
    ]))
}

/// Whether `email` matches a stored [`email_proof`], in constant time.
pub fn email_proof_matches(reference: &str, email: &str, stored: &str) -> bool {
    constant_time_eq(email_proof(reference, email).as_bytes(), stored.as_bytes())
}

/// A short fingerprint of the user agent (64 bits, hex): enough to tell that two
/// records came from the same kind of browser, useless to identify anyone.
pub fn user_agent_fingerprint(user_agent: &str) -> String {
    let clipped: String = user_agent.chars().take(512).collect();
    hex(&sha256(&[b"privacy-desk/user-agent/v1", clipped.as_bytes()])[..8])
}

/// Lower-case hex of random bytes, for ids.
pub fn random_hex(bytes: &[u8]) -> String {
    hex(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        assert!(secret_matches("devtoken", "devtoken"));
        assert!(!secret_matches("devtoken ", "devtoken"));
        assert!(!secret_matches("", "devtoken"));
        assert!(!secret_matches("", ""));
        assert!(!secret_matches("x", ""));
    }

    #[test]
    fn email_proofs() {
        let stored = email_proof("PR-2222-2222-2222", "Anna@Example.nl");
        assert_eq!(stored.len(), 64);
        assert!(email_proof_matches(
            "PR-2222-2222-2222",
            " anna@example.nl ",
            &stored
        ));
        assert!(!email_proof_matches(
            "PR-2222-2222-2223",
            "anna@example.nl",
            &stored
        ));
        assert!(!email_proof_matches(
            "PR-2222-2222-2222",
            "anna@example.com",
            &stored
        ));
        assert!(!email_proof_matches("PR-2222-2222-2222", "", &stored));
    }

    #[test]
    fn fingerprints() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0";
        assert_eq!(user_agent_fingerprint(ua).len(), 16);
        assert_eq!(user_agent_fingerprint(ua), user_agent_fingerprint(ua));
        assert_ne!(
            user_agent_fingerprint(ua),
            user_agent_fingerprint("curl/8.0")
        );
        assert_eq!(random_hex(&[0, 255, 16]), "00ff10");
    }

    #[test]
    fn constant_time() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
