import { DEFAULT_VIEW, LINK_BUDGET, parseLink, writeLink, type ViewState } from '../../src/lesson/link';
import { lessonScenario, lessonsInOrder } from '../../src/lesson/catalogue';
import { loadStoreFromLink, storeFromLink } from '../../src/state/boot';
import {
  absoluteLink,
  embedQuery,
  iframeSnippet,
  linkFor,
  linkLength,
  pageBase,
  speakerQuery,
  startQuery,
  stepQuery,
  withoutSpeaker,
} from '../../src/state/links';

describe('links for sharing', () => {
  const store = storeFromLink('?lesson=masking&seed=7&m=c:Hi%20there&m=s:yo&step=12&present=1');
  const s = store.getState();

  it('this step: the same scenario and step, without presenter mode', () => {
    const { state, problems } = parseLink(stepQuery(s));
    expect(problems).toEqual([]);
    expect(state.scenario).toEqual(s.scenario);
    expect(state.view).toEqual({ step: 12, present: false, embed: false, from: null, to: null });
  });

  it('from the start: the same scenario and no step', () => {
    const { state } = parseLink(startQuery(s));
    expect(state.scenario).toEqual(s.scenario);
    expect(state.view.step).toBeNull();
  });

  it('the address bar keeps presenter mode', () => {
    expect(parseLink(linkFor(s)).state.view).toMatchObject({ step: 12, present: true });
  });

  it('embed: embed=1, the range, and the step only when it lies inside the range', () => {
    expect(parseLink(embedQuery(s, null, null)).state.view).toEqual({
      step: 12,
      present: false,
      embed: true,
      from: null,
      to: null,
    });
    expect(parseLink(embedQuery(s, 10, 20)).state.view).toMatchObject({ step: 12, from: 10, to: 20 });
    expect(parseLink(embedQuery(s, 14, 20)).state.view).toMatchObject({ step: null, from: 14, to: 20 });
  });

  it('a typical lesson link with a few custom messages stays under 300 characters', async () => {
    for (const lesson of lessonsInOrder()) {
      const st = (
        await loadStoreFromLink(
          `?lesson=${lesson.id}&m=c:Hello%20class&m=s:Welcome!&m=c:What%20is%20a%20frame%3F&step=40`,
        )
      ).getState();
      const url = absoluteLink('https://teacher.example.org/wirewalk/index.html', stepQuery(st));
      expect(url.length, url).toBeLessThan(300);
      expect(parseLink(url).state.scenario.messages).toHaveLength(3);
    }
  });

  it('absolute links drop the old query and hash, for http and for the single file on file://', () => {
    expect(pageBase('https://x.org/a/b/?lesson=tcp#top')).toBe('https://x.org/a/b/');
    expect(absoluteLink('file:///media/usb/wirewalk.html?step=3', 'lesson=tcp')).toBe(
      'file:///media/usb/wirewalk.html?lesson=tcp',
    );
  });

  it('the iframe snippet is titled after the lesson and escapes what HTML would misread', () => {
    const html = iframeSnippet('https://x.org/?lesson=tcp&embed=1', 'Say "hi" & <go>');
    expect(html).toBe(
      '<iframe src="https://x.org/?lesson=tcp&amp;embed=1" title="Wirewalk: Say &quot;hi&quot; &amp; &lt;go&gt;" ' +
        'width="960" height="600" loading="lazy"></iframe>',
    );
    const doc = new DOMParserLike(html);
    expect(doc.attr('src')).toBe('https://x.org/?lesson=tcp&embed=1');
    expect(doc.attr('title')).toBe('Wirewalk: Say "hi" & <go>');
  });
});

