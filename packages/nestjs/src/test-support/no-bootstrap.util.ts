/**
 * The README's quick start (`quick-start.example.ts`) is a complete `main.ts`: importing it calls its
 * `bootstrap()`. Specs that import it for its classes mock `@nestjs/core` with this, so that
 * `NestFactory.create` returns an app that neither listens nor starts anything:
 *
 * ```ts
 * vi.mock('@nestjs/core', async (importOriginal) =>
 *   (await import('./test-support/no-bootstrap.util.js')).withoutBootstrap(await importOriginal()));
 * ```
 *
 * Only modules Vitest transforms (the spec and the example) see the mock; `@nestjs/testing` keeps the
 * real `@nestjs/core`, and every other export of it is the real one.
 */
export function withoutBootstrap<T extends object>(actual: T): T {
  const app = { enableShutdownHooks: () => app, listen: async () => undefined };
  return { ...actual, NestFactory: { create: async () => app } };
}
