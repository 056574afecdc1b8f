#!/usr/bin/env node
'use strict';
// sigconform adapter for the `aws4` npm package (mhart/aws4), exact version
// in package.json. Scheme: sigv4, op sign. See README.md.
//
// The library's real code path is driven: new aws4.RequestSigner(opts, creds)
// then .sign(), which is what aws4.sign() does. Before sign() the adapter
// calls the signer's own canonicalString() and stringToSign() to report the
// stages (they are memoised inputs of sign(), so calling them first changes
// nothing: prepareRequest() and filterHeaders() run once either way).
//
// Clock: aws4 reads the clock in RequestSigner.getDateTime() with
// `new Date(headers.Date || headers.date || new Date)`. The adapter replaces
// the global Date constructor in-process so that `new Date()` without
// arguments (and Date.now()) return context.time; every other use of Date is
// untouched. An X-Amz-Date header on the request is passed through and aws4
// uses it as it is (prepareRequest), as it does for any caller.

const { serve, splitURL, headerValue, parseTime, pinnableClock } = require('./common');

// --- pinned clock ---------------------------------------------------------
// Before requiring the library, which may keep a reference to Date.
const clock = pinnableClock();

const aws4 = require('aws4');
const AWS4_VERSION = require('aws4/package.json').version;

function unsupported(why) {
  return { unsupported: why };
}

function sign(req) {
  const ctx = req.context || {};
  const r = req.request;
  const service = ctx.service;
  const region = ctx.region;
  if (!service || !region) {
    return unsupported('the case has no context.service/region; aws4 would guess them from the host name');
  }
  const isS3 = service === 's3';
  const normalize = ctx.normalize_path !== false;
  const presign = Number(ctx.presign_expires || 0) > 0;

  // Context switches aws4 has no option for. aws4 derives all of them from
  // the service name (RequestSigner.canonicalString / prepareRequest).
  if (!normalize && !isS3) {
    return unsupported('normalize_path=false: aws4 leaves the path unnormalized and single-encoded only when service is "s3" ' +
      '(canonicalString: normalizePath = this.service !== \'s3\'); it has no option for another service');
  }
  if (normalize && isS3) {
    return unsupported('service s3 with a normalized path: aws4 never normalizes an s3 path (normalizePath = this.service !== \'s3\')');
  }
  if (ctx.unsigned_payload && !(isS3 && presign)) {
    return unsupported('unsigned_payload: aws4 uses UNSIGNED-PAYLOAD only for an s3 presigned URL ' +
      '(canonicalString: if (this.service === \'s3\' && this.request.signQuery) bodyHash = \'UNSIGNED-PAYLOAD\'); it has no option otherwise');
  }
  if (!ctx.unsigned_payload && isS3 && presign) {
    return unsupported('s3 presign with a hashed payload: aws4 always signs UNSIGNED-PAYLOAD for an s3 presigned URL');
  }
  if (ctx.sign_body && (presign || !isS3)) {
    return unsupported('sign_body: aws4 adds x-amz-content-sha256 only for service s3 with header signing ' +
      '(prepareRequest: if (this.service === \'s3\' && !headers[\'X-Amz-Content-Sha256\'] ...)); it has no option for this case');
  }
  if (!ctx.sign_body && isS3 && !presign && headerValue(r.headers, 'X-Amz-Content-Sha256') === undefined) {
    return unsupported('service s3 without sign_body: aws4 always adds and signs x-amz-content-sha256 for s3');
  }

  const hasAmzDate = headerValue(r.headers, 'X-Amz-Date') !== undefined;
  if (ctx.time) {
    clock.pin(parseTime(ctx.time));
  } else if (!hasAmzDate || presign) {
    return unsupported('no context.time to pin the clock to');
  } else {
    clock.pin(null);
  }
  if (ctx.omit_session_token && req.credentials.session_token) {
    return unsupported("omit_session_token: aws4 signs the credentials' session token; the adapter knows no option of it that sends the token unsigned (aws-c-auth's omit_session_token)");
  }

  let u;
  try {
    u = splitURL(r.url);
  } catch (e) {
    return { error: e.message };
  }

  // aws4 signs Host as opts.hostname (or host), plus ':' + opts.port
  // whenever a port is given ("If a port is specified explicitly, use it as
  // is", RequestSigner.prepareRequest). Whether a default port the URL spells
  // out reaches opts.port is its caller's choice (WHATWG new URL() drops it,
  // url.parse() keeps it): the adapter would decide the case.
  if (u.defaultPortWritten && headerValue(r.headers, 'Host') === undefined) {
    return unsupported('aws4 signs Host as hostname + \':\' + port whenever a port is given (RequestSigner.prepareRequest); ' +
      'whether the default port the URL spells out is passed is left to its caller (new URL() drops it, url.parse() keeps it), ' +
      'and the request has no Host header to take it from');
  }

  // Headers as Node's http.request options carry them: an object, a repeated
  // name (any case) as an array of values under its first spelling.
  const headers = {};
  const spelling = {};
  for (const [name, value] of r.headers || []) {
    const low = name.toLowerCase();
    if (!(low in spelling)) {
      spelling[low] = name;
      headers[name] = value;
    } else {
      const k = spelling[low];
      headers[k] = [].concat(headers[k], value);
    }
  }
  const given = Object.assign({}, headers);

  let path = (u.path || '/') + (u.hasQuery ? '?' + u.rawQuery : '');
  if (presign) {
    // aws4 has no expiry option: its README puts X-Amz-Expires in the path
    // ("path: '/?X-Amz-Expires=12345', signQuery: true").
    path += (u.hasQuery ? (u.rawQuery === '' || u.rawQuery.endsWith('&') ? '' : '&') : '?') +
      'X-Amz-Expires=' + String(ctx.presign_expires);
  }

  const opts = {
    host: u.hostname,
    path,
    method: r.method,
    headers,
    service,
    region,
  };
  if (u.port) opts.port = u.port;
  if (r.body !== undefined && r.body !== '') opts.body = r.body;
  if (presign) opts.signQuery = true;

  const creds = {
    accessKeyId: req.credentials.access_key,
    secretAccessKey: req.credentials.secret_key,
  };
  if (req.credentials.session_token) creds.sessionToken = req.credentials.session_token;

  let signer, canonical, sts, signed;
  try {
    signer = new aws4.RequestSigner(opts, creds);
    canonical = signer.canonicalString();
    sts = signer.stringToSign();
    signed = signer.sign();
  } finally {
    clock.pin(null);
  }

  let signature;
  const outHeaders = [];
  if (presign) {
    signature = signer.parsedPath.query['X-Amz-Signature'];
  } else {
    const auth = signed.headers.Authorization;
    const m = /Signature=([0-9a-f]*)/.exec(auth || '');
    if (!m) return { error: 'aws4 produced no Authorization signature: ' + auth };
    signature = m[1];
  }
  for (const k of Object.keys(signed.headers)) {
    const v = signed.headers[k];
    if (!(k in given) || given[k] !== v) {
      outHeaders.push([k, Array.isArray(v) ? v.join(',') : String(v)]);
    }
  }
  return {
    result: {
      signature,
      url: u.scheme + '://' + u.authority + signed.path,
      headers: outHeaders,
      stages: { canonical_request: canonical, string_to_sign: sts },
    },
  };
}

function handle(req) {
  if (req.scheme !== 'sigv4') {
    return unsupported('aws4 ' + AWS4_VERSION + ' implements AWS Signature Version 4 only');
  }
  if (req.op !== 'sign') {
    return unsupported('aws4 only signs; it has no verifier');
  }
  return sign(req);
}

serve(handle);
