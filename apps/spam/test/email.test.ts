import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { decodeHeaderWords, decodeQuotedPrintable, htmlToText, localHour, readEmail } from '../scripts/email.mjs';
// @ts-expect-error: a plain ES module without type declarations
import { jaccard, nearDuplicateGroups, shingles } from '../scripts/near-duplicates.mjs';

const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('email reader', () => {
  it('reads headers, a multipart body with quoted-printable and base64 parts, and the structure features', () => {
    const raw = [
      'From sender@example.com  Mon Sep  2 10:00:00 2002',
      'From: "Ann" <ann@shop.example.de>',
      'To: bob@a.org, carol@b.org',
      'Cc: dave@c.org',
      'Reply-To: offers@elsewhere.com',
      'Subject: =?utf-8?B?R3LDvMOfZQ==?= FREE!!',
      'Date: Mon, 2 Sep 2002 03:15:00 +0200',
      'Received: from a by b',
      'Received: from c',
      '  by d',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="XYZ"',
      '',
      'preamble',
      '--XYZ',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 prices: visit http://deal.example.com/now and www.deal.example.com/2 =',
      'today.',
      '--XYZ',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<html><head><title>x</title></head><body><p>Hi&nbsp;there</p><a href="http://deal.example.com/now">go</a></body></html>').toString('base64'),
      '--XYZ',
      'Content-Type: application/pdf; name="offer.pdf"',
      'Content-Disposition: attachment; filename="offer.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
      '--XYZ--',
      '',
    ].join('\n');
    const email = readEmail(latin1(raw));
    expect(email.subject).toBe('Grüße FREE!!');
    expect(email.body).toBe('Café prices: visit http://deal.example.com/now and www.deal.example.com/2 today.');
    expect(email.senderTld).toBe('de');
    expect(email.features).toMatchObject({
      recipients: 3,
      links: 2,
      html: 1,
      attachments: 1,
      mimeParts: 3,
      hour: 3,
      subjectLength: 12,
      subjectExclamations: 2,
      receivedHops: 2,
      isReply: 0,
      replyToDiffers: 1,
    });
  });

  it('reduces an HTML-only message to its visible text and marks absent headers as missing', () => {
    const raw = 'Content-Type: text/html; charset=iso-8859-1\n\n<style>p{}</style><p>Win &amp; save&#33;</p><br><!-- hidden --><b>Now</b>\n';
    const email = readEmail(raw);
    expect(email.body).toBe('Win & save!\n\nNow');
    expect(email.subject).toBe('');
    expect(email.senderTld).toBeNull();
    expect(email.features.hour).toBeNull();
    expect(email.features.subjectLength).toBeNull();
    expect(email.features.html).toBe(1);
  });

  it('decodes the transfer and header encodings on their own', () => {
    expect(Buffer.from(decodeQuotedPrintable('a=3Db=\nc =ZZ')).toString('latin1')).toBe('a=bc =ZZ');
    expect(decodeHeaderWords('=?iso-8859-1?Q?caf=E9_au_lait?= =?us-ascii?Q?!?=')).toBe('café au lait!');
    expect(htmlToText('<script>var x;</script>a&lt;b')).toBe(' a<b');
    expect(localHour('Thu, 22 Aug 2002 18:26:25 +0700')).toBe(18);
    expect(localHour('not a date')).toBeNull();
  });
});

describe('near-duplicate groups', () => {
  it('joins a template sent with other numbers and names, and keeps different texts apart', () => {
    const offer = (name: string, price: number) =>
      `Dear ${name}, our best offer of the year: order today and pay only ${price} dollars for a whole month of premium conference calls with no setup fees and no contracts, reply now to claim it before the weekend`;
    const texts = [offer('Ann', 18), 'A completely different message about the kernel build failing on my laptop again after the update', offer('Bob', 25), ''];
    expect(jaccard(shingles(texts[0]), shingles(texts[2]))).toBeGreaterThan(0.7);
    const { group, pairs } = nearDuplicateGroups(texts, 0.7);
    expect(group).toEqual([0, 1, 0, 3]);
    expect(pairs).toBe(1);
  });
});
