import {
  NotFoundError,
  PledgeError,
  TerminalError,
  ThrottledError,
  TransientError,
  type ErrorContext,
  wrapError,
  parseRetryAfter,
  fieldOf,
  headerOf,
} from '../../core/errors/index.ts';
import {
  IDENTITY_NAMES,
  NETWORK_CODES,
  NOT_FOUND_CODES,
  TERMINAL_CODES,
  THROTTLING_CODES,
  TRANSIENT_AADSTS,
  TRANSIENT_CLIENT_CODES,
} from './error-codes.ts';

/** What Pledge reads from an Azure SDK error: an ARM RestError, an identity (Entra) error, or a network error. */
export interface AzureErrorInfo {
  /** ARM's error code (`ResourceGroupNotFound`), the OAuth error (`invalid_client`), a Node code, or `HTTP 500`. */
  code: string;
  /** The service's message, trimmed of trace ids; a short stand-in when it sent none. */
  message: string;
  httpStatus?: number;
  /** x-ms-request-id (ARM) or the Entra trace id. */
  requestId?: string;
  /** x-ms-correlation-request-id (ARM) or the Entra correlation id. */
  correlationId?: string;
  /** Milliseconds from the Retry-After header, when present. */
  retryAfterMs?: number;
  /** The AADSTS code of an identity error (`AADSTS7000215`). */
  aadsts?: string;
  /** Where the error came from. */
  source: 'arm' | 'identity' | 'network' | 'unknown';
}


function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const field = fieldOf;

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Reads a header from a core-rest-pipeline response (HttpHeaders with get) or a plain record. */
function header(err: unknown, name: string): string | undefined {
  return text(headerOf(field(field(err, 'response'), 'headers'), name));
}

export { parseRetryAfter };

/**
 * Entra descriptions end with "Trace ID: … Correlation ID: … Timestamp: …" (on the same line or the next):
 * those ids go to the context, the message keeps the sentence a person reads. MSAL wraps the description as
 * "Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: … - Correlation ID: … - Trace ID: …".
 */
export function splitEntraDescription(description: string): { message: string; traceId?: string; correlationId?: string } {
  const traceId = /Trace ID:\s*([-0-9a-fA-F]+)/.exec(description)?.[1];
  const correlationId = /Correlation ID:\s*([-0-9a-fA-F]+)/.exec(description)?.[1];
  const described = /(?:^|\s)Description:\s*([\s\S]*)$/.exec(description)?.[1] ?? description;
  const cut = described.search(/\s*(Trace ID:|Correlation ID:|Timestamp:)/);
  const message = (cut >= 0 ? described.slice(0, cut) : described).replace(/\s+/g, ' ').trim();
  return { message, traceId, correlationId };
}

/** The errors on err's cause chain, outermost first. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let current = err, depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    out.push(current);
    current = field(current, 'cause');
  }
  return out;
}

function identityInfo(errs: unknown[]): AzureErrorInfo | undefined {
  // AuthenticationError carries the token endpoint's answer; MSAL's ServerError/AuthError its code and text.
  for (const e of errs) {
    const response = field(e, 'errorResponse');
    const description = text(field(response, 'errorDescription'));
    if (field(e, 'name') === 'AuthenticationError' && description !== undefined) {
      return fromEntra(text(field(response, 'error')) ?? 'AuthenticationError', description, num(field(e, 'statusCode')));
    }
  }
  for (const e of errs) {
    const code = text(field(e, 'errorCode'));
    if (code !== undefined) {
      return fromEntra(code, text(field(e, 'errorMessage')) ?? text(field(e, 'message')) ?? code, num(field(e, 'status')) ?? num(field(e, 'statusCode')));
    }
  }
  const first = errs[0];
  const name = text(field(first, 'name'));
  if (name === undefined || !IDENTITY_NAMES.has(name)) return undefined;
  const raw = text(field(first, 'message')) ?? 'no message';
  const status = num(field(first, 'statusCode'));
  // MSAL's own codes lead the message: "endpoints_resolution_error: See https://aka.ms/… for details".
  const msal = /^([a-z]+(?:_[a-z]+)+): ([\s\S]*)$/.exec(raw);
  const code = msal?.[1] ?? name;
  const hint = AUTHORITY_HINTS[code];
  return fromEntra(code, hint ?? msal?.[2] ?? raw, status);
}

/** What MSAL's terse codes mean for a ProviderConfig. */
const AUTHORITY_HINTS: Readonly<Record<string, string>> = {
  endpoints_resolution_error:
    "the authority's OpenID configuration (<authorityHost>/<tenantId>/v2.0/.well-known/openid-configuration) could not be read: " +
    'check spec.tenantId and spec.authorityHost of the ProviderConfig, or whether the authority can be reached',
};

function fromEntra(code: string, description: string, httpStatus: number | undefined): AzureErrorInfo {
  const { message, traceId, correlationId } = splitEntraDescription(description);
  const aadsts = /AADSTS\d+/.exec(message)?.[0];
  // MSAL's AuthError message already reads "<code>: <description>"; say the code once.
  const body = message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
  return { code, message: body || 'no message', httpStatus, requestId: traceId, correlationId, aadsts, source: 'identity' };
}

