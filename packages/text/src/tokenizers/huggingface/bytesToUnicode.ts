/**
 * GPT-2's reversible byte → printable-character table (`bytes_to_unicode` in
 * openai/gpt-2 and HuggingFace's ByteLevel): printable Latin-1 bytes map to
 * themselves, the other 68 bytes to code points 256 and up, so every byte
 * string becomes a string without whitespace or control characters.
 */
function buildTable(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + next++);
  }
  return table;
}

export const byteToUnicode: readonly string[] = buildTable();
export const unicodeToByte: ReadonlyMap<string, number> = new Map(byteToUnicode.map((ch, b) => [ch, b]));

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function bytesToUnicodeString(text: string): string {
  let out = '';
  for (const b of encoder.encode(text)) out += byteToUnicode[b];
  return out;
}

export function unicodeStringToText(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const b = unicodeToByte.get(ch);
    if (b !== undefined) bytes.push(b);
    else bytes.push(...encoder.encode(ch));
  }
  return decoder.decode(new Uint8Array(bytes));
}
