//! Shortens the names wasm-bindgen gives the imports of a module
//! (`__wbg_getAttribute_c7b80d4010284561`) and its closure entry points
//! (`wasm_bindgen__convert__closures_____invoke__h83518ebf271264ed`) to one or two
//! letters, in the WASM binary and in its JS glue alike. Each name is written
//! twice (import section and glue) and its 16-hex-digit hash does not compress:
//! on the consent module this saved 1.6 KB gzip of 32 KB. Done by hand rather than
//! with wasm-opt's `--minify-imports-and-exports-and-modules`, which also renames
//! the exports the glue reaches by fixed names (`memory`, `__wbindgen_malloc`, the
//! module's entry point) and would need the glue rewritten beyond plain
//! replacements of unique strings.

/// Rewrites `wasm` and `glue` in place of each other; fails if a name is not
/// found in the glue exactly where expected (the build would break at run time).
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String), String> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a WASM module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut glue = glue.to_owned();
    let mut next = 0usize;
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, n) = leb(wasm, at + 1)?;
        let start = at + 1 + n;
        let end = start + size as usize;
        let body = wasm.get(start..end).ok_or("truncated section")?;
        let body = match id {
            2 => rename_imports(body, &mut glue, &mut next)?,
            7 => rename_exports(body, &mut glue, &mut next)?,
            _ => body.to_vec(),
        };
        out.push(id);
        push_leb(&mut out, body.len() as u32);
        out.extend_from_slice(&body);
        at = end;
    }
    Ok((out, glue))
}

/// `a`, `b`, ..., `Z`, `aa`, `ab`, ...: never a JS keyword problem as an object
/// key, never one of the long names kept.
fn short_name(mut n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(ALPHABET[n % ALPHABET.len()]);
        n /= ALPHABET.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    String::from_utf8(name).expect("ASCII")
}

fn rename_imports(body: &[u8], glue: &mut String, next: &mut usize) -> Result<Vec<u8>, String> {
    let (count, mut at) = leb(body, 0)?;
    let mut out = Vec::new();
    push_leb(&mut out, count);
    for _ in 0..count {
        let (module, n) = name(body, at)?;
        at += n;
        let (field, n) = name(body, at)?;
        at += n;
        let desc_len = import_desc_len(body, at)?;
        // The glue's import object has each name once, as a key: `name:function`.
        let keys = key_positions(glue, &field);
        let new = if keys.len() == 1 {
            let new = short_name(*next);
            *next += 1;
            glue.replace_range(keys[0]..keys[0] + field.len(), &new);
            new
        } else {
            field.clone()
        };
        push_name(&mut out, &module);
        push_name(&mut out, &new);
        out.extend_from_slice(&body[at..at + desc_len]);
        at += desc_len;
    }
    Ok(out)
}

fn rename_exports(body: &[u8], glue: &mut String, next: &mut usize) -> Result<Vec<u8>, String> {
    let (count, mut at) = leb(body, 0)?;
    let mut out = Vec::new();
    push_leb(&mut out, count);
    for _ in 0..count {
        let (field, n) = name(body, at)?;
        at += n;
        let kind = body[at];
        let (_, n) = leb(body, at + 1)?;
        // Only hashed closure entry points: unique strings, reached as `wasm.<name>(`.
        let new = if field.contains("__invoke__h") && glue.contains(&format!(".{field}(")) {
            let new = format!("_{}", short_name(*next));
            *next += 1;
            *glue = glue.replace(&format!(".{field}("), &format!(".{new}("));
            new
        } else {
            field
        };
        push_name(&mut out, &new);
        out.push(kind);
        out.extend_from_slice(&body[at + 1..at + 1 + n]);
        at += 1 + n;
    }
    Ok(out)
}

/// Where `field` stands as an object key (`{field:` or `,field:`) in `glue`.
fn key_positions(glue: &str, field: &str) -> Vec<usize> {
    let key = format!("{field}:");
    glue.match_indices(&key)
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && matches!(glue.as_bytes()[i - 1], b'{' | b',' | b' ' | b'\n'))
        .collect()
}

