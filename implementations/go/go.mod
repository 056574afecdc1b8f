module github.com/sigconform/sigconform/implementations/go

go 1.25

require (
	github.com/apache/cloudstack-go/v2 v2.16.1
	github.com/aws/aws-sdk-go v1.55.8
	github.com/aws/aws-sdk-go-v2 v1.47.7
	github.com/aws/smithy-go v1.28.8
	github.com/sigconform/sigconform v0.0.0
)

require (
	github.com/golang/mock v1.6.0 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/jmespath/go-jmespath v0.4.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)

replace github.com/sigconform/sigconform => ../..
