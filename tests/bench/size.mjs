// Prints what a visitor downloads for the widget: raw, gzip (level 9) and brotli
// (quality 11) bytes per file and in total. Run through `cargo xtask size`.
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What every shop page downloads on a first visit: the loader (with the
 * configuration, all the banner needs to be usable) and the consent module (when
 * idle after the banner, or on first use).
 */
export const WIDGET_FILES = ['www/widget.js', 'www/w/widget.js', 'www/w/widget_bg.wasm'];
/** The preferences dialog: fetched when idle after the banner, or on first use. */
export const PREFS_FILES = ['www/w/prefs.js', 'www/w/prefs_bg.wasm'];
/** What a page with `[data-privacy-request-form]` downloads on top: the form module
 * in the page's language (English here; `FORM_NL_FILES` for Dutch pages). */
export const FORM_FILES = ['www/w/form_en.js', 'www/w/form_en_bg.wasm'];
export const FORM_NL_FILES = ['www/w/form_nl.js', 'www/w/form_nl_bg.wasm'];
/** What a page with an `iframe[data-src][data-category]` downloads on top: the embeds module. */
export const EMBEDS_FILES = ['www/w/embeds.js', 'www/w/embeds_bg.wasm'];
/** What a page with `[data-cookie-declaration]` downloads on top: the declaration module. */
export const DECLARATION_FILES = ['www/w/declaration.js', 'www/w/declaration_bg.wasm'];

export function sizes(files, root = ROOT) {
  return files.map((file) => {
    const bytes = readFileSync(path.join(root, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

export function printTable(rows) {
  const total = rows.reduce((t, r) => ({ file: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  console.log(`${'file'.padEnd(28)} ${'raw KB'.padStart(7)} ${'gzip KB'.padStart(7)} ${'br KB'.padStart(7)}`);
  for (const r of [...rows, total]) console.log(`${r.file.padEnd(28)} ${kb(r.raw)} ${kb(r.gzip)} ${kb(r.brotli)}`);
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tables = [
    ['Every shop page:', WIDGET_FILES],
    ['The preferences dialog (after the banner, when idle, or on first use):', PREFS_FILES],
    ['A page with the rights-request form, in addition (English):', FORM_FILES],
    ['A page with the rights-request form, in addition (Dutch):', FORM_NL_FILES],
    ['A page with a held-back embed, in addition:', EMBEDS_FILES],
    ['A page with the cookie declaration, in addition:', DECLARATION_FILES],
  ];
  tables.forEach(([title, files], i) => {
    console.log(`${i ? '\n' : ''}${title}`);
    printTable(sizes(files));
  });
}
