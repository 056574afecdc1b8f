package cloudstack

import (
	"errors"
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Explain takes apart a signed request as the server received it.
//
// Given is the signature parameter (name in any case) as the servlet decodes
// it. The parameters are parsed as Verify parses them: the API servlet's
// map (utf8Fixup, last value of a repeated query name wins) or, under
// /client/console, the container's (first value wins). The signature
// parameter is left out of the command string, so the parameters are
// exactly those the signer had when it signed.
//
// Variant "" recomputes what ApiServer.verifyRequest signs: Given equals
// Signature exactly when Verify accepts the request, expiry aside (the
// signatureVersion=3 rules are never applied, Context.Time is not read).
// A signing variant recomputes what a client behaving as the variant signed
// over the same decoded values: every variant but urlsafe-base64 changes
// the command string (its order: codepoint-order, pairs-sorted,
// lowercase-then-sort; the encoding of values: brackets-unencoded,
// tilde-unencoded, plus-for-space, star-encoded, rfc3986-unreserved,
// unencoded-values; of names: names-encoded; its case: no-lowercase; or
// all of a library's at once: csclient, libcloud), urlsafe-base64 only how
// the HMAC is written. Every CloudStack variant signs; a variant that only changed
// verifying would get the reference's explanation, as Sign gives it the
// reference's signature.
//
// The request must carry signature and apiKey parameters and, outside
// /client/console, command, or the server refuses it before the HMAC; an
// access key, when given, must be the request's apiKey.
func (scheme) Explain(in sigconform.Input, variant string) (sigconform.Explanation, error) {
	rl, err := signingRules(variant)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	r, v := parseSigned(in.Request)
	if !v.Accept {
		return sigconform.Explanation{}, fmt.Errorf("cloudstack: cannot explain the request: %s", v.Detail)
	}
	if k := in.Credentials.AccessKey; k != "" && k != r.apiKey {
		return sigconform.Explanation{}, fmt.Errorf("cloudstack: the request's apiKey %q is not the access key given", r.apiKey)
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Explanation{}, errors.New("cloudstack: no secret key to recompute the signature with")
	}
	cs, _, sig := rl.sign(in.Credentials.SecretKey, r.params, r.names)
	return sigconform.Explanation{
		Given:     r.signature,
		Stages:    []sigconform.Stage{{Name: StageCommandString, Value: cs}},
		Signature: sig,
		AccessKey: r.apiKey,
		Clock:     expiryClock(r.params),
	}, nil
}

// expiryClock is a clock at which a signatureVersion=3 request has not
// expired yet (a second before its expires), or "" for a request without
// one, which any clock finds current.
func expiryClock(params Params) string {
	expires, ok := params.lookupFold("expires")
	if !ok {
		return ""
	}
	t, err := ParseExpires(expires)
	if err != nil {
		return ""
	}
	return t.Add(-time.Second).UTC().Format(time.RFC3339)
}
