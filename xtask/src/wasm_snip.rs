//! Empties the formatting functions of `core::fmt` (`<u32 as Display>::fmt`,
//! `Formatter::pad`, ...) in a widget module that can never run them: their
//! bodies become `unreachable`, and wasm-opt then drops what only they used
//! (`do_count_chars`, the digit table). They stay in a module without any
//! formatting only because panic messages of `core` and wasm-bindgen (a bounds
//! check, `RefCell`) hold pointers to them, and our panic handler traps without
//! formatting (see widget/src/lib.rs). On the form module: -1 KB gzip (see
//! ARCHITECTURE.md, "WASM size"). wasm-snip's `--snip-rust-fmt-code` does this
//! too, but is no longer maintained; this reads the module with `wasmparser`.
//!
//! Only done where it is sound: the module has no `core::fmt::write` (the one
//! way to call a `Display` impl through a `Formatter`, used by `format!`,
//! `to_string` and every formatting panic handler), and a function is emptied
//! only if no function outside the emptied set calls it directly and it is not
//! exported. Otherwise the module is left as it is.

use std::collections::BTreeSet;

use wasmparser::{KnownCustom, Name, Operator, Parser, Payload, TypeRef};

use crate::wasm_names::push_leb;

/// Whether a function is one of `core::fmt`'s formatting functions by its name.
fn is_formatting(name: &str) -> bool {
    name.contains("::fmt::") && (name.ends_with(">::fmt") || name.contains("fmt::Formatter>::"))
}

