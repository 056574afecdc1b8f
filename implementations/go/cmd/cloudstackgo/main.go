// Command cloudstackgo is a sigconform adapter (protocol
// sigconform-adapter/v1 on standard input and output) for the API request
// signing of the Apache CloudStack Go SDK, github.com/apache/cloudstack-go/v2.
// The SDK's signing code is unexported, so the adapter drives the SDK's
// client against a local net/http/httptest server on 127.0.0.1 and reads the
// signature off the request the client sends. See README.md.
package main

import (
	"log"

	"github.com/sigconform/sigconform/implementations/go/internal/vecreq"
)

func main() {
	s, err := newSigner()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	vecreq.Serve(s)
}
