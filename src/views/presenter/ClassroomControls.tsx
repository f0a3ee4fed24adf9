/**
 * The header's classroom buttons. Normally: Share (C), Export, Present (P). In presenter mode the editing
 * chrome is gone and these stay: share (its QR code, for the class to scan), speaker window (S), full screen
 * (F), black screen (B), "Hide next" (the packets still to come in the sequence diagram: on by default, and
 * remembered; outside presenter mode the diagram has its own toggle) and leave (Esc).
 * Full screen and the speaker window are the shell's business (Fullscreen API, window.open): passed in.
 */
import { useActions, useWirewalk } from '../../state/context';
import { selectHideFuture } from '../../state/selectors';
import './ClassroomControls.css';

export interface ShellActions {
  fullscreen(): void;
  speaker(): void;
}

/** One button: its visible label, the key it answers to (shown as a hint), and what it does. */
interface Control {
  readonly label: string;
  readonly title: string;
  /** The key, shown beside the label (aria-hidden) and announced through aria-keyshortcuts. */
  readonly hint?: string;
  readonly keys?: string;
  /** An accessible name, where the label alone says too little. */
  readonly name?: string;
  readonly pressed?: boolean;
  onClick(): void;
}

function ControlButton({ label, title, hint, keys, name, pressed, onClick }: Control) {
  return (
    <button
      type="button"
      className="btn"
      aria-keyshortcuts={keys}
      aria-label={name}
      aria-pressed={pressed}
      title={title}
      onClick={() => onClick()}
    >
      {label}
      {hint ? (
        <>
          {' '}
          <kbd className="key-hint" aria-hidden="true">
            {hint}
          </kbd>
        </>
      ) : null}
    </button>
  );
}

export function ClassroomControls({ shell }: { readonly shell: ShellActions }) {
  const present = useWirewalk((s) => s.view.present);
  const blackout = useWirewalk((s) => s.blackout);
  const hideFuture = useWirewalk(selectHideFuture);
  const capture = useWirewalk((s) => s.timeline.capture !== undefined);
  const { openDialog, setPresent, setBlackout, toggleHideFuture } = useActions();
  const spoilers: Control = {
    label: 'Hide next',
    name: 'Hide next packets',
    title: 'Hide the packets that have not happened yet in the sequence diagram, so the class can guess them',
    pressed: hideFuture,
    onClick: toggleHideFuture,
  };
  const share = (title: string): Control => ({
    label: 'Share',
    hint: 'C',
    keys: 'C',
    title,
    onClick: () => openDialog('share'),
  });
  const controls: readonly Control[] = present
    ? [
        share('The link and its QR code, for the class to scan (C)'),
        {
          label: 'Speaker',
          hint: 'S',
          keys: 'S',
          name: 'Speaker window',
          title: 'Open the speaker window: narration, notes, the next step and a timer (S)',
          onClick: shell.speaker,
        },
        { label: 'Full screen', hint: 'F', keys: 'F', title: 'Full screen (F)', onClick: shell.fullscreen },
        {
          label: 'Black',
          hint: 'B',
          keys: 'B .',
          name: 'Black screen',
          title: 'Black screen (B or .)',
          pressed: blackout,
          onClick: () => setBlackout(!blackout),
        },
        spoilers,
        {
          label: 'Leave',
          hint: 'Esc',
          keys: 'Escape',
          name: 'Leave presenter mode',
          title: 'Leave presenter mode (Esc)',
          onClick: () => setPresent(false),
        },
      ]
    : [
        share('Links, QR code and embed code (C)'),
        // An opened capture is the user's own file already; its export (written for simulated Ethernet frames)
        // would not be the same bytes for other link layers, so it is not offered.
        ...(capture
          ? []
          : [
              {
                label: 'Export',
                title: 'Capture (.pcap), pictures for slides, timeline as text',
                onClick: () => openDialog('export'),
              },
            ]),
        {
          label: 'Present',
          hint: 'P',
          keys: 'P',
          title: 'Presenter mode: large type, clicker keys, black screen, speaker window (P)',
          onClick: () => setPresent(true),
        },
      ];
  return (
    <div className="classroom-controls" role="group" aria-label={present ? 'Presenter mode' : 'Classroom'}>
      {controls.map((c) => (
        <ControlButton key={c.label} {...c} />
      ))}
    </div>
  );
}
