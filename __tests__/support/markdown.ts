/** Reading the README's code blocks, shared by the README and workflow tests. */

/**
 * The bodies of a Markdown text's ```yaml (or ```yml) fenced blocks, in order.
 * @param markdown the whole Markdown text
 */
export function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml[^\n]*\n([\s\S]*?)^```/gmu)].map((match) => match[1] ?? '');
}
