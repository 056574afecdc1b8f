package adapter

import (
	"context"
	"errors"
	"fmt"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
)

// ErrBroken marks an adapter that did not answer in the protocol: it crashed,
// hung, wrote something that is not a response, or answered another case.
var ErrBroken = errors.New("adapter broke")

// exchanger sends one request and reads its response, refusing an answer
// for another id.
type exchanger interface {
	exchange(ctx context.Context, req *Request) (*Response, error)
}

// client turns the protocol into suites.Signer and suites.Verifier.
type client struct{ x exchanger }

func (c client) do(ctx context.Context, op string, in sigconform.Input) (*Response, error) {
	resp, err := c.x.exchange(ctx, newRequest(op, in))
	if err != nil {
		return nil, err
	}
	set := 0
	for _, b := range []bool{resp.Result != nil, resp.Verdict != nil, resp.Unsupported != "", resp.Error != ""} {
		if b {
			set++
		}
	}
	switch {
	case set != 1:
		return nil, fmt.Errorf("%w: a response sets exactly one of result, verdict, unsupported and error; this one sets %d", ErrBroken, set)
	case resp.Unsupported != "":
		return nil, fmt.Errorf("%w: %s", suites.ErrUnsupported, resp.Unsupported)
	case resp.Error != "":
		return nil, fmt.Errorf("%w: the adapter reported an error: %s", ErrBroken, resp.Error)
	case op == OpSign && resp.Result == nil, op == OpVerify && resp.Verdict == nil:
		return nil, fmt.Errorf("%w: a %s request needs a %s in the response", ErrBroken, op, map[string]string{OpSign: "result", OpVerify: "verdict"}[op])
	}
	return resp, nil
}

func newRequest(op string, in sigconform.Input) *Request {
	return &Request{
		Protocol: Version, ID: in.ID, Op: op, Scheme: in.Scheme,
		Credentials: in.Credentials, Request: in.Request, Context: in.Context,
	}
}

// Sign asks the adapter to sign in.
func (c client) Sign(ctx context.Context, in sigconform.Input) (sigconform.Result, error) {
	resp, err := c.do(ctx, OpSign, in)
	if err != nil {
		return sigconform.Result{}, err
	}
	return resp.Result.toResult(in.Scheme), nil
}

// Verify asks the adapter to verify in.
func (c client) Verify(ctx context.Context, in sigconform.Input) (sigconform.Verdict, error) {
	resp, err := c.do(ctx, OpVerify, in)
	if err != nil {
		return sigconform.Verdict{}, err
	}
	return *resp.Verdict, nil
}
