import { Injectable } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GOKA_EDGES_METADATA, GOKA_HANDLERS_METADATA, GOKA_PROCESSOR_METADATA } from './goka.constants.js';
import type {
  GokaEdgeMetadata,
  GokaHandlerMetadata,
  GokaProcessorMetadata,
} from './interfaces/goka-metadata.interface.js';

/**
 * Reads what the Goka decorators wrote, and nothing else reads it: `@Processor` on classes, the class
 * edges (`@Persist`, `@Join`, `@Lookup`, `@Output`), and the method handlers (`@Input`, `@Loop`,
 * `@Visitor`).
 *
 * @publicApi
 */
@Injectable()
export class GokaMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  /** Whether `target` is a class decorated with `@Processor`. */
  isProcessor(target: Type | Function | undefined | null): boolean {
    return target !== undefined && target !== null && this.getProcessorMetadata(target) !== undefined;
  }

  /** The group and options of a `@Processor` class. */
  getProcessorMetadata(target: Type | Function): GokaProcessorMetadata | undefined {
    return this.reflector.get<GokaProcessorMetadata | undefined>(GOKA_PROCESSOR_METADATA, target);
  }

  /** The class edges of a processor class, in declaration order. */
  getEdges(target: Type | Function): readonly GokaEdgeMetadata[] {
    return this.reflector.get<readonly GokaEdgeMetadata[] | undefined>(GOKA_EDGES_METADATA, target) ?? [];
  }

  /** The handler decorations of a method, in declaration order. */
  getHandlers(method: Function): readonly GokaHandlerMetadata[] {
    return this.reflector.get<readonly GokaHandlerMetadata[] | undefined>(GOKA_HANDLERS_METADATA, method) ?? [];
  }
}
