/**
 * A file name fit to keep, show and save under: what a person picked from their disk (an evidence
 * photo) or what came with a synced row, made harmless rather than refused — the file's content is
 * what matters, the name only labels it.
 *
 * Removed: NUL and the other C0 and C1 controls, DEL, the bidirectional marks, embeddings,
 * overrides and isolates (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069: "报告\u202Efdp.exe"
 * would read as "报告exe.pdf"), lone surrogates and the noncharacters U+FFFE and U+FFFF.
 * Replaced by "_": path separators and the characters Windows refuses in names (\ / : * ? " < > |),
 * so a download cannot name another folder. Leading dots and spaces and trailing dots and spaces go
 * (".." or ".bashrc" as a download; Windows drops trailing dots itself). At most 200 characters,
 * keeping the extension. Empty after all that: `fallback`.
 */
/** Characters (code points) a kept file name may have. */
export const MAX_FILE_NAME = 200;

export function safeFileName(name: string, fallback = '文件'): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += name.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) continue;
    if (code === 0x200e || code === 0x200f || code === 0x061c) continue;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) continue;
    if (code === 0xfffe || code === 0xffff) continue;
    const ch = name.charAt(i);
    out += '\\/:*?"<>|'.includes(ch) ? '_' : ch;
  }
  out = out.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const chars = [...out];
  if (chars.length > MAX_FILE_NAME) {
    const ext = /\.[^.]{1,10}$/.exec(out)?.[0] ?? '';
    out = chars.slice(0, MAX_FILE_NAME - ext.length).join('') + ext;
  }
  return out === '' ? fallback : out;
}
