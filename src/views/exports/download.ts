/** Save bytes or text as a file: a blob: URL on a temporary <a download> (CSP allows blob: downloads). */
export function downloadBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is long enough to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
