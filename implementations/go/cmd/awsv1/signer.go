package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/request"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	v2 "github.com/aws/aws-sdk-go/private/signer/v2"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/implementations/go/internal/vecreq"
)

type impl struct{}

// Verify: the SDK signs; it has no verifier for either version.
func (impl) Verify(_ context.Context, in sigconform.Input) (sigconform.Verdict, error) {
	return sigconform.Verdict{}, vecreq.Unsupported("aws-sdk-go v1 only signs; it has no %s verifier", in.Scheme)
}

func (impl) Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	switch in.Scheme {
	case "sigv4":
		return signV4(ctx, in)
	case "sigv2":
		return signV2(ctx, in)
	}
	return sigconform.Result{}, vecreq.Unsupported("aws-sdk-go v1 signs sigv4 (aws/signer/v4) and sigv2 (private/signer/v2), not %s", in.Scheme)
}

// logCapture is the aws.Logger the signers write their debug message to
// (aws.LogDebugWithSigning): v4.go logSigningInfo and v2.go logSigningInfo
// print the canonical string and the string to sign they built.
type logCapture struct{ msg string }

func (l *logCapture) Log(args ...interface{}) { l.msg = fmt.Sprint(args...) }

// between returns the text of msg after the line that starts with from, up
// to the next "\n---[" line.
func between(msg, from string) (string, bool) {
	i := strings.Index(msg, from)
	if i < 0 {
		return "", false
	}
	rest := msg[i+len(from):]
	j := strings.IndexByte(rest, '\n')
	if j < 0 {
		return "", false
	}
	rest = rest[j+1:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return "", false
	}
	return rest[:end], true
}

// s3like are the services for which v4.go buildBodyDigest sets
// X-Amz-Content-Sha256 by itself.
var s3like = map[string]bool{"s3": true, "s3-object-lambda": true, "glacier": true, "s3-outposts": true}

func signV4(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	c := in.Context
	t, req, err := vecreq.SigningRequest(ctx, in)
	if err != nil {
		return sigconform.Result{}, err
	}
	presign := c.PresignExpires > 0
	// signWithBody replaces the given time with time.Now() when the
	// request already carries a signature (isRequestSigned), and the
	// clock function is unexported: refuse rather than sign at the
	// wrong time.
	if req.Header.Get("Authorization") != "" || (presign && req.URL.Query().Get("X-Amz-Signature") != "") {
		return sigconform.Result{}, vecreq.Unsupported("the request already carries a signature: aws-sdk-go v1 would re-sign it at time.Now(), which cannot be pinned from outside the package")
	}
	// The signer adds X-Amz-Content-Sha256 only for S3-like services or
	// with UnsignedPayload; it has no switch to add it otherwise (its doc:
	// set the header yourself with a precomputed hash).
	if c.SignBody && !s3like[c.Service] && !c.UnsignedPayload && req.Header.Get("X-Amz-Content-Sha256") == "" {
		return sigconform.Result{}, vecreq.Unsupported("sign_body: aws-sdk-go v1 sets X-Amz-Content-Sha256 only for s3, s3-object-lambda, glacier, s3-outposts or with UnsignedPayload, not for service %q", c.Service)
	}
	if err := vecreq.SignsSessionToken(in, "aws-sdk-go v1"); err != nil {
		return sigconform.Result{}, err
	}
	orig := req.Header.Clone()
	logger := &logCapture{}
	signer := v4.NewSigner(credentials.NewStaticCredentials(in.Credentials.AccessKey, in.Credentials.SecretKey, in.Credentials.SessionToken), func(s *v4.Signer) {
		s.Debug = aws.LogDebugWithSigning
		s.Logger = logger
		// No path normalization exists to turn off; this is the second
		// ("double") escaping only.
		s.DisableURIPathEscaping = !vecreq.Bool(c.NormalizePath, true)
		s.UnsignedPayload = c.UnsignedPayload
	})
	var body io.ReadSeeker
	if in.Request.Body != "" {
		body = strings.NewReader(in.Request.Body)
	}
	res := sigconform.Result{}
	if presign {
		if _, err := signer.Presign(req, body, c.Service, c.Region, time.Duration(c.PresignExpires)*time.Second, t); err != nil {
			return sigconform.Result{}, err
		}
		res.URL = req.URL.String()
		res.Signature = req.URL.Query().Get("X-Amz-Signature")
	} else {
		if _, err := signer.Sign(req, body, c.Service, c.Region, t); err != nil {
			return sigconform.Result{}, err
		}
		auth := req.Header.Get("Authorization")
		if i := strings.LastIndex(auth, "Signature="); i >= 0 {
			res.Signature = auth[i+len("Signature="):]
		}
	}
	res.Headers = vecreq.Added(orig, req.Header)
	cr, ok1 := between(logger.msg, "---[ CANONICAL STRING  ]")
	sts, ok2 := between(logger.msg, "---[ STRING TO SIGN ]")
	if ok1 && ok2 {
		res.Stages = []sigconform.Stage{{Name: "canonical_request", Value: cr}, {Name: "string_to_sign", Value: sts}}
	}
	return res, nil
}

