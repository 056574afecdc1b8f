'use strict';
// Shared plumbing for the Node adapters: the sigconform-adapter/v1 loop
// (docs/protocol.md) and a URL split that does not re-encode anything.
// Nothing here signs: each adapter hands the pieces to its library.

const readline = require('readline');

const PROTOCOL = 'sigconform-adapter/v1';

// serve reads one JSON request per line from stdin, calls handle(req)
// (which may return a promise) and writes one JSON response per line,
// strictly one request at a time.
function serve(handle) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    chain = chain.then(() => answer(line, handle)).then((resp) => {
      process.stdout.write(JSON.stringify(resp) + '\n');
    });
  });
}

async function answer(line, handle) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { id: '', error: 'request is not JSON: ' + e.message };
  }
  const id = typeof req.id === 'string' ? req.id : '';
  if (req.protocol !== PROTOCOL) {
    return { id, error: 'unknown protocol ' + JSON.stringify(req.protocol) };
  }
  let out;
  try {
    out = await handle(req);
  } catch (e) {
    out = { error: 'library threw: ' + (e && e.stack ? String(e.stack).split('\n').slice(0, 3).join(' | ') : String(e)) };
  }
  return Object.assign({ id }, out);
}

// splitURL splits a raw absolute URL by hand, as the reference does
// (scheme/sigv4/request.go splitURL): no WHATWG URL parsing, which would
// resolve dot segments and re-encode the path. The fragment is dropped
// (never sent). hasQuery tells "/p?" from "/p".
function splitURL(raw) {
  let rest = raw;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const sep = rest.indexOf('://');
  if (sep <= 0) throw new Error('url is not absolute: ' + raw);
  const scheme = rest.slice(0, sep).toLowerCase();
  rest = rest.slice(sep + 3);
  let end = rest.search(/[/?]/);
  if (end < 0) end = rest.length;
  const authority = rest.slice(0, end);
  rest = rest.slice(end);
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  const rawQuery = q >= 0 ? rest.slice(q + 1) : '';
  const hasQuery = q >= 0;
  // host and port as an HTTP client sends them in Host: no userinfo, no
  // default port.
  let hostport = authority;
  const at = hostport.lastIndexOf('@');
  if (at >= 0) hostport = hostport.slice(at + 1);
  let hostname = hostport;
  let port = '';
  const m = /^(.*):(\d*)$/.exec(hostport);
  if (m && !hostport.endsWith(']')) {
    hostname = m[1];
    port = m[2];
  }
  // defaultPortWritten: the URL spells out the scheme's default port, which
  // HTTP clients differ on keeping in the Host header.
  const defaultPortWritten = (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
  if (defaultPortWritten) port = '';
  return { scheme, authority, path, rawQuery, hasQuery, hostname, port, defaultPortWritten, hostHeader: port ? hostname + ':' + port : hostname };
}

// rfc3986 percent-encodes every byte of s but the unreserved ones.
function rfc3986(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// decodingChoice says why decoding a raw query (or form body) into
// name/value pairs would be the adapter's choice, or returns null when it
// is not: the decoding loses nothing only when every name and value is
// written in the canonical encoding (unreserved bytes as they are, every
// other byte %XX with upper-case hex, UTF-8), every pair has '=' and no pair
// is empty. A library that takes decoded parameters never sees the raw
// query, so for any other form the adapter's decoder would answer the
// case's question. (implementations/python/sigconform_common.py
// decoding_choice is the same rule.)
function decodingChoice(raw) {
  if (raw === '') return null;
  for (const tok of raw.split('&')) {
    if (tok === '') return "an empty pair ('&&' or a trailing '&')";
    const eq = tok.indexOf('=');
    if (eq < 0) return 'the name ' + JSON.stringify(tok) + " without '='";
    for (const part of [tok.slice(0, eq), tok.slice(eq + 1)]) {
      let dec;
      try {
        dec = decodeURIComponent(part);
      } catch (e) {
        return JSON.stringify(part) + ', whose escapes are not UTF-8';
      }
      if (rfc3986(dec) !== part) return JSON.stringify(part) + ', not in the canonical encoding (' + rfc3986(dec) + ')';
    }
  }
  return null;
}

// headerValue returns the first value of a header (case-insensitive name).
function headerValue(headers, name) {
  for (const [k, v] of headers || []) {
    if (k.trim().toLowerCase() === name.toLowerCase()) return v;
  }
  return undefined;
}

// amzDate formats an RFC 3339 time as X-Amz-Date (used only to compare
// with a header, never to sign).
function parseTime(rfc3339) {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) throw new Error('context.time is not RFC 3339: ' + rfc3339);
  return t;
}

// clock replaces the global Date constructor, once, so that `new Date()`
// without arguments and Date.now() read a pinned time while one is set
// (clock.pin(millis)) and the real clock otherwise (clock.pin(null)); every
// other use of Date is untouched. Libraries that read the clock this way
// are pinned to the vector's time without patching their code. Call it
// before requiring the library, which may keep a reference to Date.
function pinnableClock() {
  const RealDate = Date;
  let pinned = null;
  class PinnedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0 && pinned !== null) super(pinned);
      else super(...args);
    }
    static now() {
      return pinned !== null ? pinned : RealDate.now();
    }
  }
  globalThis.Date = PinnedDate;
  return { pin(millis) { pinned = millis; }, RealDate };
}

module.exports = { PROTOCOL, serve, splitURL, headerValue, parseTime, pinnableClock, decodingChoice };
