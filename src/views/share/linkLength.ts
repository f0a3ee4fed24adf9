/**
 * How long a shared link may be, and what the share dialog says about one that is long. The links Wirewalk
 * writes are ASCII (serialiseLink percent-encodes everything else as UTF-8 %XX), so their length in characters
 * is their length in bytes, and in a QR code's byte mode each character is one byte.
 */

/**
 * The most a QR code holds in byte mode: version 40 (177×177 modules) at error correction level L, 2 953
 * bytes; at level M, 2 331. ISO/IEC 18004:2015, Table 7 ("Number of symbol characters and input data
 * capacity for QR Code"), the 8-bit byte column of version 40. The `qrcode` library refuses longer data.
 */
export const QR_MAX_BYTES = 2953;
export const QR_MAX_BYTES_LEVEL_M = 2331;

/**
 * About where links start to break when pasted into chat apps, e-mail or forums: no standard sets it
 * (RFC 9110 §4.1 only recommends that senders and recipients support URIs of at least 8 000 octets), but
 * the long-standing practical limit is about 2 000 characters (Internet Explorer's 2 083), beyond which
 * chat apps and link previews may cut or mangle a link.
 */
export const CHAT_SAFE_LENGTH = 2000;

/** The marker of the compressed form Wirewalk writes long links in: a fragment, never sent to a server. */
export const COMPRESSED_MARK = '#z=';

/** A count for people: digits grouped in threes with a no-break space, as "2 953". */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

/** "1 character", "2 953 characters". */
export function characters(n: number): string {
  return `${groupDigits(n)} character${n === 1 ? '' : 's'}`;
}

/** Whether a link fits in a QR code at all (level L, version 40). */
export function fitsQrCode(link: string): boolean {
  return new TextEncoder().encode(link).length <= QR_MAX_BYTES;
}

/**
 * Why `link` cannot be a QR code, and what to do instead; `shorter` names a shorter link on the dialog that
 * does fit (the link from the start), if there is one.
 */
export function tooLongForQr(link: string, shorter: string | null): string {
  const instead = shorter
    ? `Choose “${shorter}” below for a code to scan, or copy the link and send it.`
    : 'Copy the link instead and send it (e-mail, the course page), or share a shorter scenario (fewer or shorter messages) for a code to scan.';
  return (
    `This link is too long for a QR code: ${characters(link.length)}; a QR code holds at most ` +
    `${groupDigits(QR_MAX_BYTES)}. ${instead}`
  );
}

/**
 * What the dialog says about a link longer than chat apps reliably keep, or null for a shorter one; `name`
 * is how the sentence starts ("The link to step 3").
 */
export function longLinkWarning(link: string, name = 'This link'): string | null {
  if (link.length <= CHAT_SAFE_LENGTH) return null;
  const compressed = link.includes(COMPRESSED_MARK)
    ? `Wirewalk already wrote it in the compressed form (${COMPRESSED_MARK}…, after the #, which no server sees). `
    : '';
  return (
    `${name} is ${characters(link.length)} long. ${compressed}Some chat apps may cut links longer than about ` +
    `${groupDigits(CHAT_SAFE_LENGTH)} characters: check that it opens after pasting, or send it by e-mail.`
  );
}