describe('links are written once per scenario, then only the step changes', () => {
  const views: ViewState[] = [
    { step: null, present: false, embed: false, from: null, to: null },
    { step: 3, present: true, embed: false, from: null, to: null },
    { step: null, present: false, embed: true, from: 2, to: 9 },
    { step: null, present: false, embed: true, from: null, to: 40 },
  ];
  const links = [
    '?lesson=websocket',
    '?lesson=masking&seed=7&m=c:Hi%20there&m=s:yo',
    // Values that look like parameters: '&' and '=' are escaped, so the cut can only fall at the real step.
    '?lesson=websocket&m=c:%26step%3D1&m=s:step=1&m=c:a%26present%3D1',
    '?lesson=websocket&m=',
    // Past LINK_BUDGET: the scenario goes compressed into the fragment.
    `?lesson=socketio&seed=9&${Array.from({ length: 60 }, (_, i) => `m=c:message%20${i}%20${'x'.repeat(i)}`).join('&')}`,
  ];

  it('every link builder writes exactly what writeLink writes, at every step', () => {
    for (const link of links) {
      const { scenario } = parseLink(link).state;
      for (const view of views) {
        for (const cursor of [0, 8, 9, 99, 1234]) {
          const state = { scenario, view, cursor };
          const full = (v: ViewState) =>
            writeLink({ scenario, view: v }, { includeStep: true, includeView: true });
          const plain = { step: null, present: false, embed: false, from: null, to: null };
          expect(linkFor(state)).toBe(full({ ...view, step: cursor + 1 }));
          expect(linkLength(state)).toBe(linkFor(state).length);
          expect(stepQuery(state)).toBe(full({ ...plain, step: cursor + 1 }));
          expect(startQuery(state)).toBe(full(plain));
          for (const [from, to] of [
            [null, null],
            [5, 50],
            [20, 30],
          ] as const) {
            const step = cursor + 1;
            const inside = (from === null || step >= from) && (to === null || step <= to);
            expect(embedQuery(state, from, to)).toBe(
              full({ ...plain, embed: true, from, to, step: inside ? step : null }),
            );
          }
        }
      }
    }
  });

  it('a long scenario: a short query that changes with the step, and the same #z= fragment', () => {
    const { scenario } = parseLink(links.at(-1)!).state;
    const view = { step: null, present: true, embed: false, from: null, to: null };
    const [a, b] = [3, 40].map((cursor) => linkFor({ scenario, view, cursor }).split('#'));
    expect(a![0]).toBe('lesson=socketio&step=4&present=1');
    expect(b![0]).toBe('lesson=socketio&step=41&present=1');
    expect(a![1]).toMatch(/^z=/);
    expect(b![1]).toBe(a![1]);
    expect(parseLink(`?${b!.join('#')}`)).toEqual({
      state: { scenario, view: { ...view, step: 41 } },
      problems: [],
    });
    const speaker = speakerQuery({ scenario, view, cursor: 3 });
    expect(speaker).toBe(`lesson=socketio&step=4&present=1&speaker=1#${a![1]}`);
    expect(LINK_BUDGET).toBe(2000);
  });

  it('a new scenario gets its own link (scenarios are compared by identity, never by a stale cut)', () => {
    const a = parseLink('?lesson=websocket&m=c:one').state.scenario;
    const b = { ...a, messages: [{ from: 'c' as const, text: 'two' }] };
    const view = { step: null, present: false, embed: false, from: null, to: null };
    expect(linkFor({ scenario: a, view, cursor: 0 })).toContain('m=c:one');
    expect(linkFor({ scenario: b, view, cursor: 0 })).toContain('m=c:two');
    expect(linkFor({ scenario: a, view, cursor: 0 })).toContain('m=c:one');
  });
});

describe('the speaker window link', () => {
  it('is the step link in presenter mode plus speaker=1, which the shell takes away before parsing', () => {
    const s = storeFromLink(`?lesson=${lessonsInOrder()[2]!.id}&step=5`).getState();
    const q = speakerQuery(s);
    expect(q.endsWith('&speaker=1')).toBe(true);
    const { search, speaker } = withoutSpeaker(`?${q}`);
    expect(speaker).toBe(true);
    const { state, problems } = parseLink(search);
    expect(problems).toEqual([]);
    expect(state.scenario).toEqual(lessonScenario(lessonsInOrder()[2]!.id));
    expect(state.view).toMatchObject({ step: 5, present: true });
  });

  it('withoutSpeaker leaves every other pair exactly as written', () => {
    expect(withoutSpeaker('?lesson=tcp&m=c:a%26b&speaker=1&step=2')).toEqual({
      search: '?lesson=tcp&m=c:a%26b&step=2',
      speaker: true,
    });
    expect(withoutSpeaker('?speaker=0&lesson=tcp')).toEqual({ search: '?lesson=tcp', speaker: false });
    expect(withoutSpeaker('?lesson=tcp')).toEqual({ search: '?lesson=tcp', speaker: false });
    expect(withoutSpeaker('?speaker=1')).toEqual({ search: '', speaker: true });
    expect(withoutSpeaker('')).toEqual({ search: '', speaker: false });
    // The page passes the fragment too: a long link's #z= stays with it.
    expect(withoutSpeaker('?lesson=tcp&speaker=1#z=AbC$')).toEqual({
      search: '?lesson=tcp#z=AbC$',
      speaker: true,
    });
    expect(withoutSpeaker('?lesson=tcp#z=AbC')).toEqual({ search: '?lesson=tcp#z=AbC', speaker: false });
  });
});

/** Reads attributes the way an HTML parser would (entity decoding), without a DOM in this node test. */
class DOMParserLike {
  constructor(private readonly html: string) {}
  attr(name: string): string {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(this.html);
    if (!m) throw new Error(`no ${name}`);
    return m[1]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
}

describe('a store opened from a compressed link', () => {
  it('hands out the fragment it was opened with instead of compressing the scenario again', () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({
      from: 'c' as const,
      text: `m${i} `.repeat(30),
    }));
    const written = writeLink({ scenario: { ...lessonScenario('websocket'), messages }, view: DEFAULT_VIEW });
    const packed = written.slice(written.indexOf('#z=') + 3);
    expect(packed.length).toBeGreaterThan(0);
    // lz-string's stream ends with its own end marker, so characters after it change nothing: another text
    // for the same link, which Wirewalk's own compression would never write.
    const other = `${packed}AAAA`;
    const store = storeFromLink(`?${written.slice(0, written.indexOf('#'))}#z=${other}`);
    expect(store.getState().scenario.messages).toEqual(messages);
    expect(linkFor(store.getState()).endsWith(`#z=${other}`)).toBe(true);
  });
});
