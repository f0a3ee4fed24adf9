/**
 * Copy text to the clipboard: the async Clipboard API where the page may use it, else the old
 * execCommand('copy') on the selected field; if both refuse, the field is left selected so Ctrl+C (⌘C) copies it.
 */
export type CopyResult = 'copied' | 'selected';

export async function copyText(
  text: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
  clipboard: Pick<Clipboard, 'writeText'> | undefined = globalThis.navigator?.clipboard,
): Promise<CopyResult> {
  try {
    if (!clipboard) throw new Error('no clipboard');
    await clipboard.writeText(text);
    return 'copied';
  } catch {
    if (!field) return 'selected';
    field.focus();
    field.select();
    try {
      // Deprecated but still the only synchronous fallback; false or a throw both mean "not copied".
      return typeof document.execCommand === 'function' && document.execCommand('copy')
        ? 'copied'
        : 'selected';
    } catch {
      return 'selected';
    }
  }
}
