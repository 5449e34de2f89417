import { readFile } from 'node:fs/promises';

/** The first `ts` code block of the root README's section `heading` (e.g. `## Memory`): what a README test compares. */
export async function readmeExample(heading: string): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const start = section.indexOf('```ts\n') + 6;
  return section.slice(start, section.indexOf('```\n', start)).trim();
}

/** A spec file's example: everything between its first line and the line that starts `marker`. */
export async function specExample(url: string, marker: string): Promise<string> {
  const source = await readFile(new URL(url), 'utf8');
  return source.slice(source.indexOf('\n') + 1, source.indexOf(`\n${marker}`)).trim();
}
