// @vitest-environment jsdom
/**
 * The speaker window's view on a real timeline: the current narration, the teacher's notes, the next step's
 * title, a timer; its buttons step the lesson and black the class's screen.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { lessonById } from '../../src/lesson/catalogue';
import { lessonContent } from '../../src/lesson/content';
import { loadLessonContent } from '../../src/state/lesson';

beforeAll(() => loadLessonContent());
import { storeFromLink } from '../../src/state/boot';
import { StoreProvider } from '../../src/state/context';
import { withoutSpeaker } from '../../src/state/links';
import { SpeakerView } from '../../src/views/speaker/SpeakerView';

function renderSpeaker(link: string) {
  const store = storeFromLink(withoutSpeaker(link).search, { reducedMotion: true });
  render(
    <StoreProvider store={store}>
      <SpeakerView />
    </StoreProvider>,
  );
  return store;
}

describe('SpeakerView', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the narration, the lesson’s notes and the next step’s title', () => {
    const store = renderSpeaker('?lesson=tcp&step=4&present=1&speaker=1');
    const t = store.getState().timeline;
    expect(screen.getByRole('heading', { level: 2, name: t.steps[3]!.title })).toBeInTheDocument();
    expect(screen.getByText(t.steps[3]!.text)).toBeInTheDocument();
    expect(screen.getByText(lessonContent('tcp')!.teacherNotes)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Next · step 5' })).toBeInTheDocument();
    expect(screen.getByText(t.steps[4]!.title, { selector: '.speaker-next-title' })).toBeInTheDocument();
    expect(document.title).toBe(`Speaker notes · ${lessonById('tcp')!.title}`);
  });

  it('steps with its buttons; at the end, the next step is the questions', () => {
    const store = renderSpeaker('?lesson=tcp&step=4&present=1');
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    expect(store.getState().cursor).toBe(4);
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    expect(store.getState().cursor).toBe(2);
    act(() => store.getState().last());
    expect(screen.getByText(/time for the questions/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next →' })).toBeDisabled();
  });

  it('blacks the class’s screen and says it is black', () => {
    const store = renderSpeaker('?lesson=tcp&step=4&present=1');
    fireEvent.click(screen.getByRole('button', { name: 'Black screen' }));
    expect(store.getState().blackout).toBe(true);
    expect(screen.getByRole('status')).toHaveTextContent('The class sees a black screen');
    fireEvent.click(screen.getByRole('button', { name: 'Show the screen again' }));
    expect(store.getState().blackout).toBe(false);
  });

  it('times the talk, and the timer pauses and resets', () => {
    vi.useFakeTimers();
    renderSpeaker('?lesson=tcp&step=1&present=1');
    const timer = screen.getByRole('timer');
    expect(timer).toHaveTextContent('0:00');
    act(() => vi.advanceTimersByTime(65_000));
    expect(timer).toHaveTextContent('1:05');
    fireEvent.click(screen.getByRole('button', { name: 'Pause timer' }));
    act(() => vi.advanceTimersByTime(30_000));
    expect(timer).toHaveTextContent('1:05');
    fireEvent.click(screen.getByRole('button', { name: 'Resume timer' }));
    act(() => vi.advanceTimersByTime(5_000));
    expect(timer).toHaveTextContent('1:10');
    fireEvent.click(screen.getByRole('button', { name: 'Reset timer' }));
    expect(timer).toHaveTextContent('0:00');
  });
});
