/**
 * Issue 11, "every sentence true": every field explanation the inspector shows a learner (and every error text a
 * learner may meet when a capture or an edited value is bad), and the websocket story's program text, has its
 * source named in a comment beside it (tests/support/sources.ts). No literal of these files is left out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unsourcedProse } from '../support/sources';

const FILES = [
  'src/protocol/ethernet.ts',
  'src/protocol/ipv4.ts',
  'src/protocol/ipv6.ts',
  'src/protocol/arp.ts',
  'src/protocol/tcp.ts',
  'src/protocol/sll.ts',
  'src/protocol/loopback.ts',
  'src/protocol/pcap.ts',
  'src/protocol/fields.ts',
  'src/sim/stories/websocket/programs.ts',
];

describe('field explanations and program text: every sentence names its source', () => {
  for (const file of FILES) {
    it(file, () => {
      expect(unsourcedProse(file, readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
