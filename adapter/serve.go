package adapter

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"

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
// one JSON response per line on w, until r ends, one request at a time and
// in order.
func ServeLines(ctx context.Context, impl Impl, r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	for {
		line, err := readRequest(in)
		if err == io.EOF {
			return out.Flush()
		}
		if err != nil {
			return err
		}
		resp := answerLine(ctx, impl, line)
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

// ServeLinesConcurrent is ServeLines with up to n requests answered at
// once, each answer written as soon as it is ready, so out of order (the
// runner matches answers to requests by id). impl must be safe for
// concurrent use. n <= 1 is ServeLines.
func ServeLinesConcurrent(ctx context.Context, impl Impl, r io.Reader, w io.Writer, n int) error {
	if n <= 1 {
		return ServeLines(ctx, impl, r, w)
	}
	in := bufio.NewReaderSize(r, 64<<10)
	lines := make(chan []byte, n)
	answers := make(chan []byte, n)
	var workers sync.WaitGroup
	for range n {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for line := range lines {
				resp := answerLine(ctx, impl, line)
				b, err := json.Marshal(resp)
				if err != nil {
					b, _ = json.Marshal(&Response{ID: resp.ID, Error: err.Error()})
				}
				answers <- append(b, '\n')
			}
		}()
	}
	// The writer flushes when no other answer is waiting: one write for
	// a batch.
	werr := make(chan error, 1)
	go func() {
		out := bufio.NewWriter(w)
		var err error
		for b := range answers {
			if err != nil {
				continue // drain, so that no worker blocks
			}
			if _, err = out.Write(b); err == nil && len(answers) == 0 {
				err = out.Flush()
			}
		}
		if err == nil {
			err = out.Flush()
		}
		werr <- err
	}()
	var rerr error
	for {
		line, err := readRequest(in)
		if err != nil {
			if err != io.EOF {
				rerr = err
			}
			break
		}
		lines <- line
	}
	close(lines)
	workers.Wait()
	close(answers)
	return cmp.Or(rerr, <-werr)
}

// answerLine answers one request line.
func answerLine(ctx context.Context, impl Impl, line []byte) *Response {
	req, err := decodeRequest(line, json.Unmarshal)
	if err != nil {
		return &Response{Error: "not a request: " + err.Error()}
	}
	return Answer(ctx, impl, req)
}

// decodeRequest reads a request with the hand-written decoder, and with
// decode (encoding/json's, as the transport wants it) what that does not
// take.
func decodeRequest(b []byte, decode func([]byte, any) error) (*Request, error) {
	if req, ok := fastRequest(b); ok {
		return req, nil
	}
	req := &Request{}
	if err := decode(b, req); err != nil {
		return nil, err
	}
	return req, nil
}

// decodeFirst decodes the first JSON value of b into v, ignoring what
// follows it, as the HTTP handler always read a body.
func decodeFirst(b []byte, v any) error { return json.NewDecoder(bytes.NewReader(b)).Decode(v) }

// readRequest reads one request line (readLine); the last one may end
// without its newline.
func readRequest(r *bufio.Reader) ([]byte, error) {
	line, err := readLine(r, "request")
	if err == io.ErrUnexpectedEOF {
		return line, nil
	}
	return line, err
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
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxMessage))
		if err != nil {
			http.Error(w, "reading the request: "+err.Error(), http.StatusBadRequest)
			return
		}
		req, err := decodeRequest(body, decodeFirst)
		if err != nil {
			http.Error(w, "not a request: "+err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		// net/http serves each connection on a goroutine of its own:
		// several requests in flight are answered at once.
		w.Header().Set(WindowHeader, strconv.Itoa(DefaultWindow))
		_ = json.NewEncoder(w).Encode(Answer(r.Context(), impl, req))
	})
}
