package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// This file holds a validator for the subset of OpenAPI 3.1 and JSON Schema
// that openapi.yaml uses: $ref within the document, type (one or a list),
// required, properties, additionalProperties (false or a schema), items
// and enum. Keywords it does not know (format, description, examples) are
// annotations and ignored. It is small on purpose: a full validator would be
// a new dependency, and the document is written to stay inside the subset.

// openAPIDoc is openapi.yaml, parsed once for the whole test binary. The
// test reads the file beside the package, the same file the server embeds
// (TestOpenAPIServed checks they are equal).
var openAPIDoc = sync.OnceValues(func() (map[string]any, error) {
	b, err := os.ReadFile("openapi.yaml")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
})

// validateResponse checks one JSON response against doc: the operation for
// method and path (a concrete path, matched against the templates; the
// query is ignored), the response for status, and body against its
// application/json schema. A path or method no operation claims must be
// the catch-all's 404 with an Error body, as info.description says. It
// returns every mismatch, each naming the JSON pointer where it is.
func validateResponse(doc map[string]any, method, path string, status int, body []byte) []string {
	path, _, _ = strings.Cut(path, "?")
	op := findOperation(doc, method, path)
	var schema any
	if op == nil {
		if status != 404 {
			return []string{fmt.Sprintf("no operation %s %s in the document, and status %d is not the catch-all 404", method, path, status)}
		}
		schema = map[string]any{"$ref": "#/components/schemas/Error"}
	} else {
		responses, _ := op["responses"].(map[string]any)
		resp, ok := responses[strconv.Itoa(status)]
		if !ok {
			return []string{fmt.Sprintf("status %d is not documented for %s %s", status, method, path)}
		}
		r, err := resolve(doc, resp)
		if err != nil {
			return []string{err.Error()}
		}
		content, _ := r["content"].(map[string]any)
		media, ok := content["application/json"].(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("response %d of %s %s documents no application/json content", status, method, path)}
		}
		schema = media["schema"]
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // to tell an integer from a number
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{fmt.Sprintf("body is not JSON: %v", err)}
	}
	var errs []string
	validateValue(doc, schema, v, "", &errs)
	return errs
}

// findOperation returns the operation whose path template matches path
// segment by segment, a {name} segment matching any non-empty segment; of
// several matching templates the one with the fewest {name} segments wins,
// as OpenAPI 3.1 matches concrete paths before templated ones
// (/v1/models/rollback before /v1/models/{model}).
func findOperation(doc map[string]any, method, path string) map[string]any {
	paths, _ := doc["paths"].(map[string]any)
	segs := strings.Split(path, "/")
	var best map[string]any
	bestParams := -1
	for tmpl, item := range paths {
		tsegs := strings.Split(tmpl, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		match, params := true, 0
		for i, ts := range tsegs {
			param := strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}")
			if param {
				params++
			}
			if (param && segs[i] == "") || (!param && ts != segs[i]) {
				match = false
				break
			}
		}
		if !match || (bestParams >= 0 && params >= bestParams) {
			continue
		}
		ops, _ := item.(map[string]any)
		best, _ = ops[strings.ToLower(method)].(map[string]any)
		bestParams = params
	}
	return best
}

// resolve follows $ref (a JSON pointer within the document) until it
// reaches an object without one.
func resolve(doc map[string]any, node any) (map[string]any, error) {
	for range 32 {
		m, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("schema node %v is not an object", node)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		ptr, ok := strings.CutPrefix(ref, "#/")
		if !ok {
			return nil, fmt.Errorf("$ref %q is not within the document", ref)
		}
		var cur any = doc
		for _, tok := range strings.Split(ptr, "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			cm, _ := cur.(map[string]any)
			next, ok := cm[tok]
			if !ok {
				return nil, fmt.Errorf("$ref %q does not resolve", ref)
			}
			cur = next
		}
		node = cur
	}
	return nil, fmt.Errorf("$ref chain too long at %v", node)
}

// validateValue checks v against schema, appending "pointer: problem" to
// errs for each mismatch.
func validateValue(doc map[string]any, schema, v any, ptr string, errs *[]string) {
	s, err := resolve(doc, schema)
	if err != nil {
		*errs = append(*errs, fmt.Sprintf("%s: %v", pointer(ptr), err))
		return
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, fmt.Sprint(x))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return hasType(v, t) }) {
			*errs = append(*errs, fmt.Sprintf("%s: %s is not of type %s", pointer(ptr), kind(v), strings.Join(types, " or ")))
			return
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		if !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
			*errs = append(*errs, fmt.Sprintf("%s: %v is not one of %v", pointer(ptr), v, enum))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, name := range req {
				if _, ok := v[fmt.Sprint(name)]; !ok {
					*errs = append(*errs, fmt.Sprintf("%s: required property %q is missing", pointer(ptr), name))
				}
			}
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := ptr + "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			if ps, ok := props[k]; ok {
				validateValue(doc, ps, v[k], p, errs)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					*errs = append(*errs, fmt.Sprintf("%s: property %q is not in the schema", pointer(ptr), k))
				}
			case map[string]any:
				validateValue(doc, ap, v[k], p, errs)
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, x := range v {
				validateValue(doc, items, x, ptr+"/"+strconv.Itoa(i), errs)
			}
		}
	}
}

func pointer(p string) string {
	if p == "" {
		return "/" // the whole body
	}
	return p
}

// hasType reports whether v, decoded with UseNumber, is of JSON Schema type t.
func hasType(v any, t string) bool {
	switch v := v.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case json.Number:
		if t == "number" {
			return true
		}
		if t != "integer" {
			return false
		}
		if !strings.ContainsAny(string(v), ".eE") {
			return true
		}
		f, err := v.Float64()
		return err == nil && f == float64(int64(f))
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		return "number " + fmt.Sprint(v)
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
