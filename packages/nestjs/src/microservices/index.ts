/**
 * @goka/nestjs/microservices — run `GokaModule`'s processors as a Nest microservice (needs the
 * optional peer `@nestjs/microservices`).
 */
export { GokaTransport } from './goka.transport.js';
