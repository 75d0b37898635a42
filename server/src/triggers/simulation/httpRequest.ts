/**
 * Raw HTTP request files as Tekton's developer CLIs read them (`cel-eval -r`, `binding-eval -r`,
 * `triggerrun -r`): a request line, header lines, a blank line and the body, with CRLF or LF line ends.
 * Like the current upstream CLIs, the body is everything after the blank line and a Content-Length header
 * that disagrees with it is corrected (the file is usually hand-edited).
 *
 * `buildActivation` turns a request into the variables the CEL interceptor sees (pkg/interceptors/cel/cel.go
 * makeEvalContext and pkg/sink/sink.go).
 */
import { canonicalMimeHeaderKey, goParseQuery } from '../../cel/goCompat';
import { mediaType } from './goEncoding';

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` → `X-Github-Event`. */
export function canonicalHeaderKey(key: string): string {
  return canonicalMimeHeaderKey(key);
}

/** A parsed HTTP request. */
export interface HttpRequest {
  method: string;
  /** The request target as written on the request line (`/foo?x=1`), which is what Tekton sees as the URL. */
  url: string;
  /** The protocol on the request line, e.g. `HTTP/1.1`. */
  proto: string;
  /** The Host header; Go moves it out of the header map into Request.Host. */
  host?: string;
  /** Headers by canonical name, every value kept in order (Go's http.Header). */
  headers: Record<string, string[]>;
  body: Buffer;
}

function isTokenChar(c: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/.test(c);
}

function decodeChunked(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = data.indexOf('\n', pos);
    if (lineEnd < 0) throw new Error('malformed chunked encoding: missing chunk size line');
    const sizeText = data.subarray(pos, lineEnd).toString('latin1').replace(/\r$/, '').split(';')[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new Error(`malformed chunked encoding: invalid chunk size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    pos = lineEnd + 1;
    if (size === 0) return Buffer.concat(parts);
    if (pos + size > data.length) throw new Error('malformed chunked encoding: unexpected end of data');
    parts.push(data.subarray(pos, pos + size));
    pos += size;
    if (data[pos] === 0x0d) pos++;
    if (data[pos] === 0x0a) pos++;
  }
}

/**
 * Parses a raw HTTP request. Throws an Error describing the first malformed line (as Go's
 * `http.ReadRequest` would refuse the file).
 */
export function parseHttpRequest(input: Buffer | string): HttpRequest {
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  // The header block ends at the first empty line (CRLF CRLF or LF LF, mixed endings allowed).
  let headerEnd = -1;
  let bodyStart = data.length;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0x0a) continue;
    let j = i + 1;
    if (data[j] === 0x0d) j++;
    if (data[j] === 0x0a) {
      headerEnd = i;
      bodyStart = j + 1;
      break;
    }
  }
  // headerEnd is the '\n' ending the last header line; drop that line's '\r' too.
  const head = data.subarray(0, headerEnd >= 0 ? headerEnd : data.length).toString('utf8').replace(/\r$/, '');
  const lines = head.split(/\r?\n/);
  // Go skips leading blank lines before the request line.
  while (lines.length && lines[0].trim() === '') lines.shift();
  const requestLine = lines.shift();
  if (!requestLine) throw new Error('malformed HTTP request: the file is empty');
  const parts = requestLine.trim().split(' ');
  if (parts.length !== 3 || !/^HTTP\/\d\.\d$/.test(parts[2]) || !/^[A-Z!#$%&'*+\-.^_`|~0-9a-z]+$/.test(parts[0])) {
    throw new Error(`malformed HTTP request ${JSON.stringify(requestLine)}`);
  }
  const [method, url, proto] = parts;

  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      // Obsolete line folding: a continuation of the previous header value.
      if (!last) throw new Error(`malformed MIME header initial line: ${JSON.stringify(line)}`);
      last[last.length - 1] = `${last[last.length - 1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed MIME header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon);
    if (![...name].every(isTokenChar)) throw new Error(`malformed MIME header line: ${JSON.stringify(line)}`);
    const key = canonicalHeaderKey(name);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    (headers[key] ??= []).push(value);
    last = headers[key];
  }

  let body: Buffer = Buffer.from(data.subarray(headerEnd >= 0 ? bodyStart : data.length));
  const te = (headers['Transfer-Encoding'] ?? []).join(',').toLowerCase();
  if (te.includes('chunked')) {
    body = decodeChunked(body);
    delete headers['Transfer-Encoding'];
  }
  // Recompute Content-Length from the body actually present.
  if (headers['Content-Length'] || body.length > 0) headers['Content-Length'] = [String(body.length)];

  let host: string | undefined;
  if (headers.Host) {
    host = headers.Host[0];
    delete headers.Host;
  }
  return { method, url, proto, host, headers, body };
}

/** The variables of the Triggers CEL environment for one event. */
export interface TriggersActivation {
  body: Record<string, unknown>;
  header: Record<string, string[]>;
  requestURL: string;
  extensions: Record<string, unknown>;
  [name: string]: unknown;
}


/**
 * The body as the interceptors receive it: for `application/x-www-form-urlencoded` requests whose body
 * parses as a form with more than one field, the EventListener converts the form to a JSON object of
 * string lists before running the chain (pkg/sink/sink.go); otherwise the bytes are passed on unchanged.
 */
export function interceptorBody(request: HttpRequest): Buffer {
  if (mediaType(request.headers['Content-Type']?.[0] ?? '') === 'application/x-www-form-urlencoded') {
    const { values, error } = goParseQuery(request.body.toString('utf8'));
    if (!error && values.size > 1) {
      const form: Record<string, string[]> = {};
      for (const [k, v] of values) form[k] = v;
      return Buffer.from(JSON.stringify(form), 'utf8');
    }
  }
  return request.body;
}

/**
 * Builds `body`, `header`, `requestURL` and `extensions` for the CEL interceptor. The body is parsed as
 * JSON (numbers become doubles); an empty body is `{}`; anything that is not a JSON object throws
 * "failed to parse the body as JSON: …" as Tekton does.
 */
export function buildActivation(request: HttpRequest, extensions: Record<string, unknown> = {}): TriggersActivation {
  const raw = interceptorBody(request);
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new Error(`failed to parse the body as JSON: ${(e as Error).message}`);
    }
    if (parsed === null) parsed = {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed;
      throw new Error(`failed to parse the body as JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
    }
    body = parsed as Record<string, unknown>;
  }
  return { body, header: request.headers, requestURL: request.url, extensions };
}
