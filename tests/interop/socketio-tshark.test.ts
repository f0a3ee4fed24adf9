/**
 * Wireshark's verdict on Socket.IO captures (the same judge as `npm run test:wire:matrix`): checksums,
 * nothing malformed, no unexplained expert warning, and the Engine.IO text of every HTTP body and
 * WebSocket frame, connection by connection, equal to what the timeline says. Skipped without tshark.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketIoSelfTest } from '../../scripts/wire-matrix-socketio';
import { runSocketIoMatrix } from '../../scripts/wire-matrix-socketio';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasTshark())('tshark on the Socket.IO captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirewalk-sio-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('catches a corrupted byte and a wrong Engine.IO text (the judge can fail)', () => {
    expect(socketIoSelfTest(dir)).toEqual([]);
  });

  it(
    'finds nothing wrong in any capture, at the browser’s card or at the server’s',
    { timeout: 120_000 },
    () => {
      const results = runSocketIoMatrix(dir);
      expect(results.length).toBeGreaterThanOrEqual(20);
      expect(
        results.filter((r) => r.problems.length > 0).map((r) => `${r.name}: ${r.problems.join('; ')}`),
      ).toEqual([]);
    },
  );
});
