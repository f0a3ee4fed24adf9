import { idleLines } from '../../src/views/wire/idle';
import { FIXTURE, STEPS } from './fixture';

describe('idleLines', () => {
  it('reports state changes since the previous step', () => {
    const est = STEPS.findIndex((s) => s.kind === 'state');
    expect(idleLines(FIXTURE, STEPS[est])).toEqual([
      { kind: 'state', text: 'Server TCP: SYN_RECEIVED → ESTABLISHED' },
    ]);
    // The first step: everything starts CLOSED, the server is listening.
    expect(idleLines(FIXTURE, STEPS[0])).toContainEqual({
      kind: 'state',
      text: 'Server TCP: CLOSED → LISTEN',
    });
  });

  it('names the program line that ran and what it printed', () => {
    const onopen = STEPS.findIndex((s) => s.title === 'onopen');
    expect(idleLines(FIXTURE, STEPS[onopen])).toEqual([
      { kind: 'state', text: 'Browser WebSocket: CONNECTING → OPEN' },
      { kind: 'code', text: "client.js:2  ws.onopen = () => console.log('connected');" },
      { kind: 'console', text: 'Server console › connected' },
    ]);
    expect(idleLines(FIXTURE, undefined)).toEqual([]);
  });

  it('reports a WebSocket readyState change', () => {
    const syn = STEPS.findIndex((s) => s.packet === 0);
    expect(idleLines(FIXTURE, STEPS[syn]).map((l) => l.text)).toContain(
      'Browser WebSocket: none → CONNECTING',
    );
  });
});
