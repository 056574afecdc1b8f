#!/usr/bin/env node
'use strict';
// sigconform adapter for the `csclient` npm package (CloudStack API client,
// ragnar-johannsson/csclient), exact version in package.json. Scheme:
// cloudstack, op sign. See README.md.
//
// csclient signs inside CloudStackClient.executeSync(cmd, params, cb), which
// always adds command, response=json, apiKey, signatureversion=3 and
// expires=<now + 5 minutes>, computes the signature with the method
// __calculateSignature(params) and sends the request with http.get.
//
// Two ways in, both through the library's own code:
//
//  A. executeSync, when the case's request is one executeSync can send
//     exactly (GET, its parameters include response=json, signature version
//     3 with an expires value in csclient's own format and no
//     signatureVersion/expires parameter of its own). The client is built
//     with its `http` option set to a stub whose get() records the request
//     options instead of opening a connection (no network), and the clock is
//     pinned to expires - 5 minutes so that executeSync's __isoDate() yields
//     the case's expires. Reported: signature and the URL it would GET.
//  B. otherwise, __calculateSignature(params) on a real client instance:
//     the method executeSync calls, given the request's parameters plus
//     apiKey (when no parameter is named apikey in any case) and, for
//     signature version 3, signatureversion=3 and expires=context.expires
//     when absent (csclient's own spellings). Reported: the signature only;
//     csclient builds its URL only inside executeSync, so no URL is reported
//     and a case that expects one shows `url` as missing.
//
// csclient does not expose the command string, so no stage is reported.

const { serve, splitURL, pinnableClock, decodingChoice } = require('./common');

// --- pinned clock ---------------------------------------------------------
// Before requiring the library, which may keep a reference to Date.
const clock = pinnableClock();
const RealDate = clock.RealDate;

const CloudStackClient = require('csclient');
const VERSION = require('csclient/package.json').version;

function unsupported(why) {
  return { unsupported: why };
}

// A stand-in for the http module: get() records what csclient would send.
function recordingHttp() {
  const sent = [];
  const EventEmitter = require('events');
  return {
    sent,
    get(options, _onResponse) {
      sent.push(options);
      return new EventEmitter();
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// formDecode decodes one query component as the CloudStack servlet does
// ('+' is a space, %XX are UTF-8 bytes). Returns null when it cannot be a
// JavaScript string (malformed escape or invalid UTF-8).
function formDecode(s) {
  s = s.replace(/\+/g, ' ');
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) return null;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch (e) {
    return null;
  }
}

function hasFold(params, name) {
  return Object.keys(params).some((k) => k.toLowerCase() === name);
}

const CSCLIENT_EXPIRES = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+0000$/;

function sign(req) {
  const r = req.request;
  const ctx = req.context || {};
  if (r.method.toUpperCase() !== 'GET') {
    return unsupported('csclient sends every request with http.get; a ' + r.method + ' request (or a form body) cannot be expressed');
  }
  if (r.body) return unsupported('csclient sends no request body');
  if (ctx.signature_version && ctx.signature_version !== '3') {
    return unsupported('csclient knows only signatureversion=3');
  }
  let u;
  try {
    u = splitURL(r.url);
  } catch (e) {
    return { error: e.message };
  }

  // csclient takes its parameters decoded (a params object) and encodes
  // them itself; decoding the query is the adapter's choice, neutral only
  // for a query in the canonical encoding.
  const why = decodingChoice(u.rawQuery);
  if (why) {
    return unsupported('csclient takes decoded parameters (a params object), so the adapter would decode the query; it holds ' +
      why + ', and what that means is the case\'s question, which the library never sees');
  }

  // The request's parameters as csclient's params object: one value per
  // name, in order.
  const params = {};
  for (const tok of u.rawQuery.split('&')) {
    if (tok === '') continue;
    const eq = tok.indexOf('=');
    const rawName = eq >= 0 ? tok.slice(0, eq) : tok;
    const rawValue = eq >= 0 ? tok.slice(eq + 1) : '';
    const name = formDecode(rawName);
    const value = formDecode(rawValue);
    if (name === null || value === null) {
      return unsupported('parameter ' + JSON.stringify(tok) + ' does not decode to a JavaScript string (malformed escape or invalid UTF-8); csclient takes parameter values as strings');
    }
    if (Object.prototype.hasOwnProperty.call(params, name)) {
      return unsupported('repeated parameter ' + JSON.stringify(name) + ': a csclient params object holds one value per name (an array is sent as name[0]=...)');
    }
    params[name] = value;
  }

  const secretKey = req.credentials.secret_key;
  const apiKey = req.credentials.access_key;
  const v3 = ctx.signature_version === '3';
  const m = v3 && ctx.expires ? CSCLIENT_EXPIRES.exec(ctx.expires) : null;

  const modeA = v3 && m && params.response === 'json' && typeof params.command === 'string' &&
    !hasFold(params, 'signatureversion') && !hasFold(params, 'expires') &&
    (!hasFold(params, 'apikey') || params.apiKey === apiKey);

  if (modeA) {
    const http = recordingHttp();
    const base = u.scheme + '://' + u.authority + (u.path || '/') + '?';
    const client = new CloudStackClient({ baseUrl: base, apiKey, secretKey, http });
    const p = Object.assign({}, params);
    clock.pin(RealDate.parse(m[1] + 'Z') - 5 * 60 * 1000);
    try {
      client.executeSync(params.command, p, () => {});
    } finally {
      clock.pin(null);
    }
    if (http.sent.length !== 1) return { error: 'csclient sent ' + http.sent.length + ' requests' };
    const o = http.sent[0];
    if (p.expires !== ctx.expires) {
      return { error: 'pinned clock gave expires ' + p.expires + ', not ' + ctx.expires };
    }
    return {
      result: {
        signature: p.signature,
        url: o.protocol + '//' + o.host + o.path,
      },
    };
  }

  // Mode B: the signing method itself.
  if (!hasFold(params, 'apikey')) params.apiKey = apiKey;
  if (v3) {
    if (!hasFold(params, 'signatureversion')) params.signatureversion = 3;
    if (!hasFold(params, 'expires')) {
      if (!ctx.expires) return unsupported('signature version 3 without context.expires');
      params.expires = ctx.expires;
    }
  } else if (ctx.expires) {
    return unsupported('context.expires without signature version 3');
  }
  const client = new CloudStackClient({
    baseUrl: u.scheme + '://' + u.authority + (u.path || '/') + '?',
    apiKey,
    secretKey,
    http: recordingHttp(),
  });
  return { result: { signature: client.__calculateSignature(params) } };
}

function handle(req) {
  if (req.scheme !== 'cloudstack') {
    return unsupported('csclient ' + VERSION + ' is a CloudStack client only');
  }
  if (req.op !== 'sign') {
    return unsupported('csclient only signs; it has no verifier');
  }
  return sign(req);
}

serve(handle);
