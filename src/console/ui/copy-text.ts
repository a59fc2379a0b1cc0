// Copies text for the person: to the clipboard when the page may write it, else by selecting the
// element that shows it (an insecure origin, a refused permission), for Ctrl+C.

export async function copyText(text: string, shown: HTMLElement): Promise<'copied' | 'selected'> {
  try {
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    const range = document.createRange();
    range.selectNodeContents(shown);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    return 'selected';
  }
}
