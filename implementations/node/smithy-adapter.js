#!/usr/bin/env node
'use strict';
// sigconform adapter for @smithy/signature-v4 (the AWS SDK for JavaScript
// v3 signer) with @aws-crypto/sha256-js, exact versions in package.json.
// Scheme: sigv4, op sign. See README.md.
//
// Driven through the public API: new SignatureV4({service, region,
// credentials, sha256: Sha256, uriEscapePath, applyChecksum}), then
// sign(request, {signingDate}) or presign(request, {signingDate, expiresIn}).
// The clock is never read: signingDate is context.time.
//
// Stages: SignatureV4 computes them in its protected methods
// createCanonicalRequest() and createStringToSign() (the extension points
// its own subclasses use). A subclass overrides both to call super and keep
// the returned string; the value reported is the library's own, unchanged.

const { Readable } = require('stream');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');
const { HttpRequest, parseQueryString, parseUrl, buildQueryString } = require('@smithy/core/protocols');
const { serve, splitURL, headerValue, parseTime, decodingChoice } = require('./common');

const VERSION = require('@smithy/signature-v4/package.json').version;

class RecordingSignatureV4 extends SignatureV4 {
  createCanonicalRequest(...args) {
    const s = super.createCanonicalRequest(...args);
    this.recorded.canonical_request = s;
    return s;
  }
  async createStringToSign(...args) {
    const s = await super.createStringToSign(...args);
    this.recorded.string_to_sign = s;
    return s;
  }
}

function unsupported(why) {
  return { unsupported: why };
}

async function sign(req) {
  const ctx = req.context || {};
  const r = req.request;
  if (!ctx.service || !ctx.region) return unsupported('the case has no context.service/region');
  if (!ctx.time) return unsupported('no context.time to pass as signingDate');
  if (ctx.omit_session_token && req.credentials.session_token) {
    return unsupported("omit_session_token: @smithy/signature-v4 signs the credentials' session token; the adapter knows no option of it that sends the token unsigned (aws-c-auth's omit_session_token)");
  }
  const presign = Number(ctx.presign_expires || 0) > 0;
  if (presign && ctx.sign_body) {
    return unsupported('sign_body with presign: SignatureV4.presign() has no option to add x-amz-content-sha256 (applyChecksum is read by sign() only)');
  }

  // Headers: a HeaderBag (Record<string, string>) holds one value per name.
  const headers = {};
  const seen = new Set();
  for (const [name, value] of r.headers || []) {
    const low = name.toLowerCase();
    if (seen.has(low)) {
      return unsupported('repeated header "' + name + '": a @smithy HttpRequest HeaderBag holds one string per name');
    }
    seen.add(low);
    headers[name] = value;
  }

  let u;
  try {
    u = splitURL(r.url);
  } catch (e) {
    return { error: e.message };
  }
  // Host and port as the SDK has them: its endpoint is parsed by
  // @smithy/core's parseUrl (toEndpointV1), a WHATWG URL, which drops a
  // default port; then the host-header middleware (aws-sdk-js-v3
  // packages/middleware-host-header: host = hostname + (port != null ?
  // ':' + port : '')) sets `host` before signing. The signer signs only the
  // headers it is given.
  let endpoint;
  try {
    endpoint = parseUrl(u.scheme + '://' + u.authority + '/');
  } catch (e) {
    return unsupported('the SDK parses an endpoint with parseUrl (WHATWG URL), which refuses ' + JSON.stringify(u.authority) + ': ' + e.message);
  }
  if (headerValue(r.headers, 'Host') === undefined) {
    headers.host = endpoint.hostname + (endpoint.port != null ? ':' + endpoint.port : '');
  }

  let query;
  if (u.hasQuery) {
    // HttpRequest.query holds decoded values: the SDK's serializers put
    // them there and never sign a raw query. Decoding one is the adapter's
    // choice, neutral only for a query in the canonical encoding.
    const why = decodingChoice(u.rawQuery);
    if (why) {
      return unsupported('@smithy/signature-v4 takes the query decoded (HttpRequest.query), so the adapter would decode it; ' +
        'it holds ' + why + ', and what that means is the case\'s question, which the library never sees');
    }
    try {
      // The SDK's own query parser (@smithy/core parseQueryString, used by
      // parseUrl): decodeURIComponent on each name and value.
      query = parseQueryString(u.rawQuery);
    } catch (e) {
      return { error: 'parseQueryString threw on the URL query: ' + e.message };
    }
  }

  // unsigned_payload: getPayloadHash() answers UNSIGNED-PAYLOAD for a body
  // that is neither a string nor bytes, i.e. a stream, as the SDK does for
  // streaming uploads. The body's bytes are the request's.
  let body = r.body;
  if (ctx.unsigned_payload) body = Readable.from([r.body || '']);
  else if (body === '') body = undefined;

  const request = new HttpRequest({
    method: r.method,
    protocol: u.scheme + ':',
    hostname: endpoint.hostname,
    port: endpoint.port,
    // The request line has "/" for an empty path; the path is given raw
    // (as on the wire), which is what SDK serializers put in HttpRequest.path.
    path: u.path || '/',
    query,
    headers,
    body,
  });

  const credentials = {
    accessKeyId: req.credentials.access_key,
    secretAccessKey: req.credentials.secret_key,
  };
  if (req.credentials.session_token) credentials.sessionToken = req.credentials.session_token;

  const signer = new RecordingSignatureV4({
    service: ctx.service,
    region: ctx.region,
    credentials,
    sha256: Sha256,
    // normalize_path=false is what S3 asks of the signer: the S3 client
    // constructs SignatureV4 with uriEscapePath: false.
    uriEscapePath: ctx.normalize_path !== false,
    applyChecksum: !!ctx.sign_body,
  });
  signer.recorded = {};
  const signingDate = new Date(parseTime(ctx.time));

  let signed;
  let signature;
  const outHeaders = [];
  if (presign) {
    signed = await signer.presign(request, { signingDate, expiresIn: Number(ctx.presign_expires) });
    signature = signed.query['X-Amz-Signature'];
  } else {
    signed = await signer.sign(request, { signingDate });
    const m = /Signature=([0-9a-f]*)/.exec(signed.headers.authorization || '');
    if (!m) return { error: 'no signature in the authorization header: ' + signed.headers.authorization };
    signature = m[1];
    for (const k of Object.keys(signed.headers)) {
      if (!(k in headers) || headers[k] !== signed.headers[k]) outHeaders.push([k, String(signed.headers[k])]);
    }
  }
  // The URL as @smithy/util-format-url's formatUrl writes it:
  // protocol//hostname[:port]path?buildQueryString(query).
  const qs = signed.query && Object.keys(signed.query).length ? buildQueryString(signed.query) : '';
  const url = signed.protocol + '//' + signed.hostname + (signed.port ? ':' + signed.port : '') + signed.path + (qs ? '?' + qs : '');

  const stages = {};
  if (signer.recorded.canonical_request !== undefined) stages.canonical_request = signer.recorded.canonical_request;
  if (signer.recorded.string_to_sign !== undefined) stages.string_to_sign = signer.recorded.string_to_sign;
  return { result: { signature, url, headers: outHeaders, stages } };
}

function handle(req) {
  if (req.scheme !== 'sigv4') {
    return unsupported('@smithy/signature-v4 ' + VERSION + ' implements AWS Signature Version 4 only');
  }
  if (req.op !== 'sign') {
    return unsupported('@smithy/signature-v4 only signs; it has no verifier');
  }
  return sign(req);
}

serve(handle);