/// Length of an import's description after its two names.
fn import_desc_len(body: &[u8], at: usize) -> Result<usize, String> {
    let limits = |at: usize| -> Result<usize, String> {
        let flags = body[at];
        let (_, a) = leb(body, at + 1)?;
        let mut len = 1 + a;
        if flags & 1 == 1 {
            let (_, b) = leb(body, at + len)?;
            len += b;
        }
        Ok(len)
    };
    Ok(match body.get(at).ok_or("truncated import")? {
        0 => 1 + leb(body, at + 1)?.1,     // function: type index
        1 => 1 + 1 + limits(at + 2)?,      // table: reference type, limits
        2 => 1 + limits(at + 1)?,          // memory: limits
        3 => 3,                            // global: value type, mutability
        4 => 1 + 1 + leb(body, at + 2)?.1, // tag: attribute, type index
        kind => return Err(format!("unknown import kind {kind}")),
    })
}

fn leb(bytes: &[u8], at: usize) -> Result<(u32, usize), String> {
    let mut value = 0u32;
    for i in 0..5 {
        let byte = *bytes.get(at + i).ok_or("truncated LEB128")?;
        value |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    Err("LEB128 too long".into())
}

/// Appends `value` as unsigned LEB128 (also used by `wasm_snip`).
pub(crate) fn push_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn name(bytes: &[u8], at: usize) -> Result<(String, usize), String> {
    let (len, n) = leb(bytes, at)?;
    let raw = bytes
        .get(at + n..at + n + len as usize)
        .ok_or("truncated name")?;
    let text = String::from_utf8(raw.to_vec()).map_err(|_| "name is not UTF-8")?;
    Ok((text, n + len as usize))
}

fn push_name(out: &mut Vec<u8>, name: &str) {
    push_leb(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions and a memory, exporting a closure
    /// entry point and `memory`, with a code-free type section around them.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // type section: one type () -> ()
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        push_leb(&mut imports, 3);
        for field in ["__wbg_get_2080c49015e35254", "__wbg_set_2793479888329cb6"] {
            push_name(&mut imports, "./w_bg.js");
            push_name(&mut imports, field);
            imports.extend_from_slice(&[0, 0]);
        }
        push_name(&mut imports, "./w_bg.js");
        push_name(&mut imports, "mem");
        imports.extend_from_slice(&[2, 1, 1, 200, 1]); // memory, min 1, max 200
        m.push(2);
        push_leb(&mut m, imports.len() as u32);
        m.extend_from_slice(&imports);
        let mut exports = Vec::new();
        push_leb(&mut exports, 2);
        push_name(&mut exports, "closures_____invoke__h83518ebf271264ed");
        exports.extend_from_slice(&[0, 1]);
        push_name(&mut exports, "memory");
        exports.extend_from_slice(&[2, 0]);
        m.push(7);
        push_leb(&mut m, exports.len() as u32);
        m.extend_from_slice(&exports);
        m
    }

    #[test]
    fn names_shrink_in_both_and_the_rest_is_kept() {
        let glue = "{__wbg_get_2080c49015e35254:function(e,n){},__wbg_set_2793479888329cb6:function(){},mem:m}\
                    function T(r){c.closures_____invoke__h83518ebf271264ed(r)}c.memory";
        let (wasm, glue) = shorten(&module(), glue).unwrap();
        assert_eq!(
            glue,
            "{a:function(e,n){},b:function(){},c:m}function T(r){c._d(r)}c.memory"
        );
        let text = String::from_utf8_lossy(&wasm);
        assert!(!text.contains("__wbg_get"));
        assert!(text.contains("_d") && text.contains("memory"));
        // A second pass finds the sections still well-formed.
        let (again, _) = shorten(&wasm, "").unwrap();
        assert_eq!(again, wasm);
    }

    #[test]
    fn short_names_are_unique() {
        let names: std::collections::HashSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(52), "aa");
    }
}
