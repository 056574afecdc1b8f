package sigconform

import (
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// A Header is written as a two-element list, [name, value], in YAML and JSON
// alike: short, ordered, and able to repeat a name.

// MarshalJSON writes h as ["name", "value"].
func (h Header) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{h.Name, h.Value})
}

// UnmarshalJSON reads ["name", "value"].
func (h *Header) UnmarshalJSON(b []byte) error {
	var pair []string
	if err := json.Unmarshal(b, &pair); err != nil {
		return fmt.Errorf("header must be [name, value]: %w", err)
	}
	if len(pair) != 2 {
		return fmt.Errorf("header must be [name, value], got %d elements", len(pair))
	}
	h.Name, h.Value = pair[0], pair[1]
	return nil
}

// MarshalYAML writes h as a flow sequence [name, value].
func (h Header) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range []string{h.Name, h.Value} {
		v := &yaml.Node{}
		if err := v.Encode(s); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, v)
	}
	return n, nil
}

// UnmarshalYAML reads [name, value].
func (h *Header) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		return fmt.Errorf("line %d: header must be [name, value]", n.Line)
	}
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: header name and value must be strings", c.Line)
		}
	}
	h.Name, h.Value = n.Content[0].Value, n.Content[1].Value
	return nil
}
