/**
 * "Open capture…": a button in the header (or its phone menu) and, always on the page, the real file input it
 * opens, taking a capture (pcap, pcapng, HAR) and, chosen together with it, the TLS key log that decrypts it.
 * The input lives outside the menu so that the menu closing after the click does not take the input (and the
 * files chosen in it) away. The files are read in this browser (a Web Worker) and never leave the machine.
 */
import { useActions } from '../../state/context';
import './OpenCaptureButton.css';

/** What the picker offers: captures (Wireshark, tcpdump, DevTools' HAR) and key logs (SSLKEYLOGFILE). */
export const CAPTURE_ACCEPT = '.pcap,.pcapng,.cap,.har,.keys,.txt,.log';

const INPUT_ID = 'capture-file-input';

export function OpenCaptureButton() {
  return (
    <button
      type="button"
      className="btn btn-open-capture"
      aria-label="Open capture…"
      aria-controls={INPUT_ID}
      title="Open a capture (pcap, pcapng or HAR) and its TLS key log: read in this browser, never uploaded"
      onClick={() => document.getElementById(INPUT_ID)?.click()}
    >
      {/* A folder, opening: the words beside it go when the header has no room for them (OpenCaptureButton.css). */}
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M3 6.5h6l2 2h9.5v3H7.5L4.5 19H3z M7.5 11.5H22L19 19H4.5z" />
      </svg>
      <span className="btn-open-capture-text">Open capture…</span>
    </button>
  );
}

export function CaptureInput() {
  const { openCapture } = useActions();
  return (
    <input
      id={INPUT_ID}
      type="file"
      className="capture-input"
      aria-label="Capture file (pcap, pcapng, HAR) and key log"
      accept={CAPTURE_ACCEPT}
      multiple
      hidden
      onChange={(e) => {
        const files = [...(e.currentTarget.files ?? [])];
        // Cleared so that choosing the same file again opens it again.
        e.currentTarget.value = '';
        if (files.length > 0) openCapture(files);
      }}
    />
  );
}