func signV2(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	c := in.Context
	// private/signer/v2 writes SignatureVersion=2 and
	// SignatureMethod=HmacSHA256, constants in v2.go.
	if c.SignatureVersion != "" && c.SignatureVersion != "2" {
		return sigconform.Result{}, vecreq.Unsupported("private/signer/v2 signs SignatureVersion 2 only, not %s", c.SignatureVersion)
	}
	if c.SignatureMethod != "" && c.SignatureMethod != "HmacSHA256" {
		return sigconform.Result{}, vecreq.Unsupported("private/signer/v2 signs HmacSHA256 only, not %s", c.SignatureMethod)
	}
	t, err := vecreq.Time(c)
	if err != nil {
		return sigconform.Result{}, err
	}
	if err := v2Expressible(in, t); err != nil {
		return sigconform.Result{}, err
	}
	// The SDK builds HTTPRequest.URL with url.Parse (request.New); the v2
	// signer reads URL.Host and the decoded URL.Path.
	hreq, err := vecreq.ParsedRequest(ctx, in.Request)
	if err != nil {
		return sigconform.Result{}, err
	}
	logger := &logCapture{}
	// The request the SDK's handlers pass to v2.SignSDKRequest. Time is
	// the field request.New fills with time.Now(); the signer reads it for
	// Timestamp, so it is set to the case's time here.
	r := &request.Request{
		Config: aws.Config{
			Credentials: credentials.NewStaticCredentials(in.Credentials.AccessKey, in.Credentials.SecretKey, in.Credentials.SessionToken),
			LogLevel:    aws.LogLevel(aws.LogDebugWithSigning),
			Logger:      logger,
		},
		Operation:   &request.Operation{Name: "sigconform", HTTPMethod: in.Request.Method, HTTPPath: "/"},
		HTTPRequest: hreq,
		Time:        t,
	}
	v2.SignSDKRequest(r)
	if r.Error != nil {
		if strings.Contains(r.Error.Error(), "only handles") {
			return sigconform.Result{}, vecreq.Unsupported("private/signer/v2: %v (method %s)", r.Error, in.Request.Method)
		}
		return sigconform.Result{}, r.Error
	}
	res := sigconform.Result{}
	var signed url.Values
	if hreq.Method == http.MethodPost {
		// SignSDKRequest puts the signed parameters in the body.
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return sigconform.Result{}, err
		}
		if signed, err = url.ParseQuery(string(b)); err != nil {
			return sigconform.Result{}, fmt.Errorf("the signed body does not parse: %v", err)
		}
		res.URL = in.Request.URL
	} else {
		signed = hreq.URL.Query()
		res.URL = hreq.URL.String()
	}
	res.Signature = signed.Get("Signature")
	if sts, ok := between(logger.msg, "---[ STRING TO SIGN ]"); ok {
		res.Stages = []sigconform.Stage{{Name: "string_to_sign", Value: sts}}
	}
	return res, nil
}

// v2Expressible refuses the requests private/signer/v2 cannot send as the
// vector writes them.
func v2Expressible(in sigconform.Input, t time.Time) error {
	u, err := url.Parse(in.Request.URL)
	if err != nil {
		return err
	}
	params := u.Query()
	if in.Request.Method == http.MethodPost {
		// Sign reads v2.Request.PostForm only (v2.go:98-106): the URL's
		// query is neither signed nor moved, and net/http parses a body as
		// a form only with Content-Type application/x-www-form-urlencoded,
		// which the SDK's query protocol always sets.
		if len(params) > 0 {
			return vecreq.Unsupported("a POST with parameters in the URL: private/signer/v2 signs and sends the form body only (v2.go:98-106, SignSDKRequest SetStringBody)")
		}
		ct := ""
		for _, h := range in.Request.Headers {
			if strings.EqualFold(h.Name, "Content-Type") {
				ct = h.Value
			}
		}
		if mt, _, _ := strings.Cut(ct, ";"); !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
			return vecreq.Unsupported("a POST body without Content-Type application/x-www-form-urlencoded: http.Request.ParseForm does not read it, and the SDK's query protocol always sets that type")
		}
		if params, err = url.ParseQuery(in.Request.Body); err != nil {
			return vecreq.Unsupported("the form body does not parse: %v", err)
		}
	}
	// Sign always sets Timestamp from request.Time (v2.go:117).
	own := t.UTC().Format("2006-01-02T15:04:05Z")
	if _, ok := params["Expires"]; ok {
		return vecreq.Unsupported("private/signer/v2 always sets Timestamp (v2.go:117), so a request signed with Expires cannot be expressed: it would carry both, which SigV2 refuses")
	}
	if ts, ok := params["Timestamp"]; ok && (len(ts) != 1 || ts[0] != own) {
		return vecreq.Unsupported("private/signer/v2 always sets Timestamp from request.Time (v2.go:117): the request's Timestamp=%s cannot be expressed (context.time gives %s)", strings.Join(ts, ","), own)
	}
	return nil
}
