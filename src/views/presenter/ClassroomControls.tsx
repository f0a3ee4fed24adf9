/**
 * The header's classroom buttons. Normally: Share (C), Export, Present (P). In presenter mode the editing
 * chrome is gone and these stay: share (its QR code, for the class to scan), speaker window (S), full screen
 * (F), black screen (B) and leave (Esc).
 * Full screen and the speaker window are the shell's business (Fullscreen API, window.open): passed in.
 */
import { useActions, useWirewalk } from '../../state/context';

export interface ShellActions {
  fullscreen(): void;
  speaker(): void;
}

function Key({ k }: { readonly k: string }) {
  return (
    <kbd className="key-hint" aria-hidden="true">
      {k}
    </kbd>
  );
}

export function ClassroomControls({ shell }: { readonly shell: ShellActions }) {
  const present = useWirewalk((s) => s.view.present);
  const blackout = useWirewalk((s) => s.blackout);
  const { openDialog, setPresent, setBlackout } = useActions();
  if (present) {
    return (
      <div className="classroom-controls" role="group" aria-label="Presenter mode">
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="C"
          title="The link and its QR code, for the class to scan (C)"
          onClick={() => openDialog('share')}
        >
          Share <Key k="C" />
        </button>
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="S"
          aria-label="Speaker window"
          title="Open the speaker window: narration, notes, the next step and a timer (S)"
          onClick={shell.speaker}
        >
          Speaker <Key k="S" />
        </button>
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="F"
          title="Full screen (F)"
          onClick={shell.fullscreen}
        >
          Full screen <Key k="F" />
        </button>
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="B ."
          aria-label="Black screen"
          title="Black screen (B or .)"
          aria-pressed={blackout}
          onClick={() => setBlackout(!blackout)}
        >
          Black <Key k="B" />
        </button>
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="Escape"
          aria-label="Leave presenter mode"
          title="Leave presenter mode (Esc)"
          onClick={() => setPresent(false)}
        >
          Leave <Key k="Esc" />
        </button>
      </div>
    );
  }
  return (
    <div className="classroom-controls" role="group" aria-label="Classroom">
      <button
        type="button"
        className="btn"
        aria-keyshortcuts="C"
        title="Links, QR code and embed code (C)"
        onClick={() => openDialog('share')}
      >
        Share <Key k="C" />
      </button>
      <button
        type="button"
        className="btn"
        title="Capture (.pcap), pictures for slides, timeline as text"
        onClick={() => openDialog('export')}
      >
        Export
      </button>
      <button
        type="button"
        className="btn"
        aria-keyshortcuts="P"
        title="Presenter mode: large type, clicker keys, black screen, speaker window (P)"
        onClick={() => setPresent(true)}
      >
        Present <Key k="P" />
      </button>
    </div>
  );
}
