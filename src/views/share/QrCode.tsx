/**
 * A QR code of a link, drawn as one SVG path of dark modules (crisp at any size on a projector), always dark
 * on white with the four-module quiet zone ISO/IEC 18004 §7.3.7 asks for, whatever the theme: phone cameras
 * read dark-on-light best. Error correction M (15%) survives a projector's glare and holds links up to 2 331
 * bytes; a longer link, up to the 2 953 bytes a QR code holds at all, is drawn at level L (7%), the densest
 * symbol there is (linkLength.ts has the capacities). The matrix comes from the `qrcode` library.
 */
import { create, type QRCodeErrorCorrectionLevel } from 'qrcode';
import { useMemo } from 'react';
import { QR_MAX_BYTES_LEVEL_M } from './linkLength';
import './QrCode.css';

export const QUIET_ZONE = 4;

/** The symbol's modules as an SVG path in module units, offset by the quiet zone. */
export function qrPath(text: string): {
  readonly size: number;
  readonly path: string;
  readonly level: QRCodeErrorCorrectionLevel;
} {
  const level = new TextEncoder().encode(text).length <= QR_MAX_BYTES_LEVEL_M ? 'M' : 'L';
  const { modules } = create(text, { errorCorrectionLevel: level });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) parts.push(`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { size: modules.size, path: parts.join(''), level };
}

export function QrCode({ text, label }: { readonly text: string; readonly label: string }) {
  const qr = useMemo(() => {
    try {
      return qrPath(text);
    } catch {
      return null; // longer than a QR code holds (the share dialog says so before it gets here)
    }
  }, [text]);
  if (!qr) return <p className="qr-missing">This link is too long for a QR code; copy it instead.</p>;
  const span = qr.size + 2 * QUIET_ZONE;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${span} ${span}`}
      shapeRendering="crispEdges"
      data-modules={qr.size}
      data-level={qr.level}
    >
      <rect width={span} height={span} fill="#ffffff" />
      <path d={qr.path} fill="#000000" />
    </svg>
  );
}
