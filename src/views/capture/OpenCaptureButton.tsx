/**
 * "Open capture…": a real file input behind a button, taking a capture (pcap, pcapng, HAR) and, chosen
 * together with it, the TLS key log that decrypts it. The files are read in this browser (a Web Worker) and
 * never leave the machine.
 */
import { useRef } from 'react';
import { useActions } from '../../state/context';

/** What the picker offers: captures (Wireshark, tcpdump, DevTools' HAR) and key logs (SSLKEYLOGFILE). */
export const CAPTURE_ACCEPT = '.pcap,.pcapng,.cap,.har,.keys,.txt,.log';

export function OpenCaptureButton() {
  const input = useRef<HTMLInputElement | null>(null);
  const { openCapture } = useActions();
  return (
    <>
      <button
        type="button"
        className="btn btn-open-capture"
        title="Open a capture (pcap, pcapng or HAR) and its TLS key log: read in this browser, never uploaded"
        onClick={() => input.current?.click()}
      >
        Open capture…
      </button>
      <input
        ref={input}
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
    </>
  );
}
