/**
 * Every sentence in the OSI walk, TLS, shared step narration and websocket story files names its source beside
 * it (issue 11, "every sentence true"; the check is tests/support/sources.ts).
 */
import { readFileSync } from 'node:fs';
import { unsourcedProse } from '../support/sources';

const files = [
  'src/sim/steps/narration.ts',
  'src/sim/steps/osi.ts',
  'src/sim/steps/phrases.ts',
  'src/sim/steps/programText.ts',
  'src/sim/steps/recorder.ts',
  'src/sim/steps/scheme.ts',
  'src/sim/steps/tls.ts',
  'src/sim/stories/websocket/narration.ts',
  'src/sim/stories/websocket/timeline.ts',
];

/** osi.ts's router walk (from this line on) is checked by its own owner's test, not here. */
const ROUTER_WALK = '/** The steps at one router';

function checked(file: string): string {
  const text = readFileSync(file, 'utf8');
  const at = file.endsWith('/osi.ts') ? text.indexOf(ROUTER_WALK) : -1;
  return at < 0 ? text : text.slice(0, at);
}

describe('the websocket story and the shared steps name a source for every sentence', () => {
  it.each(files)('%s', (file) => {
    expect(unsourcedProse(file, checked(file))).toEqual([]);
  });

  it('checks the part of osi.ts before the router walk, which is there', () => {
    const text = readFileSync('src/sim/steps/osi.ts', 'utf8');
    expect(text.indexOf(ROUTER_WALK)).toBeGreaterThan(text.length / 2);
  });
});
