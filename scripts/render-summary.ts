/** Step summaries for the terminal (`npm run demo`). */

/**
 * GitHub-flavoured Markdown of a step summary as plain terminal text: headings
 * underlined, tables aligned without their rule row, code marks and bold
 * removed, `> [!WARNING]` alerts as a "WARNING:" line; backslash escapes and
 * the entities the summary writes (`&amp;`, `&lt;`, `&gt;`) read as their
 * characters outside code spans, and code spans kept to the letter.
 * @param markdown the GITHUB_STEP_SUMMARY text
 */
export function renderSummary(markdown: string): string {
  const cells = (row: string): string[] =>
    row
      .trim()
      .replace(/^\||\|$/gu, '')
      .split(/(?<!\\)\|/u)
      .map((cell) => inline(cell.trim()).replace(/\\\|/gu, '|'));
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heading = /^(#{1,6})\s+(.*)$/u.exec(line);
    if (heading) {
      const text = inline(heading[2] ?? '');
      out.push(text, (heading[1]?.length ?? 0) <= 3 ? '═'.repeat(text.length) : '─'.repeat(text.length));
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && (lines[i] ?? '').startsWith('|'); i += 1) {
        if (!/^\|[\s:|-]+\|$/u.test(lines[i] ?? '')) rows.push(cells(lines[i] ?? ''));
      }
      i -= 1;
      const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
      for (const row of rows)
        if (row.some((cell) => cell !== ''))
          out.push(
            `  ${row
              .map((cell, c) => cell.padEnd(widths[c] ?? 0))
              .join('   ')
              .trimEnd()}`,
          );
    } else {
      out.push(inline(line.replace(/^> \[!(\w+)\]$/u, '$1:').replace(/^> ?/u, '')));
    }
  }
  return out
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/**
 * One line of inline Markdown as plain text, token by token as CommonMark reads
 * it: a backslash escape (§2.4) is its character, a code span (§6.1) its
 * content to the letter (one padding space stripped each side), an entity its
 * character, `**bold**` its text and a link `text (url)`.
 */
function inline(text: string): string {
  const token = /\\([!-/:-@[-`{-~])|(`+)(.+?)\2(?!`)|&(amp|lt|gt|quot);|\*\*|\[([^\]]*)\]\(([^)]*)\)/gu;
  return text.replace(
    token,
    (whole, escaped?: string, _fence?: string, code?: string, entity?: string, label?: string, url?: string) => {
      if (escaped !== undefined) return escaped;
      if (code !== undefined) return /^ .* $/u.test(code) && code.trim() !== '' ? code.slice(1, -1) : code;
      if (entity !== undefined) return ENTITIES[entity] ?? whole;
      if (label !== undefined) return `${label} (${url ?? ''})`;
      return '';
    },
  );
}
