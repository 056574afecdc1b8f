// Command awsv2 is a sigconform adapter (protocol sigconform-adapter/v1 on
// standard input and output) for the SigV4 signer of the AWS SDK for Go v2,
// github.com/aws/aws-sdk-go-v2/aws/signer/v4. See README.md.
package main

import "github.com/sigconform/sigconform/implementations/go/internal/vecreq"

func main() { vecreq.Serve(impl{}) }
