// @vitest-environment jsdom
/**
 * The narration's Q/M tags explain themselves: their question or misconception from the curriculum map as
 * their name and tooltip, and a link to the step the map names for them.
 */
import { act, screen } from '@testing-library/react';
import { CURRICULUM_MAP } from '../../src/lesson/curriculum';
import { loadLessonContent } from '../../src/state/lesson';
import type { Timeline } from '../../src/sim/types';
import { Narration } from '../../src/views/narration/Narration';
import { renderWithStore } from '../support/renderWithStore';
import { FIXTURE, STEPS } from './fixture';

const tagged = STEPS.findIndex((s) => s.curriculum?.includes('Q11') && s.curriculum.includes('M3'));
const textOf = (id: string) => CURRICULUM_MAP.find((e) => e.id === id)!.text;

describe('curriculum tags', () => {
  it('before the lesson content (which carries the map) has loaded: the bare ids; then links', async () => {
    const { store } = renderWithStore(<Narration />, { step: tagged + 1 });
    act(() => store.setState({ lessonContentReady: false })); // as on a page whose content is on its way
    expect(screen.getByText('Q11').tagName).toBe('SPAN');
    expect(screen.queryByRole('link')).toBeNull();
    await loadLessonContent();
    act(() => store.getState().markLessonContentReady());
    expect(screen.getByRole('link', { name: /^Q11:/ })).toBeInTheDocument();
  });

  it('each tag is a link named by its question or misconception, to the step the map names', () => {
    renderWithStore(<Narration />, { step: tagged + 1 });
    const q = screen.getByRole('link', { name: `Q11: ${textOf('Q11')}` });
    expect(q).toHaveTextContent(/^Q11$/);
    // The fixture's lesson (websocket) has no Q11 entry in the map: the map's first, the tcp lesson's step 12.
    expect(q).toHaveAttribute('href', '?lesson=tcp&step=12');
    expect(q).toHaveAccessibleDescription(/^Question Q11: .*Curriculum map: “.*”, step 12/s);
    const m = screen.getByRole('link', { name: `M3: ${textOf('M3')}` });
    expect(m.getAttribute('title')).toMatch(/^Misconception M3: /);
  });

  it("prefers the map's entry for the lesson being shown", () => {
    const timeline: Timeline = { ...FIXTURE, scenario: { ...FIXTURE.scenario, lesson: 'tcp' } };
    renderWithStore(<Narration />, { timeline, step: tagged + 1 });
    const tcpEntries = CURRICULUM_MAP.filter((e) => e.id === 'M3' && e.lesson === 'tcp');
    expect(screen.getByRole('link', { name: /^M3:/ })).toHaveAttribute(
      'href',
      `?lesson=tcp&step=${tcpEntries[0]!.step}`,
    );
  });

  it("links to the map entry's variant when it names one (emit=room)", () => {
    const timeline: Timeline = { ...FIXTURE, scenario: { ...FIXTURE.scenario, lesson: 'emit' } };
    const steps = timeline.steps.map((s, i) => (i === tagged ? { ...s, curriculum: ['Q13'] } : s));
    renderWithStore(<Narration />, { timeline: { ...timeline, steps }, step: tagged + 1 });
    const entry = CURRICULUM_MAP.find((e) => e.id === 'Q13' && e.lesson === 'emit')!;
    expect(entry.params).toBe('emit=room');
    expect(screen.getByRole('link', { name: /^Q13:/ })).toHaveAttribute(
      'href',
      `?lesson=emit&emit=room&step=${entry.step}`,
    );
  });

  it('an id the map does not know stays a plain tag', () => {
    const steps = FIXTURE.steps.map((s, i) => (i === tagged ? { ...s, curriculum: ['Q99'] } : s));
    renderWithStore(<Narration />, { timeline: { ...FIXTURE, steps }, step: tagged + 1 });
    expect(screen.getByText('Q99').tagName).toBe('SPAN');
  });
});
