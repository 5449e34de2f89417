import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { startTracing } from './tracing.js';

/** `LOG_LEVEL=debug` shows Goka's recovery details too. */
function logLevels(level: string | undefined): LogLevel[] {
  return level === 'debug' ? ['fatal', 'error', 'warn', 'log', 'debug'] : ['fatal', 'error', 'warn', 'log'];
}

async function bootstrap(): Promise<void> {
  const logger = new Logger('SampleApp');
  // OTEL_TRACES_EXPORTER=console prints the spans of each request, its emits and the processors' callbacks.
  const requestTracer = startTracing(process.env);
  const app = await NestFactory.create(AppModule, { logger: logLevels(process.env['LOG_LEVEL']) });
  if (requestTracer !== undefined) app.use(requestTracer);
  // SIGINT / SIGTERM: processors finish and commit, emitters flush, stores and the journal close.
  app.enableShutdownHooks();
  const port = Number(process.env['PORT'] ?? 3000);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  logger.log(`listening on http://${host}:${port}`);
}

await bootstrap();
