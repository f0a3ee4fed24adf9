/**
 * Presenter mode's black screen (B or `.`, as presentation clickers send): a black layer over everything,
 * announced, so the class looks at the teacher. Any key of the map, or a click, brings the picture back.
 */
import { useActions, useWirewalk } from '../../state/context';
import './Blackout.css';

export function Blackout() {
  const blackout = useWirewalk((s) => s.blackout);
  const present = useWirewalk((s) => s.view.present);
  const { setBlackout } = useActions();
  return (
    <>
      <p className="visually-hidden" aria-live="assertive">
        {blackout ? 'The screen is black. Press B, full stop or Escape to show the lesson again.' : ''}
      </p>
      {blackout && present ? (
        <div className="blackout" data-testid="blackout" onClick={() => setBlackout(false)} />
      ) : null}
    </>
  );
}
