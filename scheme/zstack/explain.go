package zstack

import (
	"errors"
	"fmt"
	"time"

	"github.com/sigconform/sigconform"
)

// Explain takes apart a signed request as the server received it.
//
// Given is the signature in "Authorization: ZStack <id>:<signature>", read
// as ParseAuthorization (the server) reads it. The string to sign is built
// from the request's method, its Date header exactly as written and its
// URL. The Date is neither parsed nor compared with a clock, and
// Context.Time is not read: explaining is about the signature, and the
// server signs the Date as text.
//
// Variant "" signs the URI the server signs (path without /zstack,
// percent-decoded, no query): Given equals Signature exactly when Verify
// accepts the request, Date checks aside. with-context-prefix signs the
// path with /zstack kept, with-query-string appends "?" and the query as
// sent. check-time-zone only changes how the server checks the Date, so it
// gets the reference's explanation, as Sign gives it the reference's
// signature.
//
// The request must have a method, a ZStack Authorization header with a key
// id and a signature, and a Date header, or the server refuses it before
// the HMAC; an access key, when given, must be the request's key id.
func (scheme) Explain(in sigconform.Input, variant string) (sigconform.Explanation, error) {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	auth, ok := in.Request.Header("Authorization")
	if !ok {
		return sigconform.Explanation{}, errors.New("zstack: no Authorization header")
	}
	keyID, sig, err := ParseAuthorization(auth)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	if k := in.Credentials.AccessKey; k != "" && k != keyID {
		return sigconform.Explanation{}, fmt.Errorf("zstack: the request's access key id %q is not the access key given", keyID)
	}
	date, ok := in.Request.Header("Date")
	if !ok {
		return sigconform.Explanation{}, errors.New("zstack: no Date header (the server refuses the request before the signature)")
	}
	if in.Request.Method == "" {
		return sigconform.Explanation{}, errors.New("zstack: request has no method")
	}
	if in.Credentials.SecretKey == "" {
		return sigconform.Explanation{}, errors.New("zstack: no secret key to recompute the signature with")
	}
	sts, err := r.stringToSign(in.Request, date)
	if err != nil {
		return sigconform.Explanation{}, err
	}
	return sigconform.Explanation{
		Given:     sig,
		Stages:    []sigconform.Stage{{Name: StageStringToSign, Value: sts}},
		Signature: Signature(in.Credentials.SecretKey, sts),
		AccessKey: keyID,
		Clock:     dateClock(date),
	}, nil
}

// dateClock is a server clock that reads the Date the request carries.
func dateClock(date string) string {
	d, err := ParseDate(date)
	if err != nil {
		return ""
	}
	return d.Wall.Format(time.RFC3339)
}
