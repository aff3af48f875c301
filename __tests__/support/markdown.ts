/** Reading Markdown in tests: the README's code blocks, and rendered Markdown (the step summary). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { expect } from 'vitest';

/**
 * The bodies of a Markdown text's ```yaml (or ```yml) fenced blocks, in order.
 * @param markdown the whole Markdown text
 */
export function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml[^\n]*\n([\s\S]*?)^```/gmu)].map((match) => match[1] ?? '');
}

/** A ```yaml block of the user documentation, with where it is. */
export interface ExampleBlock {
  /** Path from the repository root, e.g. `README.md` or `docs/entra-id.md`. */
  file: string;
  /** 1-based position among that file's yaml blocks. */
  index: number;
  text: string;
}

/**
 * The workflow examples of the pages under `docs/` (the README links them), in file order.
 * @param root the repository root
 */
export function docsExampleBlocks(root: string): ExampleBlock[] {
  const dir = join(root, 'docs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .flatMap((name) =>
      yamlBlocks(readFileSync(join(dir, name), 'utf8')).map((text, i) => ({
        file: `docs/${name}`,
        index: i + 1,
        text,
      })),
    );
}

/** Markdown as GitHub renders a step summary: GFM tables, raw HTML allowed, bare URLs, www. and e-mail addresses linked. */
const GFM = new MarkdownIt({ html: true, linkify: true });
GFM.linkify.set({ fuzzyLink: true, fuzzyEmail: true });

/** What a rendered Markdown text holds, for tests that check the step summary renders as plain text. */
export interface RenderedMarkdown {
  html: string;
  /** Each table: its body rows, each row its cells' text (HTML-decoded, as a reader sees it). */
  tables: string[][][];
  /** Token types that make something live: links, images, raw HTML. */
  live: string[];
}

/** Renders `markdown` with markdown-it (GFM tables, raw HTML, linkify) and reads its tables and live elements. */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const tokens = GFM.parse(markdown, {});
  const tables: string[][][] = [];
  const live: string[] = [];
  let row: string[] | undefined;
  let inBody = false;
  type Token = ReturnType<typeof GFM.parse>[number];
  const walk = (list: Token[]): void => {
    for (const token of list) {
      if (['link_open', 'image', 'html_inline', 'html_block'].includes(token.type))
        live.push(`${token.type} ${token.attrGet('href') ?? token.attrGet('src') ?? token.content}`);
      if (token.type === 'table_open') tables.push([]);
      if (token.type === 'tbody_open') inBody = true;
      if (token.type === 'tbody_close') inBody = false;
      if (token.type === 'tr_open' && inBody) row = [];
      if (token.type === 'tr_close' && row) {
        tables.at(-1)?.push(row);
        row = undefined;
      }
      if (token.type === 'inline' && row)
        row.push(
          (token.children ?? [])
            .map((child) =>
              ['text', 'text_special', 'code_inline'].includes(child.type)
                ? child.content
                : child.type === 'softbreak'
                  ? '\n'
                  : '',
            )
            .join(''),
        );
      if (token.children) walk(token.children);
    }
  };
  walk(tokens);
  return { html: GFM.render(markdown), tables, live };
}

/**
 * Asserts that rendered `markdown` has no live element (link, image, HTML) and
 * that every row of every table has exactly its two cells.
 * @returns the table rows: each name with its values, in order
 */
export function expectInert(markdown: string): Map<string, string[]> {
  const rendered = renderMarkdown(markdown);
  expect(rendered.live, rendered.html).toEqual([]);
  const rows = new Map<string, string[]>();
  for (const table of rendered.tables) {
    for (const [name = '', value = '', ...extra] of table) {
      expect(extra, `row ${name}`).toEqual([]);
      rows.set(name, [...(rows.get(name) ?? []), value]);
    }
  }
  return rows;
}