/** Reads code, message, status and request ids from anything an Azure SDK call threw. */
export function azureErrorInfo(err: unknown): AzureErrorInfo {
  const errs = chain(err);
  const rest = errs.find((e) => field(e, 'name') === 'RestError');
  const identity = identityInfo(errs);
  // A token failure inside an ARM call surfaces as the identity error, not as a RestError.
  if (identity && rest === undefined) return identity;
  const source = rest ?? err;
  const httpStatus = num(field(source, 'statusCode'));
  const rawCode = text(field(source, 'code'));
  const name = text(field(source, 'name'));
  const code =
    rawCode ?? (name !== undefined && name !== 'Error' && name !== 'RestError' ? name : undefined) ?? (httpStatus !== undefined ? `HTTP ${httpStatus}` : 'UnknownError');
  const raw = text(field(source, 'message'));
  const message = raw !== undefined && raw !== code ? raw.replace(/\s+/g, ' ') : httpStatus === undefined ? 'no message' : `HTTP ${httpStatus} with no error body`;
  const network = NETWORK_CODES.has(code) || (httpStatus === undefined && text(field(field(source, 'cause'), 'code')) !== undefined);
  return {
    code,
    message,
    httpStatus,
    requestId: header(source, 'x-ms-request-id'),
    correlationId: header(source, 'x-ms-correlation-request-id'),
    retryAfterMs: parseRetryAfter(header(source, 'retry-after')),
    source: rest !== undefined && httpStatus !== undefined ? 'arm' : network ? 'network' : 'unknown',
  };
}

type ErrorClass = typeof NotFoundError | typeof ThrottledError | typeof TerminalError | typeof TransientError;

/** The one place that decides what an Azure failure means for the reconciler. */
export function classify(info: AzureErrorInfo): ErrorClass {
  const { code, httpStatus } = info;
  if (httpStatus === 429 || THROTTLING_CODES.has(code)) return ThrottledError;
  // ARM names the wait on a 503 (ServiceUnavailable): the core waits it out and pauses the ProviderConfig's
  // bucket instead of retrying on its own backoff. Without a wait (or with Retry-After: 0) a 503 is Transient.
  if (httpStatus === 503 && info.source === 'arm' && (info.retryAfterMs ?? 0) > 0) return ThrottledError;
  if (info.source === 'identity') {
    if (info.aadsts !== undefined && TRANSIENT_AADSTS.has(info.aadsts)) return TransientError;
    if (TRANSIENT_CLIENT_CODES.has(code) || (httpStatus !== undefined && httpStatus >= 500)) return TransientError;
    if (info.aadsts !== undefined || TERMINAL_CODES.has(code)) return TerminalError;
    if (httpStatus !== undefined && httpStatus >= 400) return TerminalError;
    // The authority could not be reached (network, TLS): retry.
    return TransientError;
  }
  if (TERMINAL_CODES.has(code)) return TerminalError;
  if (NOT_FOUND_CODES.has(code)) return NotFoundError;
  if (TRANSIENT_CLIENT_CODES.has(code) || NETWORK_CODES.has(code) || info.source === 'network') return TransientError;
  if (httpStatus === 404) return NotFoundError;
  if (httpStatus === 401 || httpStatus === 403) return TerminalError;
  if (httpStatus === 408 || httpStatus === 409) return TransientError;
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) return TerminalError;
  return TransientError;
}

/** Replaces every occurrence of a secret value (the client secret) with a marker. */
function redact(value: string, secrets: readonly string[]): string {
  let out = value;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * Maps anything an Azure SDK call threw to Pledge's typed errors, wrapped with `message` (what was being
 * attempted). The mapped error's message is `"<code>: <message>"`; its context carries the request ids and
 * HTTP status. The SDK error is not kept as `cause`: its request (headers, bodies) must never reach a log.
 * `secrets` are scrubbed from the message should a service ever echo one.
 */
export function toPledgeError(err: unknown, message: string, context: ErrorContext = {}, secrets: readonly string[] = []): PledgeError {
  if (err instanceof PledgeError) return wrapError(err, message, context);
  const info = azureErrorInfo(err);
  const Class = classify(info);
  const options = {
    context: definedOnly({ requestId: info.requestId, correlationId: info.correlationId, httpStatus: info.httpStatus }),
  };
  const text = redact(`${info.code}: ${info.message}`, secrets);
  const mapped = Class === ThrottledError ? new ThrottledError(text, { ...options, retryAfterMs: info.retryAfterMs }) : new Class(text, options);
  return wrapError(mapped, message, context);
}

/** True when err is (or wraps) an answer that the thing asked about does not exist. */
export function isNotFound(err: unknown): boolean {
  if (err instanceof NotFoundError) return true;
  if (err instanceof PledgeError) return err.cause !== undefined && isNotFound(err.cause);
  return classify(azureErrorInfo(err)) === NotFoundError;
}

function definedOnly(record: Record<string, string | number | undefined>): ErrorContext {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
