/**
 * Files dragged onto the page open as a capture: while they are over it, a drop target covers the page and
 * says what will happen (read here, never uploaded). Only drags that carry files show it.
 */
import { useEffect, useState } from 'react';
import { useActions } from '../../state/context';
import './CaptureDrop.css';

function carriesFiles(e: DragEvent): boolean {
  return e.dataTransfer !== null && [...e.dataTransfer.types].includes('Files');
}

export function CaptureDrop() {
  const [over, setOver] = useState(false);
  const { openCapture } = useActions();
  useEffect(() => {
    // dragenter/dragleave fire for every child crossed: count them to know when the drag has left the page.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overPage = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // the browser would otherwise navigate to the file
      depth = 0;
      setOver(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) openCapture(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overPage);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overPage);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openCapture]);
  if (!over) return null;
  return (
    <div className="capture-drop" role="status">
      <div className="capture-drop-box">
        <p className="capture-drop-title">Drop to open the capture</p>
        <p>A pcap, pcapng or HAR file, and its TLS key log if it has one.</p>
        <p className="capture-private">Read in this browser; never uploaded.</p>
      </div>
    </div>
  );
}
