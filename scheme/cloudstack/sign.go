package cloudstack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sigconform/sigconform"
)

// Sign signs in.Request.URL, whose query (and form body, for a POST with
// Content-Type application/x-www-form-urlencoded) holds the parameters as
// sent. It adds apiKey=<access key> when no parameter is named apikey in any
// case, signatureVersion=3 and expires=<Context.Expires> when
// Context.SignatureVersion is "3" and they are missing, then appends
// signature=<URL-encoded signature>. Result.Headers stays empty.
func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	rl, err := signingRules(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Result{}, errors.New("cloudstack: empty secret key (Java's SecretKeySpec refuses it)")
	}
	params, names, base, query, _, err := requestParams(in.Request)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("cloudstack: %w", err)
	}
	if _, ok := params.lookupFold("signature"); ok {
		return sigconform.Result{}, errors.New("cloudstack: request already has a signature parameter")
	}
	added, err := missingParams(params, in)
	if err != nil {
		return sigconform.Result{}, err
	}
	for _, p := range added {
		params[p[0]] = p[1]
		names = append(names, p[0]) // appended to the URL, after the request's own
	}
	cs, _, sig := rl.sign(in.Credentials.SecretKey, params, names)

	var u strings.Builder
	u.Grow(len(base) + len(query) + 2*len(sig) + 64)
	u.WriteString(base)
	u.WriteByte('?')
	u.WriteString(query)
	if query != "" && !strings.HasSuffix(query, "&") {
		u.WriteByte('&')
	}
	for _, p := range added {
		u.WriteString(p[0])
		u.WriteByte('=')
		u.WriteString(JavaURLEncode(p[1]))
		u.WriteByte('&')
	}
	u.WriteString("signature=")
	u.WriteString(JavaURLEncode(sig))
	return sigconform.Result{
		Stages:    []sigconform.Stage{{Name: StageCommandString, Value: cs}},
		Signature: sig,
		URL:       u.String(),
	}, nil
}

// missingParams lists, in the order they are appended, the parameters the
// signer adds: apiKey, then signatureVersion and expires for version 3.
func missingParams(params Params, in sigconform.Input) ([][2]string, error) {
	var added [][2]string
	if _, ok := params.lookupFold("apikey"); !ok {
		if in.Credentials.AccessKey == "" {
			return nil, errors.New("cloudstack: no apiKey parameter and no access key to add")
		}
		added = append(added, [2]string{"apiKey", in.Credentials.AccessKey})
	}
	switch v := in.Context.SignatureVersion; v {
	case "":
		if in.Context.Expires != "" {
			return nil, errors.New("cloudstack: context.expires needs context.signature_version 3")
		}
	case "3":
		if _, ok := params.lookupFold("signatureversion"); !ok {
			added = append(added, [2]string{"signatureVersion", "3"})
		}
		if _, ok := params.lookupFold("expires"); !ok {
			if in.Context.Expires == "" {
				return nil, errors.New("cloudstack: signature version 3 needs context.expires")
			}
			added = append(added, [2]string{"expires", in.Context.Expires})
		}
	default:
		return nil, fmt.Errorf("cloudstack: unsupported signature version %q (only 3 exists)", v)
	}
	return added, nil
}
