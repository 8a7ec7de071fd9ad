import { applyDecorators, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ApiBearerAuth, ApiCookieAuth, ApiExtraModels, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { HeadersObject, SchemaObject } from '@nestjs/swagger';
import { DEFAULT_BODY_LIMITS } from '../json-body';
import { ErrorBodyView } from './error-body.view';

/** A success body: a response class, a list of one (`[Class]`), or a document of another media type (CSV, XML, ...). */
export type SuccessBody = Type<unknown> | [Type<unknown>] | SuccessDoc;

export interface SuccessDoc {
  description?: string;
  type?: Type<unknown> | [Type<unknown>];
  /** An inline JSON schema, where no class names the shape (e.g. `oneOf` two classes, listed in `models`). */
  schema?: SchemaObject;
  models?: Array<Type<unknown>>;
  /** A body that is not JSON: its media type (its schema is a string unless `schema` says otherwise). */
  mediaType?: string;
  headers?: HeadersObject;
}

/** The statuses a route may refuse with beyond the ones every route shares, each with when it happens. */
export type Refusals = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 503, string | false>>;

export interface ApiEndpointOptions {
  summary: string;
  description?: string;
  ok?: SuccessBody;
  created?: SuccessBody;
  accepted?: SuccessBody;
  /** 204: what the empty answer means. */
  noContent?: string;
  /** Route-specific refusals; `false` drops a shared one the route cannot give. */
  refusals?: Refusals;
  /** Needs no credentials: no 401 or 403. */
  public?: boolean;
}

/** The security schemes of the document: a machine's API key, or a person's session cookie (with `X-CSRF-Token` on changes). */
export const BEARER_SCHEME = 'bearer';
export const SESSION_SCHEME = 'session';

/** A file the route answers as an attachment (`Content-Disposition`): CSV, XML, NDJSON. */
export const attachmentBody = (mediaType: string, description: string): SuccessDoc => ({
  mediaType,
  description,
  headers: { 'Content-Disposition': { description: 'attachment; filename="..."', schema: { type: 'string' } } },
});

const kB = (bytes: number) => `${bytes / 1024} kB`;

/** What every route may answer, in the one error shape (`details` names each field and rule). */
const SHARED_REFUSALS = {
  400: 'A malformed request: a body field, query or path parameter breaks its rule, or the URL has a control character',
  401: 'No credentials, or an unknown, expired or revoked API key or session',
  403: "The caller's role, API key scope or site scope does not allow it",
  413: `The body is over ${kB(DEFAULT_BODY_LIMITS.maxBytes)}`,
  415: 'The body is not application/json in UTF-8',
  503: 'The database is unavailable, or a read model has not reached `minPosition` in time: try again after `Retry-After` seconds',
} as const;

const RETRY_AFTER: HeadersObject = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } };

/** Parameter decorators run before method decorators, so the route's `@Body()` is known here. */
function takesBody(target: object, key: string | symbol): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((arg) => arg.split(':')[0] === String(RouteParamtypes.BODY));
}

function successResponse(status: number, body: SuccessBody | string): MethodDecorator {
  if (typeof body === 'string') return ApiResponse({ status, description: body });
  const doc: SuccessDoc = typeof body === 'function' || Array.isArray(body) ? { type: body } : body;
  const description = doc.description ?? (status === 201 ? 'Created' : status === 202 ? 'Accepted' : 'OK');
  if (doc.mediaType) {
    return ApiResponse({
      status,
      description,
      headers: doc.headers,
      content: { [doc.mediaType]: { schema: doc.schema ?? { type: 'string' } } },
    });
  }
  if (doc.schema)
    return applyDecorators(
      ApiExtraModels(...(doc.models ?? [])),
      ApiResponse({ status, description, headers: doc.headers, schema: doc.schema }),
    );
  return ApiResponse({ status, description, headers: doc.headers, type: doc.type });
}

/**
 * One route's whole contract in the OpenAPI document: its summary, its success answer with a schema, and
 * every refusal in the one error shape, the shared ones (400, 401, 403, 413 and 415 for routes with a body,
 * 503) composed here so that a controller names only what is its own.
 */
export function ApiEndpoint(options: ApiEndpointOptions): MethodDecorator {
  return (target, key, descriptor) => {
    const shared: Refusals = {
      400: SHARED_REFUSALS[400],
      ...(options.public ? {} : { 401: SHARED_REFUSALS[401], 403: SHARED_REFUSALS[403] }),
      ...(takesBody(target, key) ? { 413: SHARED_REFUSALS[413], 415: SHARED_REFUSALS[415] } : {}),
      503: SHARED_REFUSALS[503],
    };
    const refusals = Object.entries({ ...shared, ...options.refusals }).filter((entry): entry is [string, string] => entry[1] !== false);
    const successes: Array<[number, SuccessBody | string | undefined]> = [
      [200, options.ok],
      [201, options.created],
      [202, options.accepted],
      [204, options.noContent],
    ];
    applyDecorators(
      ApiOperation({ summary: options.summary, description: options.description }),
      // either scheme will do: each is a security requirement of its own
      ...(options.public ? [] : [ApiBearerAuth(BEARER_SCHEME), ApiCookieAuth(SESSION_SCHEME)]),
      ...successes.filter(([, body]) => body !== undefined).map(([status, body]) => successResponse(status, body!)),
      ...refusals.map(([status, description]) =>
        ApiResponse({ status: Number(status), description, type: ErrorBodyView, headers: status === '503' ? RETRY_AFTER : undefined }),
      ),
    )(target, key, descriptor);
  };
}
