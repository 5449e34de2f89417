import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GokaError } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { GokaModuleError } from './goka-module.error.js';

/**
 * The README's errors table against the code: every code a package declares is documented once, every
 * documented code is declared, and every error class (exported or not) names its own documented code.
 * Lives in @goka/nestjs because it sees every package.
 */

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const packagesDir = join(root, 'packages');

/** `code -> class` of the README's table rows (`| \`GOKA_X\` | \`SomeError\` | ...`). */
function readmeTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(join(root, 'README.md'), 'utf8').split('\n')) {
    const match = /^\| `(GOKA_[A-Z0-9_]+)` \| `(\w+)` \|/.exec(line);
    if (match === null) continue;
    const [, code, className] = match as unknown as [string, string, string];
    expect(rows.has(code), `${code} is documented twice`).toBe(false);
    rows.set(code, className);
  }
  return rows;
}

/** Every `src/**.ts` of every package except tests. */
function sourceFiles(dir: string = packagesDir): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (path.includes('/src/') && path.endsWith('.ts') && !path.endsWith('.spec.ts')) files.push(path);
  }
  return files;
}

/** The source files of each package's entry points (its `exports`, `./dist/x.js` read as `./src/x.ts`). */
function entryPoints(): string[] {
  const entries: string[] = [];
  for (const name of readdirSync(packagesDir)) {
    const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as {
      exports?: Record<string, { import?: string } | string>;
    };
    for (const target of Object.values(manifest.exports ?? {})) {
      const file = typeof target === 'string' ? target : target.import;
      if (file?.startsWith('./dist/') === true) entries.push(join(packagesDir, name, file.replace('./dist/', 'src/').replace(/\.js$/, '.ts')));
    }
  }
  return entries;
}

/** The codes of every `export const X_ERROR_CODES = [...] as const` in the sources (one list per package). */
function declaredCodes(): string[] {
  const codes: string[] = [];
  for (const file of sourceFiles()) {
    for (const [, list] of readFileSync(file, 'utf8').matchAll(/^export const \w+_ERROR_CODES = \[([^\]]*)\] as const;/gm)) {
      codes.push(...[...(list ?? '').matchAll(/'(GOKA_\w+)'/g)].map(([, code]) => code ?? ''));
    }
  }
  return codes;
}

type ErrorClass = (abstract new (...args: never[]) => GokaError) & { readonly code?: unknown };

function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'function' && value.prototype instanceof GokaError;
}

describe('error codes', () => {
  const table = readmeTable();
  const declared = declaredCodes();

  it('the README table lists exactly the codes the packages declare, each once', () => {
    expect(declared.length).toBeGreaterThan(60);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...table.keys()].sort()).toEqual([...declared].sort());
  });

  it("every GokaError class exported by a package's entry points has its own code, documented for that class", async () => {
    const seen = new Map<ErrorClass, string>();
    for (const entry of entryPoints()) {
      const exported = (await import(entry)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        if (isErrorClass(value)) seen.set(value, `${name} (${relative(root, entry)})`);
      }
    }
    expect(seen.size).toBeGreaterThan(40);
    const codes = new Map<unknown, string>();
    for (const [errorClass, where] of seen) {
      // GokaModuleError, like GokaError, takes its code per throw (transport misuse)
      if (errorClass === GokaModuleError) continue;
      expect(Object.hasOwn(errorClass, 'code'), `${where} declares no static code`).toBe(true);
      expect(table.get(String(errorClass.code)), `${where}: code ${String(errorClass.code)}`).toBe(errorClass.name);
      expect(codes.get(errorClass.code), `${where} shares its code`).toBeUndefined();
      codes.set(errorClass.code, errorClass.name);
    }
    // every row names an exported class with that code, or a plain GokaError / GokaModuleError
    for (const [code, className] of table) {
      if (className === GokaError.name || className === GokaModuleError.name) continue;
      expect(codes.get(code), `README row ${code}`).toBe(className);
    }
  }, 60_000); // imports every entry point (Nest included): seconds on a busy machine

  it('every error class in the sources (exported or not) declares its own static code', () => {
    const bases = new Map<string, string>();
    const declaresCode = new Set<string>();
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^(?:export )?(?:abstract )?class (\w+) extends (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
        const [, name, base, body] = match as unknown as [string, string, string, string];
        bases.set(name, base);
        if (/^ {2}static (?:override )?readonly code\b/m.test(body)) declaresCode.add(name);
      }
    }
    const isGokaError = (name: string): boolean => {
      const base = bases.get(name);
      return base === 'GokaError' || (base !== undefined && isGokaError(base));
    };
    const errorClasses = [...bases.keys()].filter(isGokaError);
    expect(errorClasses.length).toBeGreaterThan(40);
    // GokaModuleError is thrown directly with a code per call (like GokaError), so it needs no static one
    const missing = errorClasses.filter((name) => name !== GokaModuleError.name && !declaresCode.has(name));
    expect(missing).toEqual([]);
  });

  it('a thrown GokaError carries its code, readable without instantiating the class', () => {
    expect(new GokaError('GOKA_KAFKA_REQUEST', 'x').code).toBe('GOKA_KAFKA_REQUEST');
    expect(new GokaModuleError('GOKA_TRANSPORT_UNSUPPORTED', 'x')).toMatchObject({ code: 'GOKA_TRANSPORT_UNSUPPORTED', name: 'GokaModuleError' });
  });

  it('the type-checker refuses a code no package declares', () => {
    // @ts-expect-error -- not a code of any package (pnpm typecheck fails if this compiles)
    const undeclared = new GokaError('GOKA_NOT_DECLARED', 'x');
    expect(table.has(undeclared.code)).toBe(false);
  });
});
