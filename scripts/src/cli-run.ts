/**
 * Runs a harness command line's `main` and sets the exit code: its result, or 1 with one line
 * `[prefix] <ErrorName>: message` (the error's name when it is one of the harness' own errors).
 */
export function runCli(prefix: string, main: () => Promise<number>, harnessError: abstract new (...args: never[]) => Error): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`[${prefix}] ${error instanceof harnessError ? error.name : 'error'}: ${message}`);
      process.exitCode = 1;
    },
  );
}
