/**
 * Scan a QR code the way a phone would: rasterise the SVG on screen (its path of dark modules, nothing else)
 * and decode the pixels with jsQR, an independent reader.
 */
import jsQR from 'jsqr';

export function scanQrSvg(svg: SVGSVGElement, scale = 6): string | null {
  const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number) as [number, number, number, number];
  const d = svg.querySelector('path')!.getAttribute('d')!;
  const dark = new Set<string>();
  for (const m of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) dark.add(`${m[1]},${m[2]}`);
  const width = w * scale;
  const height = h * scale;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = dark.has(`${Math.floor(x / scale)},${Math.floor(y / scale)}`) ? 0 : 255;
      const i = (y * width + x) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = v;
      pixels[i + 3] = 255;
    }
  }
  return jsQR(pixels, width, height)?.data ?? null;
}
