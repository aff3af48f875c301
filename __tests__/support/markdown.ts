/** Reading the README's code blocks, shared by the README and workflow tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    .flatMap((name) => yamlBlocks(readFileSync(join(dir, name), 'utf8')).map((text, i) => ({ file: `docs/${name}`, index: i + 1, text })));
}
