/** Step summaries for the terminal (`npm run demo`). */

/**
 * GitHub-flavoured Markdown of a step summary as plain terminal text: headings
 * underlined, tables aligned without their rule row, code marks and bold
 * removed, `> [!WARNING]` alerts as a "WARNING:" line.
 * @param markdown the GITHUB_STEP_SUMMARY text
 */
export function renderSummary(markdown: string): string {
  const inline = (text: string): string => text.replace(/`([^`]*)`/gu, '$1').replace(/\*\*([^*]*)\*\*/gu, '$1').replace(/\[([^\]]*)\]\(([^)]*)\)/gu, '$1 ($2)');
  const cells = (row: string): string[] => row.trim().replace(/^\||\|$/gu, '').split(/(?<!\\)\|/u).map((cell) => inline(cell.trim()).replace(/\\\|/gu, '|'));
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
      for (const row of rows) if (row.some((cell) => cell !== '')) out.push(`  ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('   ').trimEnd()}`);
    } else {
      out.push(inline(line.replace(/^> \[!(\w+)\]$/u, '$1:').replace(/^> ?/u, '')));
    }
  }
  return out.join('\n').replace(/\n{3,}/gu, '\n\n').trim();
}
