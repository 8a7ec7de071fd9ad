import {
  applyDecorators,
  CanActivate,
  DynamicModule,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  SetMetadata,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiError } from '@trialstream/api-common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { waitForPosition } from '../freshness';

const READS_PROJECTION = 'trialstream:reads-projection';
export const MIN_POSITION_HEADER = 'X-Min-Position';
export const FRESH_READS_OPTIONS = 'FRESH_READS_OPTIONS';
const DATA_SOURCE = 'DATA_SOURCE';

export interface FreshReadsOptions {
  /** How long a read with `minPosition` may wait for its read model before answering 503. */
  waitMs: number;
}

/** Marks a controller (or route) whose answers come from the read model in `schema`; its OpenAPI operations name the header. */
export const ReadsProjection = (schema: string) =>
  applyDecorators(
    SetMetadata(READS_PROJECTION, schema),
    ApiHeader({
      name: MIN_POSITION_HEADER,
      required: false,
      example: '42',
      description:
        'A global position (or the query parameter `?minPosition=`, which wins): the answer waits, up to MIN_POSITION_WAIT_MS, ' +
        'until the read model has applied that event; otherwise 503 `read_model_behind`',
    }),
  );

/**
 * Read-your-writes for every GET route: `?minPosition=<global position>` or the `X-Min-Position` header
 * makes a route marked with `@ReadsProjection` wait (up to `waitMs`) until its read model has applied the
 * event at that position, else answer 503 with Retry-After. Routes that read the store itself are always
 * current and answer at once. It runs after the authentication and permission guards (see FreshReadsModule),
 * so only an authorised caller can make a request wait.
 *
 * A guard, not an interceptor: a global interceptor wraps every request of every route, writes included, in
 * Nest's Observable chain and two async-context bindings (about 4% of the ingest app's CPU samples at 32 clients).
 */
@Injectable()
export class MinPositionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(FRESH_READS_OPTIONS) private readonly options: FreshReadsOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return true;
    const raw = takeMinPosition(request);
    if (raw === undefined) return true;
    const position = parsePosition(raw);
    const schema = this.reflector.getAllAndOverride<string | undefined>(READS_PROJECTION, [context.getHandler(), context.getClass()]);
    if (schema === undefined) return true;
    const freshness = await waitForPosition(this.dataSource, schema, position, this.options.waitMs);
    if (freshness === 'unknown') {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', 'minPosition: no event has this position', [
        { field: 'minPosition', rule: 'known-position' },
      ]);
    }
    if (freshness === 'pending') {
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'read_model_behind',
        `The ${schema} read model has not reached position ${position} yet: retry shortly`,
        [{ field: 'minPosition', rule: 'reached' }],
        { 'Retry-After': '1' },
      );
    }
    return true;
  }
}

/**
 * Read-your-writes for the whole app. Nest runs global guards in the order it meets their modules (the root's
 * imports, depth first), so the composition imports this module after AuthModule, whose guards must answer
 * first (test/platform/read-your-writes.test.ts holds it to that).
 */
@Module({})
export class FreshReadsModule {
  static forRoot(options: FreshReadsOptions): DynamicModule {
    return {
      module: FreshReadsModule,
      providers: [
        { provide: FRESH_READS_OPTIONS, useValue: options },
        { provide: APP_GUARD, useClass: MinPositionGuard },
      ],
    };
  }
}

/** The query parameter wins over the header; it is removed from the query so route DTOs never see it. */
function takeMinPosition(request: Request): string | undefined {
  const query = request.query as Record<string, unknown>;
  if ('minPosition' in query) {
    const { minPosition, ...rest } = query;
    // Express 5 parses `req.query` on every access: an own property replaces the parsed one.
    Object.defineProperty(request, 'query', { value: rest, writable: true, enumerable: true, configurable: true });
    return Array.isArray(minPosition) || typeof minPosition !== 'string' ? '' : minPosition;
  }
  return request.header(MIN_POSITION_HEADER);
}

function parsePosition(raw: string): string {
  if (!/^\d{1,18}$/.test(raw.trim())) {
    throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', 'minPosition must be a global position (a whole number)', [
      { field: 'minPosition', rule: 'is-position' },
    ]);
  }
  return BigInt(raw.trim()).toString();
}
