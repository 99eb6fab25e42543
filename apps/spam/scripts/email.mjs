/**
 * A small RFC 5322 / MIME reader for the SpamAssassin corpus: headers
 * (unfolded, RFC 2047 encoded words decoded), multipart bodies (recursively),
 * base64 and quoted-printable transfer encodings, charsets through
 * TextDecoder, and HTML reduced to its text. Plain JavaScript with no
 * dependencies, so the data script runs before anything is built.
 *
 * A message is read as a latin1 string (one char per byte), so the raw bytes
 * survive until a part's charset is known.
 */

/** Decodes bytes in `charset`; unknown or broken labels fall back to windows-1252 (a superset of latin1 that browsers use for it). */
export function decodeBytes(bytes, charset) {
  const label = (charset || 'us-ascii').trim().toLowerCase().replace(/^["']|["']$/g, '');
  for (const candidate of [label, 'windows-1252']) {
    try {
      return new TextDecoder(candidate === 'us-ascii' ? 'windows-1252' : candidate).decode(bytes);
    } catch {
      // RangeError: the label is unknown to this Node's ICU; try the fallback.
    }
  }
  return Buffer.from(bytes).toString('latin1');
}

const latin1Bytes = (text) => Buffer.from(text, 'latin1');

/** Quoted-printable (RFC 2045 §6.7) → bytes: soft line breaks removed, `=XX` decoded, malformed `=` kept. */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const out = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 0x3d && /^[0-9a-f]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      out.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

/** Base64 → bytes; characters outside the alphabet are skipped (Buffer's lenient decoding). */
export const decodeBase64 = (text) => new Uint8Array(Buffer.from(text.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));

/** RFC 2047 encoded words (`=?charset?B|Q?text?=`) in a header value, decoded; whitespace between adjacent words dropped. */
export function decodeHeaderWords(value) {
  const word = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
  return value.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?)/g, '$1').replace(word, (_, charset, encoding, text) => {
    const bytes = encoding.toUpperCase() === 'B' ? decodeBase64(text) : decodeQuotedPrintable(text.replace(/_/g, ' '));
    return decodeBytes(bytes, charset.split('*')[0]);
  });
}

/**
 * Splits a message (or a MIME part) into its headers and body. Headers are
 * unfolded; names are lower-cased; repeated headers keep every value in order.
 * An mbox `From ` line at the top is not a header and is skipped.
 */
export function splitMessage(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const blank = text.search(/\n\n|^\n/);
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? '' : text.slice(blank + (text[blank + 1] === '\n' ? 2 : 1));
  const headers = new Map();
  let current = null;
  for (const line of head.split('\n')) {
    if (/^From /.test(line) && headers.size === 0 && current === null) continue;
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      current = null;
      continue;
    }
    current = { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
    if (!headers.has(current.name)) headers.set(current.name, []);
    headers.get(current.name).push(current);
  }
  const get = (name) => headers.get(name)?.map((h) => h.value) ?? [];
  return { headers: { get, first: (name) => get(name)[0] }, body };
}

/** `type/subtype; key=value; key="quoted value"` → `{ value, params }` (keys lower-cased). */
export function parseHeaderParams(header) {
  if (!header) return { value: '', params: {} };
  const [value, ...rest] = header.split(';');
  const params = {};
  for (const m of rest.join(';').matchAll(/([\w*.-]+)\s*=\s*("([^"]*)"|[^;\s]*)/g)) params[m[1].toLowerCase()] = m[3] ?? m[2];
  return { value: value.trim().toLowerCase(), params };
}

/**
 * Reads a message into its leaf parts: `{ type, charset, filename, disposition, text? }`,
 * where `text` is the decoded text of text/* parts. Nesting is followed up to `depth` levels.
 */
export function readParts(raw, depth = 8) {
  const { headers, body } = splitMessage(raw);
  const contentType = parseHeaderParams(headers.first('content-type') || 'text/plain');
  const disposition = parseHeaderParams(headers.first('content-disposition'));
  const type = contentType.value.includes('/') ? contentType.value : 'text/plain';
  if (type.startsWith('multipart/') && contentType.params.boundary && depth > 0) {
    const boundary = `--${contentType.params.boundary}`;
    const chunks = body.split('\n');
    const parts = [];
    let currentLines = null;
    for (const line of chunks) {
      if (line.startsWith(boundary)) {
        if (currentLines) parts.push(currentLines.join('\n'));
        currentLines = line.startsWith(`${boundary}--`) ? null : [];
        if (line.startsWith(`${boundary}--`)) break;
        continue;
      }
      if (currentLines) currentLines.push(line);
    }
    if (currentLines) parts.push(currentLines.join('\n'));
    // A multipart without any boundary line is read as one text part (broken spam does this).
    if (parts.length === 0) return [{ type: 'text/plain', charset: 'us-ascii', filename: null, disposition: '', text: body }];
    return parts.flatMap((part) => readParts(part, depth - 1));
  }
  if (type === 'message/rfc822' && depth > 0) return readParts(body, depth - 1);
  const encoding = (headers.first('content-transfer-encoding') || '').trim().toLowerCase();
  const filename = disposition.params.filename ?? contentType.params.name ?? null;
  const leaf = { type, charset: contentType.params.charset ?? 'us-ascii', filename: filename ? decodeHeaderWords(filename) : null, disposition: disposition.value };
  if (type.startsWith('text/')) {
    const bytes = encoding === 'base64' ? decodeBase64(body) : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : latin1Bytes(body);
    leaf.text = decodeBytes(bytes, leaf.charset);
  }
  return [leaf];
}

const ENTITIES = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', mdash: '—', ndash: '–', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', bull: '•' };

