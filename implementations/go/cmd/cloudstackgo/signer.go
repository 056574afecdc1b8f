package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/apache/cloudstack-go/v2/cloudstack"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/implementations/go/internal/vecreq"
)

// captured is what the SDK's client sent to the local server.
type captured struct {
	method, rawQuery, body string
}

// signer runs a local server that answers every request with an empty API
// response and keeps the last request it received.
type signer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	last *captured
}

func newSigner() (*signer, error) {
	s := &signer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.last = &captured{method: r.Method, rawQuery: r.URL.RawQuery, body: string(b)}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		// getRawValue in cloudstack.go takes the first member's value.
		_, _ = io.WriteString(w, `{"sigconformresponse":{}}`)
	}))
	return s, nil
}

// Close stops the local server.
func (s *signer) Close() { s.srv.Close() }

// Verify: cloudstack-go is a client; it has no verifier.
func (s *signer) Verify(context.Context, sigconform.Input) (sigconform.Verdict, error) {
	return sigconform.Verdict{}, vecreq.Unsupported("cloudstack-go is an API client; it has no signature verifier")
}

type param struct{ name, value string }

// decode splits a query string or form body into decoded parameters, as
// CloudStack's servlet container does ('+' is a space), because the SDK's
// API takes decoded values and encodes them itself.
func decode(raw string) ([]param, error) {
	if why := vecreq.DecodingChoice(raw); why != "" {
		return nil, vecreq.Unsupported("cloudstack-go takes decoded parameters (CustomServiceParams), so the adapter would decode the query or body; it holds %s, and what that means is the case's question, which the library never sees", why)
	}
	var out []param
	for _, tok := range strings.Split(raw, "&") {
		if tok == "" {
			continue
		}
		k, v, _ := strings.Cut(tok, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return nil, vecreq.Unsupported("parameter name %q is not a valid escape, and cloudstack-go takes decoded parameters: %v", k, err)
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return nil, vecreq.Unsupported("parameter %q has a malformed escape, and cloudstack-go takes decoded values: %v", dk, err)
		}
		out = append(out, param{dk, dv})
	}
	return out, nil
}

func (s *signer) Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	if in.Scheme != "cloudstack" {
		return sigconform.Result{}, vecreq.Unsupported("cloudstack-go signs CloudStack API requests only, not %s", in.Scheme)
	}
	c := in.Context
	if c.SignatureVersion != "" || c.Expires != "" {
		return sigconform.Result{}, vecreq.Unsupported("cloudstack-go has no signatureVersion=3/expires support (newRawRequest adds apiKey, command and response only)")
	}
	p, err := vecreq.Split(in.Request.URL)
	if err != nil {
		return sigconform.Result{}, err
	}
	params, post, err := requestParams(in.Request, p)
	if err != nil {
		return sigconform.Result{}, err
	}
	api, cp, err := sdkArguments(params, in.Credentials.AccessKey)
	if err != nil {
		return sigconform.Result{}, err
	}
	got, err := s.call(s.srv.URL+p.Path, in.Credentials, api, cp, post)
	if err != nil {
		return sigconform.Result{}, err
	}
	return resultOf(got, p.Scheme+"://"+p.Host+p.Path)
}

// requestParams decodes the parameters of the vector's request, from its
// query for a GET and its form body for a POST (post is then true): where
// cloudstack-go's CustomRequest and CustomPostRequest put them.
func requestParams(req sigconform.Request, p vecreq.Parts) (params []param, post bool, err error) {
	switch req.Method {
	case http.MethodGet:
		if req.Body != "" {
			return nil, false, vecreq.Unsupported("a GET with a body: cloudstack-go sends none")
		}
		params, err = decode(p.RawQuery)
		return params, false, err
	case http.MethodPost:
		if p.RawQuery != "" {
			return nil, true, vecreq.Unsupported("a POST with parameters in the URL: cloudstack-go's CustomPostRequest sends every parameter in the form body")
		}
		params, err = decode(req.Body)
		return params, true, err
	default:
		return nil, false, vecreq.Unsupported("cloudstack-go sends GET (CustomRequest) or POST (CustomPostRequest) only, not %s", req.Method)
	}
}

