package sigv2

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

func (o rules) hostLine(r *request) string {
	switch o.host {
	case hostNoPort:
		return strings.ToLower(hostWithoutPort(r.authority))
	case hostWritten:
		return r.authority
	case hostCaseKept:
		return hostDefaultPortDropped(r.authority, r.scheme)
	}
	return Host(r.authority, r.scheme)
}

// verbLine is the method line of the version 2 string to sign.
func (o rules) verbLine(r *request) string {
	if o.getVerb {
		return "GET"
	}
	return r.method
}

// pathLine is the path of the version 2 string to sign: as sent, or
// decoded as Go's url.URL.Path holds it.
func (o rules) pathLine(r *request) string {
	if o.decodedPath {
		if p, err := url.PathUnescape(r.path); err == nil {
			return p
		}
	}
	return r.path
}

// stringToSign builds the string to sign of the given version over params.
func (o rules) stringToSign(version, host string, r *request, params []Param) (string, error) {
	switch version {
	case Version0:
		return StringToSignV0(params)
	case Version1:
		return StringToSignV1(params), nil
	case Version2:
		return stringToSignV2(o.verbLine(r), host, o.pathLine(r), params, o.plus, o.tilde), nil
	}
	return "", fmt.Errorf("unknown SignatureVersion %q (want 0, 1 or 2)", version)
}

// signedString is the string to sign o builds for the request as received:
// its parameters (Signature left out) under the version the request claims,
// the host line as o derives it.
func (o rules) signedString(c claim, r *request) (string, error) {
	return o.stringToSign(c.version, o.hostLine(r), r, r.params)
}

// Sign signs in.Request as a Signature Version 2 (or, per
// Context.SignatureVersion, 0 or 1) client would. See the package comment.
func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	o, err := rulesFor(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	if in.Credentials.AccessKey == "" || in.Credentials.SecretKey == "" {
		return sigconform.Result{}, errors.New("sigv2: credentials need an access key and a secret key")
	}
	req, err := parseRequest(in.Request)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("sigv2: %w", err)
	}
	version, method, err := signingVersion(in.Context)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("sigv2: %w", err)
	}
	params, err := o.authParams(req.params, in, version, method)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("sigv2: %w", err)
	}
	sts, err := o.stringToSign(version, o.hostLine(req), req, params)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("sigv2: %w", err)
	}
	sig, err := Signature(in.Credentials.SecretKey, method, sts)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("sigv2: %w", err)
	}
	res := sigconform.Result{
		Stages:    []sigconform.Stage{{Name: StageStringToSign, Value: sts}},
		Signature: sig,
		URL:       in.Request.URL,
	}
	if !req.inBody {
		res.URL = req.base + "?" + sentQuery(params, version, o.plus, o.tilde) + "&" + paramSignature + "=" + encode(sig, o.plus, o.tilde)
	}
	return res, nil
}

// sentQuery is the query string (or form body) the signer sends, Signature
// left out: the canonical query, except that under version 1 names equal but
// for case (foo, Foo, FOO), while keeping the places byte order gives them,
// are written among themselves in the order params lists them, the order
// StringToSignV1 signs them in. A verifier reading them sorts them stably by
// their lowercased names in the order received, so it signs the same string.
// Every other query is CanonicalQuery's.
func sentQuery(params []Param, version string, plus, tilde bool) string {
	if version != Version1 {
		return canonicalQuery(params, plus, tilde) // which leaves Signature out itself
	}
	ps := slices.DeleteFunc(slices.Clone(params), func(p Param) bool { return p.Name == paramSignature })
	given := map[string][]Param{}
	for _, p := range ps {
		k := strings.ToLower(p.Name)
		given[k] = append(given[k], p)
	}
	sortByName(ps)
	for i, p := range ps {
		k := strings.ToLower(p.Name)
		ps[i], given[k] = given[k][0], given[k][1:]
	}
	return writeQuery(ps, plus, tilde)
}

// signingVersion reads the version and HMAC the signer uses from ctx:
// version 2 with HmacSHA256 unless told otherwise; versions 0 and 1 are
// HMAC-SHA1 only.
func signingVersion(ctx sigconform.Context) (version, method string, err error) {
	version = ctx.SignatureVersion
	if version == "" {
		version = Version2
	}
	switch version {
	case Version2:
		method = ctx.SignatureMethod
		if method == "" {
			method = HmacSHA256
		}
		if method != HmacSHA256 && method != HmacSHA1 {
			return "", "", fmt.Errorf("unknown SignatureMethod %q (want %s or %s)", method, HmacSHA256, HmacSHA1)
		}
	case Version0, Version1:
		if ctx.SignatureMethod != "" && ctx.SignatureMethod != HmacSHA1 {
			return "", "", fmt.Errorf("signature version %s is HmacSHA1 only, not %q", version, ctx.SignatureMethod)
		}
		method = HmacSHA1
	default:
		return "", "", fmt.Errorf("unknown SignatureVersion %q (want 0, 1 or 2)", version)
	}
	return version, method, nil
}

// authParams returns the request's parameters with the authentication ones
// the signer adds, an old Signature dropped (a retry), nothing else changed.
func authParams(in []Param, input sigconform.Input, version, method string) ([]Param, error) {
	return rules{}.authParams(in, input, version, method)
}

// authParams is authParams as o's signer adds them: SecurityToken left out
// under security-token-unsigned.
func (o rules) authParams(in []Param, input sigconform.Input, version, method string) ([]Param, error) {
	params := slices.DeleteFunc(slices.Clone(in), func(p Param) bool { return p.Name == paramSignature })
	params = set(params, paramAccessKey, input.Credentials.AccessKey)
	params = set(params, paramSignatureVersion, version)
	if version == Version2 {
		params = set(params, paramSignatureMethod, method)
	}
	if tok := input.Credentials.SessionToken; tok != "" && !o.noToken {
		params = set(params, paramSecurityToken, tok)
	}
	_, hasTS := lookup(params, paramTimestamp)
	_, hasExp := lookup(params, paramExpires)
	if !hasTS && !hasExp {
		if input.Context.Time == "" {
			return nil, errors.New("the request has neither Timestamp nor Expires and context.time is empty")
		}
		t, err := time.Parse(time.RFC3339, input.Context.Time)
		if err != nil {
			return nil, fmt.Errorf("context.time: %w", err)
		}
		params = set(params, paramTimestamp, t.UTC().Format(TimeFormat))
	}
	return params, nil
}
