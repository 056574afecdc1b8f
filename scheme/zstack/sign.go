package zstack

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigconform/sigconform"
)

// Sign signs in.Request, the request as the client sends it. The Date
// header, when present, is signed exactly as written; without one,
// Context.Time (RFC 3339) is written with FormatDate and the Date header is
// returned with Authorization. The URL is returned unchanged. The
// CheckTimeZone variant only changes verifying and signs like the
// reference.
func (scheme) Sign(in sigconform.Input, variant string) (sigconform.Result, error) {
	r, err := rulesFor(variant)
	if err != nil {
		return sigconform.Result{}, err
	}
	if err := checkSignInput(in); err != nil {
		return sigconform.Result{}, err
	}
	date, addDate, err := signingDate(in)
	if err != nil {
		return sigconform.Result{}, err
	}
	sts, err := r.stringToSign(in.Request, date)
	if err != nil {
		return sigconform.Result{}, err
	}
	sig := Signature(in.Credentials.SecretKey, sts)

	res := sigconform.Result{
		Stages:    []sigconform.Stage{{Name: StageStringToSign, Value: sts}},
		Signature: sig,
		URL:       in.Request.URL,
	}
	if addDate {
		res.Headers = append(res.Headers, sigconform.Header{Name: "Date", Value: date})
	}
	res.Headers = append(res.Headers, sigconform.Header{Name: "Authorization", Value: Authorization(in.Credentials.AccessKey, sig)})
	return res, nil
}

func checkSignInput(in sigconform.Input) error {
	switch {
	case in.Request.Method == "":
		return errors.New("zstack: request has no method")
	case in.Credentials.AccessKey == "":
		return errors.New("zstack: no access key id")
	case strings.Contains(in.Credentials.AccessKey, ":"):
		// The server splits "<id>:<sig>" on ':' (and refuses to create
		// such keys: "access key and secret can not include ':'").
		return errors.New("zstack: the access key id must not contain ':'")
	case in.Credentials.SecretKey == "":
		return errors.New("zstack: no secret key")
	}
	return nil
}

// signingDate is the Date to sign and whether the signer adds the header.
func signingDate(in sigconform.Input) (date string, add bool, err error) {
	if d, ok := in.Request.Header("Date"); ok {
		return d, false, nil
	}
	if in.Context.Time == "" {
		return "", false, errors.New("zstack: the request has no Date header and context.time is empty")
	}
	t, err := time.Parse(time.RFC3339, in.Context.Time)
	if err != nil {
		return "", false, fmt.Errorf("zstack: context.time: %w", err)
	}
	d, err := FormatDate(t)
	if err != nil {
		return "", false, err
	}
	return d, true, nil
}