// sdkArguments turns the request's parameters into what a user of the
// SDK passes: the command name as the api argument and the command's own
// parameters. The SDK adds apiKey, command and response=json itself
// (newRawRequest); a signature already on the request is a previous
// signing's, not a parameter.
func sdkArguments(params []param, accessKey string) (string, *cloudstack.CustomServiceParams, error) {
	api := ""
	cp := &cloudstack.CustomServiceParams{}
	seen := map[string]string{}
	for _, pr := range params {
		switch {
		case pr.name == "command":
			if api != "" && api != pr.value {
				return "", nil, vecreq.Unsupported("two command parameters: cloudstack-go takes one api name")
			}
			api = pr.value
			continue
		case strings.EqualFold(pr.name, "apikey") && pr.value == accessKey:
			continue
		case strings.EqualFold(pr.name, "signature"):
			continue
		}
		if v, ok := seen[pr.name]; ok {
			if v == pr.value {
				continue
			}
			return "", nil, vecreq.Unsupported("parameter %q is repeated: CustomServiceParams is a map, one value per name", pr.name)
		}
		seen[pr.name] = pr.value
		cp.SetParam(pr.name, pr.value)
	}
	if api == "" {
		return "", nil, vecreq.Unsupported("no command parameter: cloudstack-go calls API commands only (it always sends command=<api>)")
	}
	// newRawRequest always sets response=json before signing: a request
	// without it (or with another response) is not one the SDK can send.
	if v, ok := seen["response"]; !ok || v != "json" {
		return "", nil, vecreq.Unsupported("cloudstack-go always sends response=json (newRawRequest: params.Set(\"response\", \"json\")); the request has no response=json")
	}
	return api, cp, nil
}

// call has cloudstack-go send the api call with cp to the local server at
// base, signed with creds, and returns the request the server received.
func (s *signer) call(base string, creds sigconform.Credentials, api string, cp *cloudstack.CustomServiceParams, post bool) (*captured, error) {
	cs := cloudstack.NewClient(base, creds.AccessKey, creds.SecretKey, false)
	cs.Timeout(4 * time.Second)
	s.mu.Lock()
	s.last = nil
	s.mu.Unlock()
	// CloudStackClient.Custom is declared as the empty interface
	// CustomServiceIface; NewCustomService returns *CustomService, whose
	// CustomRequest and CustomPostRequest are the generic calls.
	custom, ok := cs.Custom.(*cloudstack.CustomService)
	if !ok {
		return nil, fmt.Errorf("cloudstack-go: Custom is %T, not *CustomService", cs.Custom)
	}
	var out map[string]interface{}
	var err error
	if post {
		err = custom.CustomPostRequest(api, cp, &out)
	} else {
		err = custom.CustomRequest(api, cp, &out)
	}
	s.mu.Lock()
	got := s.last
	s.mu.Unlock()
	if got == nil {
		if err != nil {
			// EncodeValues writes parameter names unescaped, so a name
			// with a space makes a request line net/http's server refuses.
			return nil, fmt.Errorf("cloudstack-go's request never reached the server's handler (refused as malformed HTTP; EncodeValues does not escape parameter names); the client said: %v", err)
		}
		return nil, fmt.Errorf("cloudstack-go sent no request")
	}
	if err != nil {
		return nil, fmt.Errorf("cloudstack-go: %v", err)
	}
	return got, nil
}

// resultOf reads the signature from the request cloudstack-go sent; for a
// GET, the signed URL is reported on vectorBase, the vector's own base.
func resultOf(got *captured, vectorBase string) (sigconform.Result, error) {
	res := sigconform.Result{}
	var signed string
	if got.method == http.MethodPost {
		// PostForm sends every parameter, apiKey and signature included,
		// in the form body; a result has no field for a body, and the bare
		// URL applied to the vector's body is a request the SDK never
		// sends, so no URL is reported.
		signed = got.body
	} else {
		signed = got.rawQuery
		res.URL = vectorBase + "?" + got.rawQuery
	}
	for _, tok := range strings.Split(signed, "&") {
		if k, v, ok := strings.Cut(tok, "="); ok && k == "signature" {
			var err error
			if res.Signature, err = url.QueryUnescape(v); err != nil {
				return sigconform.Result{}, fmt.Errorf("signature %q: %v", v, err)
			}
		}
	}
	if res.Signature == "" {
		// A '#' in a parameter name (EncodeValues does not escape names)
		// starts a fragment: what follows, signature included, is never
		// sent.
		return sigconform.Result{}, fmt.Errorf("the request cloudstack-go sent carries no signature (EncodeValues does not escape parameter names; a '#' cuts the query): it sent %q", signed)
	}
	return res, nil
}