/// `wasm` with the bodies of its unreachable formatting functions replaced by
/// `unreachable`, and how many; `wasm` unchanged (0) where that is not sound.
/// Reads the function names wasm-bindgen leaves in the `name` section.
pub fn snip_formatting(wasm: &[u8]) -> Result<(Vec<u8>, usize), String> {
    let error = |e: wasmparser::BinaryReaderError| format!("reading the module: {e}");
    let mut imported = 0u32;
    let mut names = Vec::new();
    let mut exported = BTreeSet::new();
    // Per defined function: the functions it calls directly.
    let mut calls: Vec<BTreeSet<u32>> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(error)? {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let TypeRef::Func(_) = import.map_err(error)?.ty {
                        imported += 1;
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(error)?;
                    if export.kind == wasmparser::ExternalKind::Func {
                        exported.insert(export.index);
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut callees = BTreeSet::new();
                let mut operators = body.get_operators_reader().map_err(error)?;
                while !operators.eof() {
                    match operators.read().map_err(error)? {
                        Operator::Call { function_index }
                        | Operator::ReturnCall { function_index } => {
                            callees.insert(function_index);
                        }
                        _ => {}
                    }
                }
                calls.push(callees);
            }
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for subsection in reader {
                        if let Name::Function(map) = subsection.map_err(error)? {
                            for naming in map {
                                let naming = naming.map_err(error)?;
                                names.push((naming.index, naming.name.to_owned()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if names.iter().any(|(_, name)| name.ends_with("::fmt::write")) {
        return Ok((wasm.to_vec(), 0));
    }
    let mut snipped: BTreeSet<u32> = names
        .iter()
        .filter(|(index, name)| {
            *index >= imported && is_formatting(name) && !exported.contains(index)
        })
        .map(|(index, _)| *index)
        .collect();
    // Keep any that a function which stays calls directly, until none is left.
    loop {
        let called: BTreeSet<u32> = calls
            .iter()
            .enumerate()
            .filter(|(i, _)| !snipped.contains(&(imported + *i as u32)))
            .flat_map(|(_, callees)| callees.iter().copied())
            .collect();
        let before = snipped.len();
        snipped.retain(|index| !called.contains(index));
        if snipped.len() == before {
            break;
        }
    }
    if snipped.is_empty() {
        return Ok((wasm.to_vec(), 0));
    }
    Ok((rewrite_code(wasm, imported, &snipped)?, snipped.len()))
}

/// `wasm` with the code section's bodies of `snipped` (function indexes)
/// replaced by `unreachable`; every other byte as it was.
fn rewrite_code(wasm: &[u8], imported: u32, snipped: &BTreeSet<u32>) -> Result<Vec<u8>, String> {
    let error = |e: wasmparser::BinaryReaderError| format!("reading the module: {e}");
    let mut code = Vec::new();
    let mut section = None;
    let mut count = 0u32;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(error)? {
            Payload::CodeSectionStart { range, .. } => section = Some(range),
            Payload::CodeSectionEntry(body) => {
                if snipped.contains(&(imported + count)) {
                    // No locals, `unreachable`, `end`: valid for any signature.
                    code.extend_from_slice(&[3, 0x00, 0x00, 0x0b]);
                } else {
                    let range = body.range();
                    push_leb(&mut code, range.len() as u32);
                    code.extend_from_slice(&wasm[range]);
                }
                count += 1;
            }
            _ => {}
        }
    }
    let range = section.ok_or("no code section")?;
    // The section's id and size (LEB128, maybe padded) come before its contents.
    let header = (2..=6)
        .filter_map(|n| range.start.checked_sub(n))
        .find(|&start| wasm[start] == 10 && leb_ends(&wasm[start + 1..range.start], range.len()))
        .ok_or("code section header not found")?;
    let mut contents = Vec::new();
    push_leb(&mut contents, count);
    contents.extend_from_slice(&code);
    let mut out = wasm[..header].to_vec();
    out.push(10);
    push_leb(&mut out, contents.len() as u32);
    out.extend_from_slice(&contents);
    out.extend_from_slice(&wasm[range.end..]);
    Ok(out)
}

/// Whether `bytes` are exactly one LEB128 number of value `value`.
fn leb_ends(bytes: &[u8], value: usize) -> bool {
    let mut decoded = 0usize;
    for (i, byte) in bytes.iter().enumerate() {
        decoded |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return i + 1 == bytes.len() && decoded == value;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ConstExpr, ElementSection, Elements, EntityType, ExportKind, ExportSection,
        Function, FunctionSection, ImportSection, IndirectNameMap, Instruction, Module, NameMap,
        NameSection, RefType, TableSection, TableType, TypeSection,
    };

    const DISPLAY: &str = "<u32 as core[c59]::fmt::Display>::fmt";
    const PAD: &str = "<core[c59]::fmt::Formatter>::pad";

    /// An import, then `functions` (name, the functions it calls); the first is in
    /// the table (as a panic message's pointer would keep it), the last exported.
    fn module(functions: &[(&str, &[u32])]) -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import("env", "f", EntityType::Function(0));
        module.section(&imports);
        let mut declared = FunctionSection::new();
        for _ in functions {
            declared.function(0);
        }
        module.section(&declared);
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            minimum: 1,
            maximum: None,
            table64: false,
            shared: false,
        });
        module.section(&tables);
        let mut exports = ExportSection::new();
        exports.export("main", ExportKind::Func, functions.len() as u32);
        module.section(&exports);
        let mut elements = ElementSection::new();
        elements.active(
            None,
            &ConstExpr::i32_const(0),
            Elements::Functions([1].as_slice().into()),
        );
        module.section(&elements);
        let mut code = CodeSection::new();
        for (_, callees) in functions {
            let mut body = Function::new([]);
            for callee in *callees {
                body.instruction(&Instruction::Call(*callee));
            }
            body.instruction(&Instruction::End);
            code.function(&body);
        }
        module.section(&code);
        let mut names = NameMap::new();
        names.append(0, "env::f");
        for (i, (name, _)) in functions.iter().enumerate() {
            names.append(i as u32 + 1, name);
        }
        let mut section = NameSection::new();
        section.functions(&names);
        section.locals(&IndirectNameMap::new());
        module.section(&section);
        module.finish()
    }

    /// The indexes of the functions whose body is only `unreachable`.
    fn unreachable_bodies(wasm: &[u8]) -> Vec<u32> {
        wasmparser::Validator::new()
            .validate_all(wasm)
            .expect("a valid module");
        let mut found = Vec::new();
        let mut index = 1;
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                if wasm[body.range()] == [0x00, 0x00, 0x0b] {
                    found.push(index);
                }
                index += 1;
            }
        }
        found
    }

    #[test]
    fn formatting_reached_only_through_the_table_is_emptied() {
        let wasm = module(&[(DISPLAY, &[2]), (PAD, &[]), ("main", &[0])]);
        assert_eq!(unreachable_bodies(&wasm), Vec::<u32>::new());
        let (out, count) = snip_formatting(&wasm).unwrap();
        assert_eq!(count, 2);
        assert_eq!(unreachable_bodies(&out), [1, 2]);
    }

    #[test]
    fn a_function_that_stays_keeps_what_it_calls() {
        let wasm = module(&[(DISPLAY, &[2]), (PAD, &[]), ("main", &[2])]);
        let (out, count) = snip_formatting(&wasm).unwrap();
        assert_eq!(count, 1);
        assert_eq!(unreachable_bodies(&out), [1]);
    }

    #[test]
    fn a_module_that_formats_is_left_alone() {
        let write = "core[c59]::fmt::write";
        let wasm = module(&[(DISPLAY, &[2]), (PAD, &[]), (write, &[]), ("main", &[])]);
        assert_eq!(snip_formatting(&wasm).unwrap(), (wasm, 0));
    }
}
