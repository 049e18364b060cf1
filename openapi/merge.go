package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

type fragment struct {
	name string
	text []byte
}

// merged are the keys whose entries fragments add to the base's: paths,
// and each kind of component. Anything else in a later fragment (its own
// info, openapi) only makes it a valid document on its own.
var merged = map[string]bool{"paths": true, "components": true, "webhooks": true}

// merge makes one document of an API's fragments: the first is the base,
// the others add paths, components of each kind and tags; a path or a
// component defined twice is an error, since one of the two would
// silently win.
func merge(fragments []fragment) (*Document, error) {
	var base *yaml.Node
	for _, f := range fragments {
		var doc yaml.Node
		if err := yaml.Unmarshal(f.text, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s: not a mapping", f.name)
		}
		root := doc.Content[0]
		if base == nil {
			base = root
			continue
		}
		for i := 0; i < len(root.Content); i += 2 {
			key, value := root.Content[i].Value, root.Content[i+1]
			switch {
			case key == "tags":
				into := child(base, key, yaml.SequenceNode)
				into.Content = append(into.Content, value.Content...)
			case merged[key]:
				into := child(base, key, yaml.MappingNode)
				if err := addEntries(into, value, key, key == "components"); err != nil {
					return nil, fmt.Errorf("%s: %w", f.name, err)
				}
			}
		}
	}
	var y bytes.Buffer
	enc := yaml.NewEncoder(&y)
	enc.SetIndent(2)
	if err := enc.Encode(base); err != nil {
		return nil, err
	}
	var j bytes.Buffer
	if err := writeJSON(&j, base); err != nil {
		return nil, err
	}
	return &Document{YAML: y.Bytes(), JSON: j.Bytes(), Operations: operations(base)}, nil
}

// addEntries adds from's entries to into; nested: from's values are maps
// whose entries are added one level down (components/schemas/X).
func addEntries(into, from *yaml.Node, where string, nested bool) error {
	if from.Kind != yaml.MappingNode {
		return fmt.Errorf("%s is not a mapping", where)
	}
	for i := 0; i < len(from.Content); i += 2 {
		key, value := from.Content[i], from.Content[i+1]
		existing := lookup(into, key.Value)
		switch {
		case nested:
			if err := addEntries(child(into, key.Value, yaml.MappingNode), value, where+"/"+key.Value, false); err != nil {
				return err
			}
		case existing != nil:
			return fmt.Errorf("%s/%s is defined twice", where, key.Value)
		default:
			into.Content = append(into.Content, key, value)
		}
	}
	return nil
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// child is m's value at key, added (of kind) when m lacks it.
func child(m *yaml.Node, key string, kind yaml.Kind) *yaml.Node {
	if v := lookup(m, key); v != nil {
		if v.Kind == kind {
			return v
		}
		// An empty "paths: {}" or "tags: []" is written in flow style.
		v.Kind, v.Tag, v.Style = kind, "", 0
		return v
	}
	v := &yaml.Node{Kind: kind}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

func operations(root *yaml.Node) int {
	n := 0
	if paths := lookup(root, "paths"); paths != nil {
		for i := 1; i < len(paths.Content); i += 2 {
			item := paths.Content[i]
			for j := 0; j < len(item.Content); j += 2 {
				if methods[item.Content[j].Value] {
					n++
				}
			}
		}
	}
	return n
}

// writeJSON writes n as JSON with its keys in the order written, which
// encoding/json's maps would sort.
func writeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		return writeJSON(b, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(b, n.Alias)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, err := marshalString(n.Content[i].Value)
			if err != nil {
				return err
			}
			b.Write(k)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		return writeScalar(b, n)
	}
	return nil
}

func writeScalar(b *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return err
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int":
		var v int64
		if err := n.Decode(&v); err != nil {
			return err
		}
		b.WriteString(strconv.FormatInt(v, 10))
	case "!!float":
		var v float64
		if err := n.Decode(&v); err != nil {
			return err
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("line %d: %v has no JSON form", n.Line, v)
		}
		out, _ := json.Marshal(v)
		b.Write(out)
	default:
		out, err := marshalString(n.Value)
		if err != nil {
			return err
		}
		b.Write(out)
	}
	return nil
}

// marshalString keeps <, > and & as they are: the documents' examples are
// the APIs' texts, byte for byte.
func marshalString(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
