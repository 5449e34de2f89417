import { Controller, Get } from '@nestjs/common';

/** What the app runs against: the embedded in-memory Kafka, or the brokers of `KAFKA_BROKERS`. */
export interface AppStatus {
  app: string;
  kafka: { mode: 'embedded' | 'brokers'; brokers: string[] };
}

export function kafkaBrokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

@Controller()
export class StatusController {
  @Get()
  status(): AppStatus {
    const brokers = kafkaBrokersFromEnv();
    return {
      app: 'goka-nestjs sample',
      kafka: { mode: brokers.length > 0 ? 'brokers' : 'embedded', brokers },
    };
  }
}
