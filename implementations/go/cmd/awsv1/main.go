// Command awsv1 is a sigconform adapter (protocol sigconform-adapter/v1 on
// standard input and output) for the SigV4 and SigV2 signers of the AWS SDK for Go v1,
// github.com/aws/aws-sdk-go aws/signer/v4 and private/signer/v2. See README.md.
package main

import "github.com/sigconform/sigconform/implementations/go/internal/vecreq"

func main() { vecreq.Serve(impl{}) }
