// Reading the mail the local send_email simulator wrote, as a mail client would:
// quoted-printable bodies, RFC 2047 encoded words in headers, folded header lines.

/** Quoted-printable body of a raw mail, decoded; headers as they are. */
export function decodeMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n').replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '=' && /^[0-9A-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(body[i]));
  }
  return { head, body: Buffer.from(bytes).toString('utf8') };
}

/** Whether a raw mail's To: (not Reply-To:) is `address`. */
export const sentTo = (raw, address) => raw.split(/\r?\n/).includes(`To: <${address}>`);

/** The raw (still encoded, unfolded) value of a header field. */
export function rawHeader(raw, name) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]/g, (fold) => fold.slice(-1));
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** A header value decoded: `=?UTF-8?B?...?=` words joined (whitespace between them dropped). */
export function decodeHeader(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b64) => `\u0000${b64}\u0000`)
    .split('\u0000')
    .map((part, i) => (i % 2 ? Buffer.from(part, 'base64') : Buffer.from(part)))
    .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0))
    .toString('utf8');
}

/** Fires the cron handler at a chosen time (miniflare's trigger passes `time` on). */
export function scheduledAt(worker, ms) {
  return fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('*/15 * * * *')}&time=${ms}`);
}
