package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

// FuzzCheckRepeatedKeys: the walk never panics, accepts only valid JSON,
// refuses with EINVALID, and agrees with a plain decode that a value whose
// objects it accepts has as many keys as encoding/json keeps (a repeat
// would lose one).
func FuzzCheckRepeatedKeys(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `{"a":1,"b":[1,{"a":2}],"c":{"a":{"a":3}}}`, `{"a":1,"a":2}`,
		`[{"x":1},{"x":1,"x":2}]`, `{"a":{"b":1,"b":2}}`, `"s"`, `1e3`, `{"a":[[[{}]]]}`, `{"a"`, `{"\u0061":1,"a":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkRepeatedKeys(b)
		if err != nil {
			if code := opencredit.ErrorCode(err); code != opencredit.EINVALID && code != "too_large" {
				t.Fatalf("code %s: %v", code, err)
			}
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		// Count keys as written and as encoding/json keeps them.
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if written, kept := countKeys(t, b), keptKeys(v); written != kept {
			t.Fatalf("accepted %q: %d keys written, %d kept", b, written, kept)
		}
	})
}

// countKeys counts the object keys of b as written.
func countKeys(t *testing.T, b []byte) int {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var n int
	var objects []bool // per open container: is it an object
	var expectKey []bool
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		inObj := len(objects) > 0 && objects[len(objects)-1]
		if inObj && expectKey[len(expectKey)-1] {
			if _, ok := tok.(string); ok {
				n++
				expectKey[len(expectKey)-1] = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			objects, expectKey = append(objects, true), append(expectKey, true)
			continue
		case json.Delim('['):
			objects, expectKey = append(objects, false), append(expectKey, false)
			continue
		case json.Delim('}'), json.Delim(']'):
			objects, expectKey = objects[:len(objects)-1], expectKey[:len(expectKey)-1]
		}
		if len(objects) > 0 && objects[len(objects)-1] {
			expectKey[len(expectKey)-1] = true
		}
	}
}

// keptKeys counts the keys of every object in v.
func keptKeys(v any) int {
	switch x := v.(type) {
	case map[string]any:
		n := len(x)
		for _, e := range x {
			n += keptKeys(e)
		}
		return n
	case []any:
		n := 0
		for _, e := range x {
			n += keptKeys(e)
		}
		return n
	}
	return 0
}
