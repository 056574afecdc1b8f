package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/implementations/go/internal/vecreq"
)

type impl struct{}

// Verify: the SDK signs; it has no verifier.
func (impl) Verify(context.Context, sigconform.Input) (sigconform.Verdict, error) {
	return sigconform.Verdict{}, vecreq.Unsupported("aws-sdk-go-v2 only signs; it has no SigV4 verifier")
}

// stageLogger receives the signer's LogSigning message, whose arguments are
// the canonical string and the string to sign it built
// (aws/signer/v4/v4.go logSigningInfo).
type stageLogger struct {
	canonical, stringToSign string
	got                     bool
}

func (l *stageLogger) Logf(_ logging.Classification, format string, v ...interface{}) {
	if !strings.HasPrefix(format, "Request Signature:") || len(v) < 2 {
		return
	}
	l.canonical, _ = v[0].(string)
	l.stringToSign, _ = v[1].(string)
	l.got = true
}

// payload runs the SDK's own finalize middlewares that an operation's stack
// runs before signing: ComputePayloadSHA256 (hex SHA-256 of the request
// stream) or UnsignedPayload, then, when the case signs the body hash,
// ContentSHA256Header (sets X-Amz-Content-Sha256 to that hash). It returns
// the payload hash the middlewares left in the context and the header they
// set.
func payload(ctx context.Context, body string, unsigned, header bool) (string, string, error) {
	sreq := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if body != "" {
		var err error
		if sreq, err = sreq.SetStream(strings.NewReader(body)); err != nil {
			return "", "", err
		}
	}
	var hash string
	last := middleware.FinalizeHandlerFunc(func(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
		hash = v4.GetPayloadHash(ctx)
		return middleware.FinalizeOutput{}, middleware.Metadata{}, nil
	})
	var next middleware.FinalizeHandler = last
	if header {
		h := &v4.ContentSHA256Header{}
		next = middleware.FinalizeHandlerFunc(func(ctx context.Context, in middleware.FinalizeInput) (middleware.FinalizeOutput, middleware.Metadata, error) {
			return h.HandleFinalize(ctx, in, last)
		})
	}
	in := middleware.FinalizeInput{Request: sreq}
	var err error
	if unsigned {
		_, _, err = (&v4.UnsignedPayload{}).HandleFinalize(ctx, in, next)
	} else {
		_, _, err = (&v4.ComputePayloadSHA256{}).HandleFinalize(ctx, in, next)
	}
	if err != nil {
		return "", "", err
	}
	return hash, sreq.Header.Get("X-Amz-Content-Sha256"), nil
}

func (impl) Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	if in.Scheme != "sigv4" {
		return sigconform.Result{}, vecreq.Unsupported("aws-sdk-go-v2's aws/signer/v4 signs SigV4 only, not %s", in.Scheme)
	}
	c := in.Context
	t, req, err := vecreq.SigningRequest(ctx, in)
	if err != nil {
		return sigconform.Result{}, err
	}
	presign := c.PresignExpires > 0
	if err := vecreq.SignsSessionToken(in, "aws-sdk-go-v2's aws/signer/v4"); err != nil {
		return sigconform.Result{}, err
	}

	hash, shaHeader, err := payload(ctx, in.Request.Body, c.UnsignedPayload, c.SignBody)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("payload middleware: %v", err)
	}
	orig := req.Header.Clone()
	if c.SignBody && !presign {
		// What ContentSHA256Header set on the operation's request. A
		// presigned URL carries no such header (sign_body is header
		// signing's, as in aws-c-auth); it still signs the body's hash.
		req.Header.Set("X-Amz-Content-Sha256", shaHeader)
	}

	creds := aws.Credentials{
		AccessKeyID:     in.Credentials.AccessKey,
		SecretAccessKey: in.Credentials.SecretKey,
		SessionToken:    in.Credentials.SessionToken,
	}
	logger := &stageLogger{}
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.Logger = logger
		o.LogSigning = true
		// The SDK has no path normalization to turn off: it never removes
		// dot segments or empty segments. Its only path switch is the
		// second ("double") escaping, which S3 turns off.
		o.DisableURIPathEscaping = !vecreq.Bool(c.NormalizePath, true)
	})

	var res sigconform.Result
	if presign {
		res, err = presignURL(ctx, signer, creds, req, hash, c, t)
	} else {
		res, err = signHeaders(ctx, signer, creds, req, hash, c, t)
	}
	if err != nil {
		return sigconform.Result{}, err
	}
	res.Headers = vecreq.Added(orig, req.Header)
	if logger.got {
		res.Stages = []sigconform.Stage{
			{Name: "canonical_request", Value: logger.canonical},
			{Name: "string_to_sign", Value: logger.stringToSign},
		}
	}
	return res, nil
}

// presignURL presigns req for c.PresignExpires seconds and returns the URL
// and its signature. Any header the adapter set is signed: the presigned
// URL must be sent with it (the caller reports them).
func presignURL(ctx context.Context, signer *v4.Signer, creds aws.Credentials, req *http.Request, hash string, c sigconform.Context, t time.Time) (sigconform.Result, error) {
	// PresignHTTP does not set X-Amz-Expires: its doc says to add the
	// query parameter to the request first.
	sep := "&"
	if req.URL.RawQuery == "" {
		sep = ""
	}
	req.URL.RawQuery += sep + "X-Amz-Expires=" + strconv.Itoa(c.PresignExpires)
	signed, _, err := signer.PresignHTTP(ctx, creds, req, hash, c.Service, c.Region, t)
	if err != nil {
		return sigconform.Result{}, err
	}
	u, err := url.Parse(signed)
	if err != nil {
		return sigconform.Result{}, fmt.Errorf("the presigned URL does not parse: %v", err)
	}
	return sigconform.Result{URL: signed, Signature: u.Query().Get("X-Amz-Signature")}, nil
}

// signHeaders signs req in its Authorization header and returns the
// signature from it.
func signHeaders(ctx context.Context, signer *v4.Signer, creds aws.Credentials, req *http.Request, hash string, c sigconform.Context, t time.Time) (sigconform.Result, error) {
	if err := signer.SignHTTP(ctx, creds, req, hash, c.Service, c.Region, t); err != nil {
		return sigconform.Result{}, err
	}
	res := sigconform.Result{}
	auth := req.Header.Get("Authorization")
	if i := strings.LastIndex(auth, "Signature="); i >= 0 {
		res.Signature = auth[i+len("Signature="):]
	}
	return res, nil
}