/** HTML → its visible text: scripts, styles, head and comments removed, block ends become line breaks, entities decoded. */
export function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|li|\/li|\/table|hr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code) => {
      if (code[0] === '#') {
        const n = code[1].toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[code.toLowerCase()] ?? entity;
    });
}

/** Collapses runs of spaces and blank lines. */
export const tidyText = (text) =>
  text
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** Mailbox addresses (`local@domain`) in an address header. */
export const addresses = (value) => [...(value ?? '').matchAll(/[\w.+'=-]+@([\w-]+(?:\.[\w-]+)+)/g)].map((m) => ({ address: m[0].toLowerCase(), domain: m[1].toLowerCase() }));

/** The hour (0-23) written in an RFC 5322 Date header, in the sender's own time zone; null when there is none. */
export function localHour(date) {
  const m = /\b(\d{1,2}):(\d{2})(?::\d{2})?\b/.exec(date ?? '');
  if (!m) return null;
  const hour = Number(m[1]);
  return hour >= 0 && hour < 24 ? hour : null;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s"'<>]+/gi;

/**
 * Everything the dataset needs from one raw message: the subject, the body
 * text (text/plain parts; HTML parts reduced to text when a message has no
 * plain part) and the header/structure features.
 */
export function readEmail(raw) {
  const { headers } = splitMessage(raw);
  const parts = readParts(raw);
  const textParts = parts.filter((p) => p.text !== undefined && p.disposition !== 'attachment' && !p.filename);
  const plain = textParts.filter((p) => p.type === 'text/plain');
  const html = textParts.filter((p) => p.type === 'text/html');
  const bodySource = plain.length > 0 ? plain.map((p) => p.text) : html.map((p) => htmlToText(p.text));
  const body = tidyText(bodySource.join('\n\n'));
  const everyText = textParts.map((p) => p.text).join('\n');
  const links = new Set([...everyText.matchAll(URL_PATTERN)].map((m) => m[0].replace(/[).,;]+$/, '').toLowerCase()));
  const subject = tidyText(decodeHeaderWords(headers.first('subject') ?? '')).replace(/\n/g, ' ');
  const from = addresses(decodeHeaderWords(headers.first('from') ?? ''))[0];
  const recipients = new Set([...headers.get('to'), ...headers.get('cc')].flatMap((v) => addresses(v).map((a) => a.address)));
  const letters = subject.replace(/[^\p{L}]/gu, '');
  const hour = localHour(headers.first('date'));
  return {
    subject,
    body,
    // An address at an IP literal (user@[1.2.3.4] or user@1.2.3.4) has no top-level domain.
    senderTld: from && /^[a-z]{2,}$/.test(from.domain.split('.').pop()) ? from.domain.split('.').pop() : null,
    features: {
      recipients: recipients.size,
      links: links.size,
      html: html.length > 0 ? 1 : 0,
      attachments: parts.filter((p) => p.disposition === 'attachment' || p.filename || !(p.type.startsWith('text/') || p.type.startsWith('multipart/'))).length,
      mimeParts: parts.length,
      hour,
      subjectLength: headers.first('subject') === undefined ? null : subject.length,
      subjectUppercase: letters.length === 0 ? null : letters.replace(/[^\p{Lu}]/gu, '').length / letters.length,
      subjectExclamations: (subject.match(/!/g) ?? []).length,
      bodyChars: body.length,
      receivedHops: headers.get('received').length,
      isReply: headers.first('in-reply-to') !== undefined || headers.first('references') !== undefined ? 1 : 0,
      replyToDiffers: (() => {
        const replyTo = addresses(headers.first('reply-to'))[0];
        return replyTo && from ? (replyTo.address !== from.address ? 1 : 0) : 0;
      })(),
    },
  };
}
