/** How the asides write numbers, bytes, durations and quoted text. */
import { toHex } from '../../protocol/bytes';

export function quote(text: string, max = 30): string {
  const chars = Array.from(text);
  return JSON.stringify(chars.length > max ? chars.slice(0, max).join('') + '…' : text);
}

export function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

export function ms(n: number): string {
  return `${Number(n.toFixed(3))} ms`;
}

/** A longer span of simulated time, rounded for reading aloud: `954 ms`, `44.8 s`. */
export function span(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${Number((n / 1000).toFixed(1))} s`;
}

/** The first `max` bytes in hex, with an ellipsis when there are more. */
export function byteList(data: Uint8Array, max: number): string {
  return toHex(data.subarray(0, max)) + (data.length > max ? ' …' : '');
}

export const TEXT = new TextDecoder('utf-8');
