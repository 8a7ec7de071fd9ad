import type { NextFunction, Request, Response } from 'express';
import getRawBody from 'raw-body';
import { ErrorBody } from './api-error';
import { parseStrictJson, PROTOTYPE_KEYS } from './strict-json';
import { textDefect } from './text-rules';

export interface BodyLimits {
  /** Largest accepted body in bytes; larger is a 413. */
  maxBytes: number;
  /** Larger allowances for routes that take documents (a CSV allocation list), by exact path. */
  largeBodyPaths: Record<string, number>;
  /** Deepest accepted nesting of objects and arrays. */
  maxDepth: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBytes: 100 * 1024,
  largeBodyPaths: { '/allocation/import': 4 * 1024 * 1024 },
  maxDepth: 32,
};

const reply = (res: Response, status: number, body: ErrorBody) => {
  if (!res.headersSent) res.status(status).json(body);
};

const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** `application/json` (or `+json`) in UTF-8, the only body the API reads. */
function isJsonUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || /^charset="?utf-8"?$/.test(parameter));
}

/** A path of unreserved characters and slashes, without a query: nothing to decode, nothing to refuse. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;

/** Path segments and query text decoded once, so that `%00` or a broken escape is a 400 here, not a database error later. */
function urlDefect(req: Request): ErrorBody | null {
  if (PLAIN_PATH.test(req.originalUrl)) return null;
  const [path, query = ''] = req.originalUrl.split('?', 2);
  const parts: Array<{ field: string; text: string }> = path.split('/').map((segment) => ({ field: 'path', text: segment }));
  for (const pair of query.split('&')) {
    const [name, value = ''] = pair.split('=', 2);
    if (PROTOTYPE_KEYS.has(name)) {
      return { error: 'validation_failed', message: `${name} is not a known field`, details: [{ field: name, rule: 'unknown-field' }] };
    }
    parts.push({ field: name, text: name }, { field: name, text: value });
  }
  for (const part of parts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.text.replace(/\+/g, ' '));
    } catch {
      return {
        error: 'bad_request',
        message: `${part.field}: malformed percent-encoding in the URL`,
        details: [{ field: part.field, rule: 'valid-url-encoding' }],
      };
    }
    const defect = textDefect(decoded);
    if (defect) {
      const field = part.field === 'path' ? 'path' : safeFieldName(part.field);
      return { error: 'bad_request', message: `${field} ${defect.message}`, details: [{ field, rule: defect.rule }] };
    }
  }
  return null;
}

/** A query parameter's name as it may be echoed back: a broken name is reported as `query`. */
function safeFieldName(name: string): string {
  try {
    const decoded = decodeURIComponent(name);
    return textDefect(decoded) || decoded.length > 64 ? 'query' : decoded;
  } catch {
    return 'query';
  }
}

/** A body the API does not read at all: not JSON in UTF-8, or compressed (415). */
function mediaTypeDefect(req: Request): ErrorBody | null {
  if (!isJsonUtf8(req.headers['content-type'])) {
    return {
      error: 'unsupported_media_type',
      message: 'The body must be JSON sent as "Content-Type: application/json" (UTF-8)',
      details: [{ field: 'content-type', rule: 'application-json-utf-8' }],
    };
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    return {
      error: 'unsupported_media_type',
      message: 'Compressed bodies are not accepted',
      details: [{ field: 'content-encoding', rule: 'identity' }],
    };
  }
  return null;
}

/** The body's bytes as strict JSON, or the 400 that names what is wrong with them. */
function parsedBody(
  raw: Buffer,
  decoder: InstanceType<typeof TextDecoder>,
  maxDepth: number,
): { ok: true; value: unknown } | { ok: false; refusal: ErrorBody } {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    return {
      ok: false,
      refusal: { error: 'bad_request', message: 'The body is not valid UTF-8', details: [{ field: 'body', rule: 'utf-8' }] },
    };
  }
  const parsed = parseStrictJson(text, maxDepth);
  if (parsed.ok) return parsed;
  const error = parsed.rule === 'valid-json' ? 'bad_request' : 'validation_failed';
  return { ok: false, refusal: { error, message: parsed.message, details: [{ field: parsed.field, rule: parsed.rule }] } };
}

/** A body that could not be read: too large (413, and the connection closes), aborted or of another length (400). */
function replyToUnreadBody(res: Response, error: { type?: string }, maxBytes: number): void {
  if (error.type === 'entity.too.large') {
    res.setHeader('Connection', 'close');
    return reply(res, 413, {
      error: 'payload_too_large',
      message: `The body is larger than ${maxBytes} bytes`,
      details: [{ field: 'body', rule: 'max-size' }],
    });
  }
  reply(res, 400, { error: 'bad_request', message: 'The body could not be read', details: [{ field: 'body', rule: 'complete-body' }] });
}

/**
 * The API's one request-body reader, in place of the framework's: size, media type, encoding and
 * strict JSON are checked before anything else sees the request, and every refusal has the one error
 * shape. The framework's parsers then find the request consumed and leave it alone.
 */
export function jsonBodyMiddleware(limits: BodyLimits = DEFAULT_BODY_LIMITS) {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    const urlProblem = urlDefect(req);
    if (urlProblem) return reply(res, 400, urlProblem);
    if (!hasBody(req)) return next();
    const unsupported = mediaTypeDefect(req);
    if (unsupported) return reply(res, 415, unsupported);
    const maxBytes = limits.largeBodyPaths[req.path] ?? limits.maxBytes;
    const length = req.headers['content-length'];
    getRawBody(req, { limit: maxBytes, length: length === undefined ? undefined : Number(length) })
      .then((raw) => {
        const body = parsedBody(raw, decoder, limits.maxDepth);
        if (!body.ok) return reply(res, 400, body.refusal);
        // A fully read request is what the framework's own parsers take as "already parsed".
        req.body = body.value;
        next();
      })
      .catch((error: { type?: string }) => replyToUnreadBody(res, error, maxBytes));
  };
}
