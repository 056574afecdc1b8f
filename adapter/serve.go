package adapter

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/suites"
)

// Impl is an implementation served as an adapter.
type Impl interface {
	suites.Signer
	suites.Verifier
}

// Answer runs one request against impl and returns its response. A
// suites.ErrUnsupported from impl becomes an unsupported answer, any other
// error an error answer.
func Answer(ctx context.Context, impl Impl, req *Request) *Response {
	resp := &Response{ID: req.ID}
	if req.Protocol != Version {
		resp.Error = fmt.Sprintf("protocol %q, this adapter speaks %q", req.Protocol, Version)
		return resp
	}
	var err error
	switch req.Op {
	case OpSign:
		var r sigconform.Result
		r, err = impl.Sign(ctx, req.Input())
		if err == nil {
			resp.Result = fromResult(r)
		}
	case OpVerify:
		var v sigconform.Verdict
		v, err = impl.Verify(ctx, req.Input())
		if err == nil {
			resp.Verdict = &v
		}
	default:
		err = fmt.Errorf("unknown op %q", req.Op)
	}
	switch {
	case errors.Is(err, suites.ErrUnsupported):
		resp.Unsupported = err.Error()
	case err != nil:
		resp.Error = err.Error()
	}
	return resp
}

// ServeLines answers requests read from r, one JSON request per line, with
// one JSON response per line on w, until r ends.
func ServeLines(ctx context.Context, impl Impl, r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	for {
		line, err := readLine(in)
		if err == io.EOF {
			return out.Flush()
		}
		if err != nil {
			return err
		}
		var req Request
		var resp *Response
		if err := json.Unmarshal(line, &req); err != nil {
			resp = &Response{Error: "not a request: " + err.Error()}
		} else {
			resp = Answer(ctx, impl, &req)
		}
		if err := enc.Encode(resp); err != nil {
			return err
		}
		// Flush only when no further request is already waiting: one
		// write per batch, not per line, when requests arrive quickly.
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return err
			}
		}
	}
}

func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxMessage {
			return nil, fmt.Errorf("a request line longer than %d bytes", MaxMessage)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(buf) > 0:
			return buf, nil
		case err != nil:
			return nil, err
		}
		return buf, nil
	}
}

// Handler serves impl over HTTP: each POST body is a request, each response
// body the response.
func Handler(impl Impl) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST a sigconform adapter request", http.StatusMethodNotAllowed)
			return
		}
		var req Request
		if err := json.NewDecoder(io.LimitReader(r.Body, MaxMessage)).Decode(&req); err != nil {
			http.Error(w, "not a request: "+err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		// net/http serves each connection on a goroutine of its own:
		// several requests in flight are answered at once.
		w.Header().Set(WindowHeader, strconv.Itoa(DefaultWindow))
		_ = json.NewEncoder(w).Encode(Answer(r.Context(), impl, &req))
	})
}
